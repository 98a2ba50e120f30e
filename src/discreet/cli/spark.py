"""The ``discreet spark-screen`` command (needs pyspark; runs locally or via spark-submit)."""

from __future__ import annotations

import json

import click

from discreet.cli.options import (
    SUMMARY_JSON,
    check_rejects,
    check_topics,
    date_order_option,
    json_option,
    limit_option,
    max_rejects_option,
    store_url,
    threshold_option,
    topics_option,
)

__all__ = ["spark_screen"]


@click.command("spark-screen")
@click.argument("input_path")
@click.argument("output_path")
@click.option("--input-format", default="auto", show_default=True,
              help="csv, tsv, json (JSON lines), parquet, xlsx or orc (auto: from the "
              "extension). All but ORC are read as screen-file reads them.")
@click.option("--output-format", type=click.Choice(["parquet", "csv", "json", "orc"]),
              default="parquet", show_default=True)
@click.option("--name-col", default="name", show_default=True)
@click.option("--id-col", default="id", show_default=True)
@click.option("--schema-col")
@click.option("--birth-date-col")
@date_order_option
@click.option("--country-col")
@topics_option
@threshold_option
@limit_option
@click.option("--master", help="Spark master for a local run, e.g. local[*]; "
              "omit under spark-submit.")
@max_rejects_option
@json_option(SUMMARY_JSON)
@click.pass_context
def spark_screen(ctx: click.Context, input_path: str, output_path: str, input_format: str,
                 output_format: str, name_col: str, id_col: str, schema_col: str | None,
                 birth_date_col: str | None, date_order: str | None, country_col: str | None,
                 topics: tuple[str, ...], threshold: float | None, limit: int,
                 master: str | None, max_rejects: int, as_json: bool) -> None:
    """Screen a customer table with Spark; the index is built once and broadcast.

    Files are read as screen-file reads them: a row that cannot be read (an unclosed
    quote, more values than columns) is rejected and reported by file and line, never
    hides the rows after it; the alerts carry each row's file and line. Exit status 3 when
    rows were rejected, unless --max-rejects allows them.

    Example: discreet spark-screen customers.parquet alerts.parquet --master 'local[*]'
    """
    from discreet.cli.render import run_summary
    from discreet.screen.spark_job import SparkJob, run_job

    job = SparkJob(input=input_path, output=output_path, store=store_url(ctx),
                   input_format=input_format, output_format=output_format,
                   name_col=name_col, id_col=id_col, schema_col=schema_col,
                   birth_date_col=birth_date_col, country_col=country_col,
                   threshold=threshold, limit=limit, master=master,
                   date_order=date_order.upper() if date_order else None,
                   topics=check_topics(topics))
    summary = run_job(job)
    for problem in summary.rejects:
        click.echo(f"warning: {problem}", err=True)
    if summary.rejected > len(summary.rejects):
        click.echo(f"warning: {input_path}: … and {summary.rejected - len(summary.rejects)} "
                   "more rejected rows (each is in the alerts, rank 0, with its error)",
                   err=True)
    click.echo(json.dumps(summary.to_dict(), ensure_ascii=False) if as_json
               else run_summary(summary), err=True)
    check_rejects(input_path, summary.rejected, max_rejects)
