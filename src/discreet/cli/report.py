"""``discreet report``: evidence of screening for a supervisor (HTML, PDF, JSON).

Example: discreet report customer C-1042 --format pdf -o C-1042.pdf
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from discreet.cli.options import open_store, threshold_option
from discreet.review.evidence import (
    FORMATS,
    alert_evidence,
    as_of_check,
    customer_evidence,
    period_evidence,
    render,
)

__all__ = ["report"]


def _output(func: Any) -> Any:
    func = click.option("--format", "fmt", type=click.Choice(FORMATS), default="json",
                        show_default=True, help="The report's format.")(func)
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write the report to this file (default: standard output; "
                             "a PDF needs -o).")(func)


def _emit(report: dict[str, Any], fmt: str, output: Path | None) -> None:
    if fmt == "pdf" and output is None:
        raise click.BadParameter("a PDF is written to a file: give -o FILE", param_hint="-o")
    drawn = render(report, fmt)
    if drawn.text is None:
        assert output is not None
        output.write_bytes(drawn.body)
    elif output is None:
        click.echo(drawn.text, nl=False)
        return
    else:
        output.write_text(drawn.text, encoding="utf-8")
    click.echo(f"{output}: {report['report']} report, audit chain head "
               f"{report['audit']['head_seq']} {report['audit']['head_hash']}"
               + ("" if report["audit"]["verified"] else " (the chain did NOT verify)"),
               err=True)


def _day(text: str, hint: str) -> str:
    try:
        return date.fromisoformat(text[:10]).isoformat() + text[10:]
    except ValueError as exc:
        raise click.BadParameter(f"not a date (YYYY-MM-DD): {text!r}", param_hint=hint) \
            from exc


@click.group()
def report() -> None:
    """Evidence of what was screened, when, against which list versions, what was
    decided by whom, with the audit chain's hashes to verify it against."""


@report.command("customer")
@click.argument("ref")
@_output
@click.pass_context
def customer(ctx: click.Context, ref: str, fmt: str, output: Path | None) -> None:
    """A customer's whole story: versions, runs, list versions, alerts, decisions."""
    _emit(customer_evidence(open_store(ctx), ref), fmt, output)


@report.command("alert")
@click.argument("alert_id", type=int)
@_output
@click.pass_context
def alert(ctx: click.Context, alert_id: int, fmt: str, output: Path | None) -> None:
    """One alert: every run that raised it, its list versions and its case."""
    _emit(alert_evidence(open_store(ctx), alert_id), fmt, output)


@report.command("period")
@click.option("--since", required=True, help="First day (YYYY-MM-DD or an ISO time).")
@click.option("--until", required=True, help="Last day (YYYY-MM-DD or an ISO time).")
@_output
@click.pass_context
def period(ctx: click.Context, since: str, until: str, fmt: str, output: Path | None) -> None:
    """The runs of a period, their list versions and counts, and its decisions."""
    start, end = _day(since, "--since"), _day(until, "--until")
    if end < start:
        raise click.BadParameter("--until is before --since", param_hint="--until")
    _emit(period_evidence(open_store(ctx), start, end), fmt, output)


@report.command("as-of")
@click.argument("day")
@click.option("--customer", "ref", help="A customer of the book (its fields as on DAY).")
@click.option("--name", help="A name to screen.")
@threshold_option
@_output
@click.pass_context
def as_of(ctx: click.Context, day: str, ref: str | None, name: str | None,
          threshold: float | None, fmt: str, output: Path | None) -> None:
    """Screen a customer or a name against the list versions active on DAY (YYYY-MM-DD),
    naming them: shows whether a party was listed when it was onboarded.

    Example: discreet report as-of 2021-03-01 --customer C-1042 --format pdf -o c.pdf
    """
    if (ref is None) == (name is None):
        raise click.UsageError("give --customer REF or --name NAME (one of them)")
    try:
        result = as_of_check(open_store(ctx), _day(day, "DAY")[:10], ref=ref, name=name,
                             threshold=threshold)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    _emit(result, fmt, output)
