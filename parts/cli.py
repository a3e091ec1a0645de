"""Command-line tools of the parts counter: import and export the catalogue."""

import click
from flask.cli import AppGroup

from dealer import services
from dealer.audit import acting_as
from dealer.extensions import db
from parts.catalogue_csv import apply_import, export_csv, plan_import

parts_cli = AppGroup("parts", help="Import and export the parts catalogue.")


@parts_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_parts(file, dry_run):
    """Import a parts CSV: every row is checked first; any error and nothing is written."""
    site = services.default_site()
    plan = plan_import(site.id, file.read())
    for error in plan.errors[:200]:
        click.echo(f"row {error.row}: {error.field}: {error.message}", err=True)
    if len(plan.errors) > 200:
        click.echo(f"... and {len(plan.errors) - 200} more errors", err=True)
    click.echo(f"{plan.new} new, {plan.updated} updated, {len(plan.errors)} errors")
    if plan.errors:
        raise SystemExit(1)
    if dry_run:
        click.echo("dry run: nothing written")
        return
    with acting_as(None), click.progressbar(length=len(plan.rows), label="importing") as bar:
        apply_import(None, site.id, plan, progress=bar.update)
        db.session.commit()
    click.echo("imported")


@parts_cli.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8"))
def export_parts(file):
    """Write the catalogue with its stock to a CSV file."""
    file.write(export_csv(services.default_site().id))
