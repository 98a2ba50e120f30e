"""The screen pages: one name screened with its explanation drawn, and customer files
screened in the background (see docs/ui.md).

One name goes through the API's own ranking (:func:`discreet.api.screening.rank`, what
``POST /match`` calls: same threshold and cut-off, same collapse of one party's listings)
and is audited as a ``match`` record under ``user:<name>``, as an API screening by a
signed-in person is. A file goes through ``screen-file``'s pipeline
(:func:`discreet.screen.bulk.screen_bulk`) in a job (:mod:`discreet.web.jobs`), audited as
a ``screen-file`` record when it ends.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from discreet.api.datasets import COLLECTIONS, resolve_datasets
from discreet.api.errors import ApiError
from discreet.api.index import Generation
from discreet.api.screening import Filters, cutoff_for, rank
from discreet.api.services import Services
from discreet.api.uploads import as_utf8, check_unpacked
from discreet.errors import ConfigError, DiscreetError
from discreet.match import DEFAULT_THRESHOLD, MatchResult
from discreet.match.explain import Explanation
from discreet.store import VersionInfo
from discreet.text.dates import check_order, parse_date
from discreet.text.normalize import tokenize
from discreet.web.jobs import Job, JobBusy, Jobs, ServerBusy, jobs_dir
from discreet.web.pages import lookup, render
from discreet.web.session import Changer, Forbidden, User, require_role, services_of

__all__ = ["MAX_FILE_BYTES", "SCHEMAS", "router"]

router = APIRouter(prefix="/ui", include_in_schema=False)

ROLES = ("analyst", "reviewer", "admin")
Screener = Annotated[User, require_role(*ROLES)]
SCHEMAS = ("", "Person", "Organization", "Company", "Vessel", "LegalEntity")
MAX_LIMIT = 50
MAX_FILE_BYTES = 50 * 1024 * 1024  # besides the server's --max-body, which may be lower
FILE_SUFFIXES = {".csv", ".txt", ".tsv", ".tab", ".xlsx", ".parquet", ".pq", ".jsonl",
                 ".ndjson", ".json"}
INPUT_FORMATS = ("auto", "csv", "tsv", "xlsx", "parquet", "jsonl")
BATCH = 100  # rows per batch of a file job: the progress moves at least this often
RESULTS, ALERTS = "results.jsonl", "alerts.csv"
AUDITED_ALERTS = 100_000  # alerts listed in a file job's audit record (all are counted)


def _check_role(user: User) -> None:
    if not user.has(*ROLES):
        raise Forbidden(f"screening needs the role {' or '.join(ROLES)}; {user.name} has "
                        f"{', '.join(sorted(user.roles)) or 'none'}")


def _say(key: str, **values: object) -> str:
    """A UI text of this area with its ``{placeholders}`` filled."""
    return lookup(f"screen.{key}").format(**values)


def _maybe(key: str, default: str) -> str:
    """A UI text if the catalogue has it (feature and method names come from the matcher,
    which may learn new ones before the catalogue does)."""
    try:
        return lookup(key)
    except KeyError:
        return default


# -- one name ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Word:
    """A word as the matcher compared it (``token``) and as it is written (``written``)."""

    token: str
    written: str

    @property
    def differs(self) -> bool:
        return self.written.casefold() != self.token.casefold()


@dataclass(frozen=True, slots=True)
class Pair:
    """Query word(s) aligned with listed word(s): how, and how alike."""

    query: Word
    listed: Word
    method: str
    how: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of the score: the name, or a piece of other evidence, and its amount."""

    label: str
    detail: str
    delta: float

    @property
    def sign(self) -> str:
        return "plus" if self.delta > 0 else "minus" if self.delta < 0 else "zero"


@dataclass(frozen=True, slots=True)
class Source:
    """A list version a result comes from."""

    source: str
    version: int
    published: str
    authority: str
    authority_id: str
    entity_id: str
    href: str
    caption: str
    score: float | None


@dataclass(slots=True)
class Hit:
    """One result as the page draws it."""

    rank: int
    score: float
    alert: bool
    entity_id: str
    href: str
    caption: str
    schema: str
    programmes: list[str]
    sources: list[Source]
    query_name: str
    matched_name: str
    name_kind: str
    name_score: float
    pairs: list[Pair]
    unmatched_query: list[Word]
    unmatched_listed: list[Word]
    contributions: list[Contribution]
    notes: list[str]
    scale: float = 1.0  # the largest amount of the contributions (their meters' max)


@dataclass(slots=True)
class ScreenForm:
    """The form's values as typed, and what is wrong with them."""

    name: str = ""
    birth_date: str = ""
    country: str = ""
    schema: str = ""
    identifier: str = ""
    threshold: str = ""
    dataset: str = "default"
    limit: str = "10"
    errors: dict[str, str] = field(default_factory=dict)

    def query_string(self) -> str:
        values = {"name": self.name, "birth_date": self.birth_date, "country": self.country,
                  "schema": self.schema, "identifier": self.identifier,
                  "threshold": self.threshold, "dataset": self.dataset, "limit": self.limit}
        return urlencode({k: v for k, v in values.items() if v})


def _written(original: str) -> dict[str, str]:
    """Each token of a name -> the word it was written as (first one wins): the matcher
    compares tokens (transliterated, folded), people read the words."""
    found: dict[str, str] = {}
    for word in original.split():
        for token, piece in _pieces(word.strip(_EDGES) or word):
            found.setdefault(token, piece)
    return found


def _pieces(word: str) -> list[tuple[str, str]]:
    """(token, the part of ``word`` written as it): a word of several tokens is cut at its
    hyphens or other marks (Al-Qaida), else into its characters (김정은: one syllable a
    token) when that gives the same tokens; else each token is the whole word."""
    tokens = tokenize(word)
    if len(tokens) > 1:
        for parts in (_MARKS.split(word), list(word)):
            per = [(part, tokenize(part)) for part in parts if part]
            if all(len(t) <= 1 for _, t in per) and \
                    [t for _, found in per for t in found] == list(tokens):
                return [(found[0], part) for part, found in per if found]
    return [(token, word) for token in tokens]


_MARKS = re.compile(r"[\W_]+")

_EDGES = ",;:()[]{}\"'«»“”„"  # punctuation around a word, not part of it ("PUTIN,")


def _word(tokens: str, written: Mapping[str, str]) -> Word:
    parts = tokens.split()
    words = list(dict.fromkeys(written.get(t, t) for t in parts))
    return Word(tokens, " ".join(words))


FEATURE_GROUPS = (("dob_", "birth_date"), ("country_", "country"), ("gender_", "gender"),
                  ("id_", "identifier"), ("schema_", "schema"), ("weak_alias", "weak_alias"),
                  ("approximate_script", "script"))


def _feature_label(name: str) -> str:
    for prefix, key in FEATURE_GROUPS:
        if name.startswith(prefix):
            return lookup(f"screen.feature.{key}")
    return name.replace("_", " ")


def _published(info: VersionInfo | None) -> str:
    if info is None:
        return ""
    if info.published:
        return info.published[:10]
    if info.as_of and info.as_of_basis != "load":
        return info.as_of[:10]
    return ""


def entity_href(entity_id: str) -> str:
    """The entity page of a listed entity (the entities area's page)."""
    return f"/ui/entities/{quote(entity_id, safe='')}"


def hit_of(number: int, result: MatchResult, gen: Generation, threshold: float) -> Hit:
    """A result as the page draws it: the explanation's alignment with the words as
    written, the score's parts, and every listing of the party with its list version."""
    ex: Explanation = result.explanation
    q_words, l_words = _written(ex.query_name), _written(ex.matched_name)
    pairs = [Pair(_word(t.query, q_words), _word(t.listed, l_words), t.method,
                  _maybe(f"screen.how.{t.method}", t.method.replace("-", " ")), t.similarity)
             for t in ex.tokens]
    parts = [Contribution(lookup("screen.name_part"),
                          _say("name_detail", kind=_maybe(f"screen.kind.{ex.name_kind}",
                                                          ex.name_kind)), ex.name_score)]
    parts += [Contribution(_feature_label(f.name), f.detail, f.delta) for f in ex.features]
    by_source = {v.source: v for v in gen.versions}
    listings = [(result.entity, result.score), *((a.entity, a.score) for a in result.also)]
    sources = []
    for entity, score in listings:
        info = by_source.get(entity.source)
        sources.append(Source(entity.source, info.version if info else 0, _published(info),
                              entity.authority, entity.authority_id, entity.id,
                              entity_href(entity.id), entity.caption, score))
    programmes = list(dict.fromkeys(p for entity, _ in listings for p in entity.programmes))
    return Hit(number, result.score, result.score >= threshold, result.entity.id,
               entity_href(result.entity.id), result.entity.caption, result.entity.schema,
               programmes, sources, ex.query_name, ex.matched_name, ex.name_kind,
               ex.name_score, pairs, [_word(w, q_words) for w in ex.unmatched_query],
               [_word(w, l_words) for w in ex.unmatched_listed], parts, list(ex.notes),
               max([abs(c.delta) for c in parts] + [0.01]))


def _datasets(gen: Generation | None) -> list[str]:
    return [*COLLECTIONS, *sorted(gen.sources if gen is not None else ())]


def _check(form: ScreenForm, gen: Generation | None) -> tuple[float, int, str | None]:
    """(threshold, limit, birth date) from the form; its ``errors`` filled."""
    errors = form.errors
    if not form.name.strip():
        errors["name"] = lookup("screen.error.name")
    threshold = DEFAULT_THRESHOLD
    if form.threshold.strip():
        try:
            threshold = float(form.threshold)
            if not 0 <= threshold <= 1:
                raise ValueError
        except ValueError:
            errors["threshold"] = _say("error.threshold", value=form.threshold)
    limit = 10
    try:
        limit = int(form.limit or "10")
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError
    except ValueError:
        errors["limit"] = _say("error.limit", value=form.limit, most=MAX_LIMIT)
    birth = form.birth_date.strip() or None
    if birth is not None:
        written = parse_date(birth)
        if not written.readings:
            errors["birth_date"] = _say("error.birth_date", value=birth,
                                        problem=written.problem)
    if form.schema not in SCHEMAS:
        errors["schema"] = _say("error.schema", value=form.schema)
    if gen is not None and form.dataset not in _datasets(gen):
        errors["dataset"] = _say("error.dataset", value=form.dataset)
    return threshold, limit, birth


def _props(form: ScreenForm, birth: str | None) -> dict[str, list[str]]:
    """The form as an FtM query entity's properties (what /match is sent)."""
    props: dict[str, list[str]] = {"name": [" ".join(form.name.split())]}
    if birth:
        props["birthDate"] = [birth]
    countries = [c.strip() for c in form.country.replace(";", ",").split(",") if c.strip()]
    if countries:
        props["country"] = countries
    if form.identifier.strip():
        props["idNumber"] = [form.identifier.strip()]
    return props


def screen_name(services: Services, user: User, form: ScreenForm
                ) -> tuple[list[Hit], float] | None:
    """Screen the form's name as ``POST /match/{dataset}`` would, and audit it; None when
    the form has errors (in ``form.errors``)."""
    gen = services.holder.current
    if gen is None:
        raise ApiError(503, services.holder.last_error or "the index is still loading",
                       headers={"Retry-After": "5"})
    threshold, limit, birth = _check(form, gen)
    if form.errors:
        return None
    # the API's rate limit, on the bucket a signed-in person's API requests count against
    services.limiter.check(f"user:{user.name}", services.settings.rate_limit)
    schema = form.schema or "Thing"
    props = _props(form, birth)
    filters = Filters(resolve_datasets(form.dataset, gen.sources))
    results = rank(gen, schema, props, None, filters, limit=limit,
                   cutoff=cutoff_for(threshold, None))
    if services.audit is not None:
        services.audit.record(
            f"user:{user.name}", "match", form.dataset, 200,
            {"queries": {"ui": {"schema": schema, "properties": props}},
             "params": {"threshold": threshold, "limit": limit}, "via": "ui"},
            gen.version_map(),
            {"ui": [[r.entity.id, round(r.score, 4), r.score >= threshold] for r in results]})
    return [hit_of(n, r, gen, threshold) for n, r in enumerate(results, start=1)], threshold


def _screen_page(request: Request, user: User, form: ScreenForm, asked: bool) -> Response:
    services = services_of(request)
    outcome = screen_name(services, user, form) if asked else None
    hits, threshold = outcome if outcome is not None else ([], DEFAULT_THRESHOLD)
    gen = services.holder.current
    return render(request, "screen/screen.html",
                  {"form": form, "schemas": SCHEMAS, "datasets": _datasets(gen),
                   "asked": asked and outcome is not None, "hits": hits,
                   "threshold": threshold, "default_threshold": DEFAULT_THRESHOLD,
                   "max_limit": MAX_LIMIT},
                  status=400 if form.errors else 200)


Text = Annotated[str, Query(max_length=500)]
Short = Annotated[str, Query(max_length=100)]


@router.get("/screen")
def screen_page(request: Request, user: Screener, name: Text = "", birth_date: Short = "",
                country: Short = "", schema: Short = "", identifier: Short = "",
                threshold: Short = "", dataset: Short = "default", limit: Short = "10",
                ) -> Response:
    """The screening form; with ``name`` (the form sends it), its results too."""
    form = ScreenForm(name, birth_date, country, schema, identifier, threshold,
                      dataset or "default", limit or "10")
    return _screen_page(request, user, form, asked="name" in request.query_params)


Field = Annotated[str, Form(max_length=500)]


@router.post("/screen")
def screen_post(user: Changer, name: Field = "", birth_date: Field = "", country: Field = "",
                kind: Annotated[str, Form(max_length=500, alias="schema")] = "",
                identifier: Field = "", threshold: Field = "", dataset: Field = "default",
                limit: Field = "10") -> Response:
    """The form posted: its results at a bookmarkable address (post/redirect/get)."""
    _check_role(user)
    form = ScreenForm(name, birth_date, country, kind, identifier, threshold,
                      dataset or "default", limit or "10")
    return RedirectResponse(f"/ui/screen?{form.query_string() or 'name='}", status_code=303)


# -- files ---------------------------------------------------------------------------------


def jobs_of(request: Request) -> Jobs:
    """The file jobs of this server's store (one :class:`Jobs` per app)."""
    state = request.app.state
    found: Jobs | None = getattr(state, "web_jobs", None)
    if found is None:
        found = state.web_jobs = Jobs(jobs_dir(services_of(request).settings.db))
    return found


FORM_ROOM = 16 * 1024  # what the form's other fields and the multipart framing may take


def file_limit(services: Services) -> int:
    """The largest file the form takes: ours, or what the server's body limit (--max-body)
    leaves of a whole upload, if lower."""
    return max(1, min(MAX_FILE_BYTES, services.settings.max_body_bytes - FORM_ROOM))


@dataclass(slots=True)
class FileForm:
    """The upload form's options as typed (``mapping`` as ``--map`` takes it)."""

    mapping: str = ""
    input_format: str = "auto"
    threshold: str = ""
    limit: str = "5"
    date_order: str = ""
    keep: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def _file_page(request: Request, user: User, form: FileForm, status: int = 200) -> Response:
    services = services_of(request)
    jobs = jobs_of(request).of(user.name)
    return render(request, "screen/file.html",
                  {"form": form, "jobs": jobs, "formats": INPUT_FORMATS,
                   "limit_bytes": file_limit(services), "max_limit": MAX_LIMIT,
                   "default_threshold": DEFAULT_THRESHOLD}, status=status)


@router.get("/screen/file")
def file_page(request: Request, user: Screener) -> Response:
    """The upload form and the person's recent files."""
    return _file_page(request, user, FileForm())


def _file_options(form: FileForm) -> dict[str, Any]:
    """The job's options (BulkOptions' fields) from the form; ``form.errors`` filled."""
    from discreet.screen.readers import parse_map

    errors = form.errors
    options: dict[str, Any] = {"threshold": None, "limit": 5, "mapping": [], "keep": [],
                               "input_format": "auto", "date_order": None}
    try:
        options["mapping"] = list(parse_map(form.mapping).items())
    except ConfigError as exc:
        errors["mapping"] = str(exc).replace("--map: ", "")
    if form.input_format not in INPUT_FORMATS:
        errors["input_format"] = _say("error.input_format", value=form.input_format)
    else:
        options["input_format"] = form.input_format
    if form.threshold.strip():
        try:
            options["threshold"] = float(form.threshold)
            if not 0 <= options["threshold"] <= 1:
                raise ValueError
        except ValueError:
            errors["threshold"] = _say("error.threshold", value=form.threshold)
    try:
        options["limit"] = int(form.limit or "5")
        if not 1 <= options["limit"] <= MAX_LIMIT:
            raise ValueError
    except ValueError:
        errors["limit"] = _say("error.limit", value=form.limit, most=MAX_LIMIT)
    try:
        options["date_order"] = check_order(form.date_order)
    except ValueError as exc:
        errors["date_order"] = str(exc)
    options["keep"] = [c.strip() for c in form.keep.split(",") if c.strip()][:20]
    return options


def _copy_upload(upload: UploadFile, limit: int) -> Any:
    """A writer for :meth:`Jobs.create`: the upload's bytes, refused past ``limit``."""

    def write(dest: Path) -> None:
        size = 0
        upload.file.seek(0)
        with dest.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ConfigError(_say("error.too_big", most=f"{limit:,}"))
                out.write(chunk)
        if size == 0:
            raise ConfigError(lookup("screen.error.empty_file"))

    return write


def _first_row(jobs: Jobs, job: Job) -> None:
    """Read the file's header and first row now, so a file that cannot be read at all is
    refused on the form (with its reason) rather than as a failed job."""
    from discreet.screen.readers import read_records

    path = jobs.path(job.id) / job.input_name
    options = job.options
    try:
        records = read_records(path, fmt=options["input_format"],
                               mapping=dict(options["mapping"]))
        if next(records, None) is None:
            raise ConfigError(lookup("screen.error.no_rows"))
    except DiscreetError as exc:
        raise ConfigError(str(exc).replace(str(path), job.file_name)
                          .replace(path.name, job.file_name)) from exc


Option = Annotated[str, Form(max_length=1000)]


@router.post("/screen/file")
async def file_post(request: Request, user: Changer,
                    file: Annotated[UploadFile | None, File()] = None,
                    mapping: Option = "", input_format: Option = "auto", threshold: Option = "",
                    limit: Option = "5", date_order: Option = "", keep: Option = ""
                    ) -> Response:
    """Take an upload, start its job, and go to its page (post/redirect/get). The upload
    is a declared body, so FastAPI reads it before the CSRF check and closes it after."""
    _check_role(user)
    form = FileForm(mapping, input_format or "auto", threshold, limit or "5", date_order, keep)
    options = _file_options(form)
    upload = file
    if upload is None or not upload.filename:
        form.errors["file"] = lookup("screen.error.no_file")
    if form.errors:
        return _file_page(request, user, form, status=400)
    assert upload is not None
    services = services_of(request)
    gen = services.holder.current
    if gen is None:
        raise ApiError(503, services.holder.last_error or "the index is still loading",
                       headers={"Retry-After": "5"})
    services.limiter.check(f"user:{user.name}", services.settings.rate_limit)
    name = Path(upload.filename or "customers").name[:200]
    suffix = Path(name).suffix.lower()
    jobs = jobs_of(request)

    def create() -> Job:
        job = jobs.create(user.name, name, suffix if suffix in FILE_SUFFIXES else "",
                          options, _copy_upload(upload, file_limit(services)),
                          size=upload.size or 0)
        try:
            check_unpacked(jobs.path(job.id) / job.input_name, name)
            as_utf8(jobs.path(job.id) / job.input_name, name)
            _first_row(jobs, job)
        except BaseException:
            shutil.rmtree(jobs.path(job.id), ignore_errors=True)
            raise
        return job

    try:
        job = await run_in_threadpool(create)
    except JobBusy as exc:
        raise ApiError(429, str(exc), headers={"Retry-After": "30"}) from exc
    except ServerBusy as exc:
        raise ApiError(503, str(exc), headers={"Retry-After": "60"}) from exc
    except ConfigError as exc:
        form.errors["file"] = str(exc)
        return _file_page(request, user, form, status=400)
    jobs.start(job, lambda j: run_file_job(jobs, j, gen, services))
    return RedirectResponse(f"/ui/screen/file/{job.id}", status_code=303)


def run_file_job(jobs: Jobs, job: Job, gen: Generation, services: Services) -> None:
    """The job: ``screen-file``'s pipeline over the upload, in this process, with the
    generation current at the upload; then the alert table and the audit record."""
    from discreet.screen.bulk import BulkOptions, programmes_of, screen_bulk
    from discreet.screen.progress import count_rows
    from discreet.screen.readers import detect_format
    from discreet.screen.summary import RunSummary
    from discreet.screen.writers import convert_alerts

    where = jobs.path(job.id)
    source = where / job.input_name
    o = job.options
    options = BulkOptions(threshold=o["threshold"], limit=o["limit"], workers=1,
                          batch_size=BATCH, mapping=tuple(tuple(m) for m in o["mapping"]),
                          input_format=o["input_format"], output_format="jsonl",
                          keep=tuple(o["keep"]), date_order=o["date_order"])
    fmt = detect_format(source) if options.input_format == "auto" else options.input_format
    job.total = count_rows(source, fmt)
    job.versions = gen.version_map()
    last = [0.0]

    def progress(summary: RunSummary) -> None:
        job.done = summary.rows
        job.message = _say("progress", done=f"{summary.rows:,}",
                           total=f"{job.total:,}" if job.total else "?")
        if time.monotonic() - last[0] > 0.3:
            last[0] = time.monotonic()
            jobs.update(job)

    summary = screen_bulk(gen.matcher, source, where / RESULTS, options, progress,
                          token_cache=False)
    convert_alerts(where / RESULTS, where / ALERTS, "csv", options.keep,
                   programmes_of(gen.matcher))  # the alerted entities' only, when persisted
    found = summary.to_dict()
    found.pop("output", None)  # a path on the server: nobody's business
    job.summary = found
    job.done, job.total = summary.rows, summary.rows
    job.state, job.message = "done", _say("finished", rows=f"{summary.rows:,}")
    _audit_file(services, job, where)
    jobs.update(job)


def _audit_file(services: Services, job: Job, where: Path) -> None:
    """The job's audit record: who screened which file (its digest) against which list
    versions, with what options, and every alert (row id, entity id, score)."""
    if services.audit is None:
        return
    digest = hashlib.sha256()
    with (where / job.input_name).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    alerts: list[list[Any]] = []
    with (where / RESULTS).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for match in row.get("matches", ()):
                if len(alerts) < AUDITED_ALERTS:
                    alerts.append([row["id"], match["id"], match["score"]])
    summary = job.summary
    services.audit.record(
        f"user:{job.owner}", "screen-file", "default", 200,
        {"file": job.file_name, "sha256": digest.hexdigest(), "options": job.options,
         "job": job.id, "via": "ui"},
        job.versions,
        {"rows": summary.get("rows"), "rejected": summary.get("rejected"),
         "alerts": summary.get("alerts"), "matches": alerts})


def _my_job(request: Request, user: User, job_id: str) -> Job:
    job = jobs_of(request).get(job_id, user.name)
    if job is None:
        raise ApiError(404, lookup("screen.error.no_job"))
    return job


@router.get("/screen/file/{job_id}")
def job_page(request: Request, user: Screener, job_id: str) -> Response:
    """A job's progress while it runs; its counts, rejected rows and downloads after."""
    job = _my_job(request, user, job_id)
    return render(request, "screen/job.html", {"job": job, "summary": job.summary})


@router.get("/screen/file/{job_id}/status")
def job_status(request: Request, user: Screener, job_id: str) -> JSONResponse:
    """The progress poll (static/app.js ``data-progress``): {done, total, state, message}."""
    return JSONResponse(_my_job(request, user, job_id).status())


def _download(request: Request, user: User, job_id: str, name: str, media: str,
              suffix: str) -> Response:
    jobs = jobs_of(request)
    job = _my_job(request, user, job_id)
    path = jobs.file(job, name)
    if path is None:
        raise ApiError(404, lookup("screen.error.not_ready"))
    stem = Path(job.file_name).stem or "customers"
    return FileResponse(path, media_type=media, filename=f"{stem}-{suffix}")


@router.get("/screen/file/{job_id}/alerts.csv")
def job_alerts(request: Request, user: Screener, job_id: str) -> Response:
    """The alert table (one row per alert, and each rejected row with its error)."""
    return _download(request, user, job_id, ALERTS, "text/csv; charset=utf-8", "alerts.csv")


@router.get("/screen/file/{job_id}/results.jsonl")
def job_results(request: Request, user: Screener, job_id: str) -> Response:
    """The full results: one JSON line per row, as ``discreet screen-file`` writes them."""
    return _download(request, user, job_id, RESULTS, "application/x-ndjson",
                     "results.jsonl")


@router.post("/screen/file/{job_id}/delete")
def job_delete(request: Request, user: Changer, job_id: str) -> Response:
    """Delete a finished job's files now (the uploaded customers among them) rather than
    after a day; a running job is kept until it ends."""
    _check_role(user)
    jobs = jobs_of(request)
    job = _my_job(request, user, job_id)
    if not job.finished:
        raise ApiError(409, lookup("screen.error.running"))
    jobs.remove(job.id)
    return RedirectResponse("/ui/screen/file", status_code=303)
