"""Hoster commands: import the registry from a file."""

from pathlib import Path

import click
from flask.cli import AppGroup

from enforcement.cli import import_file
from enforcement.core.tabular import FORMATS
from enforcement.extensions import db
from enforcement.hosters.importing import import_hosters

hosters_cli = AppGroup("hosters", help="The registry of supervised hosting companies.")


@hosters_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(FORMATS), help="Default: from the name.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
def import_command(path: Path, file_format: str | None, dry_run: bool) -> None:
    """Import hosters from CSV or JSON Lines, one per row, keyed by KvK number.

    Columns: kvk, name, legal_name, country, address (optional), email, abuse_contact,
    language (nl or en), ip_ranges (separated by spaces). A re-import updates; a file with
    any error imports nothing and lists every error by row.
    """
    result = import_file(
        path,
        file_format,
        lambda stream, fmt: import_hosters(
            db.session, stream, fmt, actor=None, source=f"import {path.name}"
        ),
    )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for row, notice in result.notices:
        click.echo(f"row {row}: note: {notice}", err=True)
    if result.ignored_columns:
        click.echo(f"ignored columns: {', '.join(result.ignored_columns)}", err=True)
    summary = (
        f"{len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged"
    )
    click.echo(f"Dry run: {summary}; nothing was changed." if dry_run else f"{summary}.")
