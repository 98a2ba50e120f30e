"""The screening commands: ``match`` one name, ``screen-file`` a customer file, ``rescreen``
it against what changed in the lists, ``compare`` name pairs.

Standalone click commands that the ``discreet`` group registers. Like every command, each
parses its options, makes one library call (:mod:`discreet.screen`, :mod:`discreet.match`)
and writes the result: a table for people, ``--json`` or JSON lines for scripts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from discreet.cli.options import (
    FILE,
    SUMMARY_JSON,
    check_rejects,
    check_topics,
    date_order_option,
    json_option,
    limit_option,
    max_rejects_option,
    open_store,
    threshold_option,
    topics_option,
    workers_option,
)
from discreet.cli.render import emit, match_results, rescreen_summary, run_summary
from discreet.errors import ConfigError
from discreet.model import SCHEMATA

if TYPE_CHECKING:
    from discreet.match import Matcher
    from discreet.screen import BulkOptions, RowError, RunSummary

__all__ = ["compare", "match", "rescreen", "screen_file"]


def _report_row(path: Path) -> Callable[[RowError], None]:
    def report(problem: RowError) -> None:
        click.echo(f"warning: {path}: {problem}", err=True)
    return report


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--schema", type=click.Choice(SCHEMATA, case_sensitive=False), metavar="SCHEMA",
              help=f"What the name is, in any case: {', '.join(SCHEMATA)}.")
@click.option("--birth-date", help="Date of birth, as precise as known and as written: "
              "1970-03-15, 15/03/1970, 15 March 1970, 03/1970, 1970.")
@date_order_option
@click.option("--country", "countries", multiple=True,
              help="Country of the person or company (repeatable).")
@click.option("--id-number", "id_numbers", multiple=True,
              help="Passport, national ID or registration number (repeatable).")
@topics_option
@limit_option
@threshold_option
@json_option("Print a JSON list of matches for scripts instead of a table.")
@click.pass_context
def match(ctx: click.Context, name: tuple[str, ...], schema: str | None, birth_date: str | None,
          date_order: str | None, countries: tuple[str, ...], id_numbers: tuple[str, ...],
          topics: tuple[str, ...], limit: int, threshold: float | None,
          as_json: bool) -> None:
    """Screen one name against the active lists, best match first.

    NAME may be quoted or not: its words, as the shell splits them, are the name
    (discreet match Vladimir Putin screens "Vladimir Putin").

    Example: discreet match "Vladimir Putin" --schema Person --country ru --topic sanction
    """
    from discreet.match import Query
    from discreet.screen import load_matcher
    from discreet.text.dates import check_order, normalize_date

    written = " ".join(word.strip() for word in name if word.strip())
    if not written:
        raise ConfigError("NAME is blank: give the name to screen")
    query = Query(name=written, schema=schema,
                  birth_date=normalize_date(birth_date, check_order(date_order)),
                  countries=countries, id_numbers=id_numbers)
    wanted = check_topics(topics)
    results = load_matcher(open_store(ctx)).match(query, limit=limit, threshold=threshold,
                                                  topics=wanted or None)
    if as_json:  # each with the topics it carries (match/topics.py): sanction, role.pep…
        emit([r.to_dict() for r in results])
    else:
        match_results(written, results, threshold)


@click.command("screen-file")
@click.argument("input_path", metavar="INPUT", type=FILE)
@click.option("-o", "--output", type=FILE, default="-",
              help="Output file (default: standard output); written atomically, resumable "
              "from a file.")
@click.option("--map", "mapping", help="Column mapping: name=Customer Name,birth_date=DOB,…")
@click.option("--input-format", type=click.Choice(["auto", "csv", "tsv", "xlsx", "parquet",
                                                   "jsonl"]), default="auto", show_default=True)
@click.option("--output-format", type=click.Choice(["auto", "jsonl", "csv", "parquet"]),
              default="auto", show_default=True,
              help="jsonl: one line per row; csv / parquet: one row per alert.")
@click.option("--keep", multiple=True, help="Input column copied into the output (repeat).")
@workers_option
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True)
@date_order_option
@max_rejects_option
@topics_option
@threshold_option
@limit_option
@json_option(SUMMARY_JSON)
@click.pass_context
def screen_file(ctx: click.Context, input_path: Path, output: Path, mapping: str | None,
                input_format: str, output_format: str, keep: tuple[str, ...], workers: int,
                batch_size: int, date_order: str | None, max_rejects: int,
                topics: tuple[str, ...], threshold: float | None, limit: int,
                as_json: bool) -> None:
    """Screen every row of a customer file: CSV/TSV (UTF-8 or cp1252), Excel, Parquet, JSONL.

    Columns id,name[,schema,birth_date,country] (or --map). JSON lines output has one line
    per row, in input order: {"id": …, "matches": [best first]}; rows that cannot be
    screened (an unclosed quote, extra values, no name) are written with "matches": [] and
    an "error" and reported by line, and the command then exits with status 3 (unless
    --max-rejects allows them). From a file to a file, an interrupted run continues where
    it stopped when the same command is run again; "-" (standard input or output) streams
    through the same workers, without a checkpoint. The summary goes to standard error
    (--json: as JSON), the same whatever the input and output. Each alert names its
    entity's topics; --topic keeps the entities carrying one (each scored as without it).

    Example: discreet screen-file customers.xlsx -o alerts.jsonl --map name=Customer Name
    """
    from discreet.screen import load_matcher
    from discreet.screen.bulk import BulkOptions, check_run
    from discreet.screen.readers import parse_map
    from discreet.screen.runs import RunRecord, write_run
    from discreet.text.dates import check_order

    store = open_store(ctx)
    versions = {v.source: v.version for v in store.active()}  # read before the index is built
    options = BulkOptions(threshold=threshold, limit=limit, workers=workers,
                          batch_size=batch_size, mapping=tuple(parse_map(mapping).items()),
                          input_format=input_format,
                          output_format=_output_format(output, output_format), keep=keep,
                          date_order=check_order(date_order), topics=check_topics(topics))
    check_run(input_path, output, options)  # before the index is built
    summary = _screen(load_matcher(store), input_path, output, options)
    _report_rejects(input_path, summary.rejects, summary.rejected)
    for problem in summary.warnings[:SHOWN_REJECTS]:
        click.echo(f"warning: {input_path}: {problem}", err=True)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False), err=True)
    else:
        click.echo(run_summary(summary), err=True)
    if str(output) != "-":
        write_run(output, RunRecord(versions, threshold, limit,
                                    date_order=options.date_order, topics=options.topics))
    check_rejects(input_path, summary.rejected, max_rejects)


def _output_format(output: Path, output_format: str) -> str:
    """``auto``: from the output's extension (.csv, .parquet), else JSON lines."""
    if output_format != "auto":
        return output_format
    return {".csv": "csv", ".parquet": "parquet"}.get(output.suffix.lower(), "jsonl")


SHOWN_REJECTS = 100  # rejected rows listed on standard error (--json lists up to 1,000)


def _screen(matcher: Matcher, input_path: Path, output: Path,
            options: BulkOptions) -> RunSummary:
    """One pipeline whatever the input and output; a progress bar (or a JSON line every
    10 s) on standard error while the alerts go to a file."""
    from discreet.screen.bulk import screen_bulk
    from discreet.screen.progress import ProgressReporter, count_rows
    from discreet.screen.readers import detect_format

    if str(output) == "-":  # the alerts scroll by on the terminal: no bar over them
        return screen_bulk(matcher, input_path, output, options)
    total = None
    if str(input_path) != "-":
        in_fmt = detect_format(input_path) if options.input_format == "auto" \
            else options.input_format
        total = count_rows(input_path, in_fmt)
    with ProgressReporter(total) as progress:
        return screen_bulk(matcher, input_path, output, options, progress)


def _report_rejects(path: Path, rejects: Sequence[str], rejected: int) -> None:
    for problem in rejects[:SHOWN_REJECTS]:
        click.echo(f"warning: {path}: {problem}", err=True)
    if rejected > SHOWN_REJECTS:
        click.echo(f"warning: {path}: … and {rejected - SHOWN_REJECTS} more rejected rows "
                   "(--json lists the first 1,000; each is in the output with its error)",
                   err=True)


@click.command()
@click.argument("input_path", metavar="CUSTOMERS", type=FILE)
@click.option("--previous", type=FILE, required=True,
              help="The alerts (JSON lines) of the last run over these customers.")
@click.option("--since", "since_text", default="last", show_default=True,
              help="SOURCE:VERSION[,…], or 'last': the versions the previous run used.")
@click.option("-o", "--output", type=FILE, required=True,
              help="JSON lines of customers whose alerts changed: {id, new, gone}.")
@click.option("--map", "mapping", help="Column mapping, as for screen-file.")
@workers_option
@click.option("--update", is_flag=True,
              help="Apply the changes to --previous and record the new versions.")
@click.option("--path", "path", type=click.Choice(["auto", "delta", "full"]), default="delta",
              show_default=True,
              help="delta: screen against the changed entities only (every one of them); "
              "full: screen every row against the whole index (what screen-file finds); "
              "auto: whichever is estimated cheaper.")
@date_order_option
@topics_option
@max_rejects_option
@json_option(SUMMARY_JSON)
@click.pass_context
def rescreen(ctx: click.Context, input_path: Path, previous: Path, since_text: str,
             output: Path, mapping: str | None, workers: int, update: bool, path: str,
             date_order: str | None, topics: tuple[str, ...], max_rejects: int,
             as_json: bool) -> None:
    """Re-screen customers for what changed in the lists since a version.

    Lists the alerts that are new, those gone (the entity was delisted, no longer matches
    after an amendment, or is outranked by --limit better ones), and those whose entity
    was amended and still alerts. With the name cache a screen-file run leaves beside
    its alerts (ALERTS.tokens), only the customers who could match a changed entity are
    screened; without one (or for another file or mapping) every row is, and the cache is
    written for the next time. When many entities changed for a small file, screening
    every row against the whole index again costs less: --path auto takes whichever is
    estimated cheaper and says which. The full path reports what screen-file finds; with
    a large index the delta can find more (its changed entities are not cut to the index's
    best candidates), so it is the default. The date order and topics are the previous
    run's (--date-order and --topic only where its record has none).

    Example: discreet rescreen customers.csv --previous alerts.jsonl -o delta.jsonl --update
    """
    from discreet.screen import load_matcher
    from discreet.screen.bulk import BulkOptions
    from discreet.screen.readers import parse_map
    from discreet.screen.rescreen import parse_since
    from discreet.screen.rescreen import rescreen as run_rescreen
    from discreet.screen.runs import order_for, read_run, topics_for
    from discreet.text.dates import check_order

    store = open_store(ctx)
    since = None if since_text == "last" else parse_since(since_text)
    record = read_run(previous) if since is None else None
    order = check_order(date_order)  # the previous run's, by default (runs.order_for)
    options = BulkOptions(threshold=record.threshold if record else None,
                          limit=record.limit if record else 5, workers=workers,
                          mapping=tuple(parse_map(mapping).items()),
                          date_order=order_for(record, order, previous) if record else order,
                          topics=topics_for(record, check_topics(topics), previous))
    summary = run_rescreen(load_matcher(store), store, input_path, previous, output,
                           since=since, options=options, update=update, path=path)
    _report_rejects(input_path, summary.rejects, summary.rejected)
    if as_json:
        click.echo(json.dumps(summary.to_dict()), err=True)
    else:
        click.echo(rescreen_summary(summary), err=True)
    check_rejects(input_path, summary.rejected, max_rejects)


@click.command()
@click.option("--pairs", "pairs_path", type=FILE, required=True,
              help="CSV file with columns name1,name2[,schema].")
@click.option("-o", "--output", type=FILE, default="-",
              help="CSV output file (default: standard output); written atomically.")
@max_rejects_option
@json_option(SUMMARY_JSON)
def compare(pairs_path: Path, output: Path, max_rejects: int, as_json: bool) -> None:
    """Score name pairs: the input's columns plus score and match (score >= the default
    threshold). The file is read as screen-file reads CSV; a pair that cannot be read or
    scored is written unscored and reported by line (exit status 3 unless --max-rejects).
    The summary goes to standard error (--json: as JSON).

    Example: discreet compare --pairs pairs.csv --output scored.csv
    """
    from discreet.screen import compare_file

    summary = compare_file(pairs_path, output, on_error=_report_row(pairs_path))
    text = json.dumps(summary.to_dict()) if as_json else str(summary)
    click.echo(text, err=True)
    check_rejects(pairs_path, summary.rejected, max_rejects, what="pair", done="scored")
