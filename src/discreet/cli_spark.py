"""The ``discreet spark-screen`` command (needs pyspark; runs locally or via spark-submit)."""

from __future__ import annotations

import click

__all__ = ["spark_screen"]


@click.command("spark-screen")
@click.argument("input_path")
@click.argument("output_path")
@click.option("--input-format", default="auto", show_default=True,
              help="csv, parquet, json or orc (auto: from the extension).")
@click.option("--output-format", type=click.Choice(["parquet", "csv", "json", "orc"]),
              default="parquet", show_default=True)
@click.option("--name-col", default="name", show_default=True)
@click.option("--id-col", default="id", show_default=True)
@click.option("--schema-col")
@click.option("--birth-date-col")
@click.option("--date-order", type=click.Choice(["DMY", "MDY", "YMD"], case_sensitive=False),
              help="How to read a birth date like 07/10/1952 (default: both ways).")
@click.option("--country-col")
@click.option("--threshold", type=click.FloatRange(0, 1))
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True)
@click.option("--master", help="Spark master for a local run, e.g. local[*]; "
              "omit under spark-submit.")
@click.pass_context
def spark_screen(ctx: click.Context, input_path: str, output_path: str, input_format: str,
                 output_format: str, name_col: str, id_col: str, schema_col: str | None,
                 birth_date_col: str | None, date_order: str | None, country_col: str | None,
                 threshold: float | None, limit: int, master: str | None) -> None:
    """Screen a customer table with Spark; the index is built once and broadcast.

    Example: discreet spark-screen customers.parquet alerts.parquet --master 'local[*]'
    """
    from discreet.spark_job import SparkJob, run_job

    job = SparkJob(input=input_path, output=output_path, store=ctx.obj["db"],
                   input_format=input_format, output_format=output_format,
                   name_col=name_col, id_col=id_col, schema_col=schema_col,
                   birth_date_col=birth_date_col, country_col=country_col,
                   threshold=threshold, limit=limit, master=master,
                   date_order=date_order.upper() if date_order else None)
    count = run_job(job)
    click.echo(f"{count} alert rows written to {output_path}", err=True)
