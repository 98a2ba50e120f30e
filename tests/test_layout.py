"""The code's layout: imports run one way, no module imports itself back, the top stays small.

Every module under ``src/discreet`` is parsed (never imported) and every import it makes is
collected: module-level ones, lazy ones inside functions, ``importlib.import_module`` with a
literal name, and those under ``if TYPE_CHECKING:``. A package may import a package of a
*lower* layer, never a higher one, nor a peer of its own layer:

=====  =====================  ==============================================================
layer  packages               what decides the place
=====  =====================  ==============================================================
0      errors, json_read      peers: the error tree; JSON read as ``json`` reads it (orjson
                              where both agree): each imports nothing of discreet's
1      model                  ``Entity`` and its records; imports nothing of discreet's
                              (FtM conversion: ``sources/opensanctions/ftm.py``)
2      discreet (__init__)    the version and the package's face: re-exports model, errors
3      text, programmes       peers: ``text`` normalisation, scripts, phonetic keys, dates,
                              countries (functions of strings); ``programmes`` the programme
                              catalogue (authority codes -> one regime; data and model only)
4      store, sources         peers: the store keeps entities, the parsers read files into
                              them; the store never imports a parser, a parser never writes
5      lists, match           peers: ``lists`` writes to the store (fetch -> parse -> checks
                              -> store), ``match`` reads it (the index of the active
                              versions); neither needs the other
6      screen, regimes        peers: ``screen`` files, DataFrames (``screen/spark*.py``) and
                              re-screening, through the matcher; ``regimes`` reads the store
                              (and the matcher, to link one party's listings across
                              authorities): same-party links, regime analytics and reports
7      review                 the compliance workflow: customer book, continuous screening
                              (through ``screen``), alerts, four eyes, remembered decisions
8      api                    the HTTP service: matcher, store, the updater (``lists``)
9      cli                    the ``discreet`` command and the spark-submit entry script:
                              calls everything, is called by nothing
10     __main__               ``python -m discreet``
=====  =====================  ==============================================================

Inside one package any module may import another; cycles are refused everywhere. A cycle
is counted over the imports that run (lazy ones included: a function that imports its
importer is a cycle waiting for an import order to break it). Imports under
``TYPE_CHECKING`` never run, so they may close a loop, but they still must not point up a
layer. Outside ``store/`` nothing touches the database under the ``Store`` facade: no import
of ``discreet.store.db`` and no ``<store>.db`` attribute.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "discreet"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "json_read"}),
    frozenset({"model"}),
    frozenset({"discreet"}),
    frozenset({"text", "programmes", "parallel"}),
    frozenset({"store", "sources"}),
    frozenset({"lists", "match"}),
    frozenset({"screen", "regimes"}),
    frozenset({"review"}),
    frozenset({"api"}),
    frozenset({"web"}),
    frozenset({"cli"}),
    frozenset({"__main__"}),
)
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}
TOP_FILES = frozenset({"__init__.py", "__main__.py", "errors.py", "json_read.py", "model.py",
                       "py.typed"})
COMPILED = (".pyx", ".pyi")  # a compiled module's source or stub names it (the .so need not exist)


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target, where it is, and whether it runs."""

    source: str
    target: str
    line: int
    runs: bool  # False under ``if TYPE_CHECKING:``


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for every module of the package at ``root`` (compiled ones too)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".py", *COMPILED) or "__pycache__" in path.parts:
            continue
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        if path.suffix == ".py" or name not in found:
            found[name] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, runs: bool = True) -> Iterator[tuple[ast.AST, bool]]:
    """Every node below ``node``, with whether it runs (False inside TYPE_CHECKING)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for part in child.body:
                yield part, False
                yield from _walk(part, False)
            for part in child.orelse:
                yield part, runs
                yield from _walk(part, runs)
            continue
        yield child, runs
        yield from _walk(child, runs)


def imports(root: Path) -> list[Import]:
    """Every import of the package's own modules, resolved to the module it loads."""
    known = modules(root)
    top = root.name
    found: list[Import] = []
    for name, path in known.items():
        if path.suffix != ".py":
            continue
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, runs in _walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                # ``from pkg import sub`` loads the submodule; ``from mod import name`` the module
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                           for a in node.names]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                  and (node.func.attr if isinstance(node.func, ast.Attribute)
                       else node.func.id) == "import_module"
                  and node.args and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)):
                targets = [node.args[0].value]
            line = getattr(node, "lineno", 0)
            found += [Import(name, t, line, runs) for t in dict.fromkeys(targets)
                      if t == top or t.startswith(top + ".")]
    return found


def unit(module: str) -> str:
    """The package a module belongs to for layering: ``discreet.api.app`` -> ``api``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_problems(found: list[Import]) -> list[str]:
    """Imports that point up a layer or across to a peer, and packages with no layer."""
    problems = []
    for imp in found:
        here, there = unit(imp.source), unit(imp.target)
        if here == there:
            continue
        if here not in RANK or there not in RANK:
            missing = here if here not in RANK else there
            problems.append(f"{imp.source}:{imp.line}: package {missing!r} has no layer "
                            "(add it to LAYERS and to the table)")
        elif RANK[there] >= RANK[here]:
            way = "a peer of" if RANK[there] == RANK[here] else "a layer above"
            problems.append(f"{imp.source}:{imp.line} imports {imp.target} ({there} is "
                            f"{way} {here})")
    return problems


def cycles(found: list[Import]) -> list[list[str]]:
    """Strongly connected groups of modules over the imports that run (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for imp in found:
        if imp.runs:
            graph.setdefault(imp.source, set()).add(imp.target)
            graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def top_level_problems(root: Path) -> list[str]:
    """Files at the top of the package other than the few that belong there."""
    return sorted(p.name for p in root.iterdir() if p.is_file() and p.name not in TOP_FILES
                  and p.suffix in (".py", ".pyx", ".pyi", ".so", ".c"))


def _names_store(node: ast.AST) -> bool:
    """``store``, ``self._store``, ``open_store(ctx)``: an expression that names a store."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return "store" in node.id.lower()
    return isinstance(node, ast.Attribute) and "store" in node.attr.lower()


def facade_problems(root: Path, found: list[Import]) -> list[str]:
    """Code outside ``store/`` that reaches the database under the Store facade."""
    problems = [f"{imp.source}:{imp.line} imports {imp.target}" for imp in found
                if imp.target == f"{root.name}.store.db" and unit(imp.source) != "store"]
    for name, path in modules(root).items():
        if path.suffix != ".py" or unit(name) == "store":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        problems += [f"{name}:{node.lineno} uses {ast.unparse(node)}" for node in ast.walk(tree)
                     if isinstance(node, ast.Attribute) and node.attr == "db"
                     and _names_store(node.value)]
    return problems


# -- the real tree ---------------------------------------------------------------------------

REAL = imports(SRC)


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert sorted(packages - set(RANK)) == []


def test_imports_run_one_way() -> None:
    assert layer_problems(REAL) == []


def test_no_import_cycles() -> None:
    assert cycles(REAL) == []


def test_only_the_core_files_at_the_top() -> None:
    assert top_level_problems(SRC) == []


def test_nothing_reaches_past_the_store_facade() -> None:
    assert facade_problems(SRC, REAL) == []


def test_the_collector_sees_lazy_imports() -> None:
    """The real tree's lazy imports are found (the spark-submit entry calls the CLI)."""
    lazy = [i for i in REAL if i.source == "discreet.cli.spark_entry"]
    assert [i.target for i in lazy] == ["discreet.cli"]


# -- the checks fail on a bad tree -----------------------------------------------------------

def _tree(root: Path, files: dict[str, str]) -> Path:
    package = root / "discreet"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


GOOD = {
    "__init__.py": "from discreet.model import Entity\n",
    "model.py": "class Entity: ...\n",
    "errors.py": "",
    "text/__init__.py": "from discreet.text import _fast\n",
    "text/_fast.pyx": "",
    "store/__init__.py": "from discreet.store.db import Database\n"
                         "from discreet.model import Entity\n",
    "store/db.py": "class Database: ...\n",
    "match/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from discreet.match.index import Index\n",
    "match/index.py": "from discreet.match import helper\n",
    "match/helper.py": "from discreet.store import Store\n",
    "api/app.py": "def run(store):\n    return store.versions()\n",
}


def test_a_good_tree_passes(tmp_path: Path) -> None:
    root = _tree(tmp_path, GOOD)
    found = imports(root)
    assert ("discreet.text", "discreet.text._fast") in {(i.source, i.target) for i in found}
    assert layer_problems(found) == []
    assert cycles(found) == []  # the TYPE_CHECKING loop does not run
    assert top_level_problems(root) == []
    assert facade_problems(root, found) == []


@pytest.mark.parametrize(("files", "expected"), [
    ({"model.py": "def f():\n    from discreet.api.app import run\n"},
     "discreet.model:2 imports discreet.api.app (api is a layer above model)"),
    ({"store/db.py": "from discreet.sources import parse\n", "sources/__init__.py": ""},
     "discreet.store.db:1 imports discreet.sources (sources is a peer of store)"),
    ({"text/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                   "    from discreet.match import Matcher\n"},
     "discreet.text.x:3 imports discreet.match (match is a layer above text)"),
    ({"text/x.py": "import importlib\nimportlib.import_module('discreet.store.db')\n"},
     "discreet.text.x:2 imports discreet.store.db (store is a layer above text)"),
    ({"gadget/__init__.py": "from discreet.model import Entity\n"},
     "discreet.gadget:1: package 'gadget' has no layer (add it to LAYERS and to the table)"),
])
def test_an_arrow_the_wrong_way_fails(tmp_path: Path, files: dict[str, str],
                                      expected: str) -> None:
    found = imports(_tree(tmp_path, {**GOOD, **files}))
    assert layer_problems(found) == [expected]


def test_a_cycle_fails_lazy_or_not(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**GOOD,
                            "api/serve.py": "from discreet.api.app import run\n",
                            "api/app.py": "def run():\n    from discreet.api.serve import x\n",
                            "model.py": "def f():\n    from discreet.model import g\n"})
    assert cycles(imports(root)) == [["discreet.api.app", "discreet.api.serve"],
                                     ["discreet.model"]]


def test_a_stray_top_level_module_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**GOOD, "ftm.py": "", "spark_job.py": ""})
    assert top_level_problems(root) == ["ftm.py", "spark_job.py"]


def test_reaching_past_the_facade_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**GOOD, "api/keys.py":
                            "from discreet.store.db import Database\n"
                            "def f(self, ctx):\n    return self._store.db, open_store(ctx).db\n"})
    assert facade_problems(root, imports(root)) == [
        "discreet.api.keys:1 imports discreet.store.db",
        "discreet.api.keys:3 uses self._store.db",
        "discreet.api.keys:3 uses open_store(ctx).db"]
