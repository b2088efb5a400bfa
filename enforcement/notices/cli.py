"""Notice commands: import notices or the monitor's check log from a file."""

import csv
import io
import json
import sys
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import current_app
from flask.cli import AppGroup

from enforcement.cli import print_errors
from enforcement.core.errors import ImportErrors
from enforcement.core.tabular import FORMATS, detect_format, iter_records, safe_cell
from enforcement.extensions import db
from enforcement.notices.importing import get_or_create_source, import_notices
from enforcement.notices.parsing import RowErrors

notices_cli = AppGroup("notices", help="Notices from the hotline and the monitor's checks.")


class CountingReader(io.RawIOBase):
    """A binary reader that counts the bytes read, for a progress bar over a large file."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.bytes_read += count or 0
        return count


class RejectedWriter:
    """Write rejected rows, with their row number and reasons, in the input's format."""

    def __init__(self, path: Path, file_format: str):
        self.path = path
        self.file_format = file_format
        self.stream: IO[str] | None = None
        self.csv_writer: Any = None

    def __call__(self, number: int, record: Any, errors: RowErrors) -> None:
        reasons = "; ".join(f"{col}: {why}" if col else why for col, why in errors)
        record = record if isinstance(record, dict) else {}
        if self.stream is None:
            self.stream = self.path.open("w", encoding="utf-8", newline="")
        if self.file_format == "jsonl":
            self.stream.write(json.dumps({**record, "row": number, "errors": reasons}) + "\n")
            return
        if self.csv_writer is None:
            fields = [*record.keys(), "row", "errors"]
            self.csv_writer = csv.DictWriter(self.stream, fieldnames=fields, extrasaction="ignore")
            self.csv_writer.writeheader()
        row = {
            key: safe_cell(str(value)) for key, value in record.items()
        }  # opened in spreadsheets
        self.csv_writer.writerow({**row, "row": number, "errors": safe_cell(reasons)})

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def zone_option(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {name!r}", param_hint="--assume-tz") from None


@notices_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="hotline", show_default=True, help="Who sent the notices.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), help="Default: from the name.")
@click.option("--checks", is_flag=True, help="The file is the monitor's check log, not notices.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows; write rejected ones.")
@click.option("--assume-tz", help="Zone for timestamps without offset, e.g. Europe/Amsterdam.")
def import_command(path: Path, source: str, file_format: str | None, checks: bool,
                   skip_invalid: bool, assume_tz: str | None) -> None:  # fmt: skip
    """Import notices (CSV or JSON Lines) or, with --checks, the monitor's check log.

    A file with any invalid row imports nothing and lists every error by row; with
    --skip-invalid the valid rows are imported and the rejected ones are written beside the
    file as NAME.rejected.csv (or .jsonl). Importing the same file twice changes nothing.
    """
    zone = zone_option(assume_tz)
    try:
        file_format = detect_format(path, file_format)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    rejected = RejectedWriter(path.with_name(f"{path.stem}.rejected.{file_format}"), file_format)
    try:
        report = _run_import(path, file_format, source, zone, skip_invalid, checks, rejected)
    except ImportErrors as exc:
        db.session.rollback()
        print_errors(exc.errors)
        raise click.ClickException(exc.message) from None
    except UnicodeDecodeError:
        db.session.rollback()
        raise click.ClickException(f"{path.name} is not UTF-8 text.") from None
    except OSError as exc:  # unreadable, or NAME.rejected.csv cannot be written
        db.session.rollback()
        name = Path(exc.filename or path).name
        raise click.ClickException(f"{name} cannot be read or written ({exc.strerror}).") from None
    finally:
        rejected.close()
    db.session.commit()
    if report.rejected:
        print_errors(report.errors)
        click.echo(f"Rejected rows written to {rejected.path}", err=True)
    click.echo(report.summary() + ".")


def _run_import(path, file_format, source_name, zone, skip_invalid, checks, rejected):
    from enforcement.notices.probes import import_checks

    size = path.stat().st_size
    with (
        path.open("rb") as raw,
        click.progressbar(length=size, label=f"Importing {path.name}", file=sys.stderr) as bar,
    ):
        counter = CountingReader(raw)
        stream = io.TextIOWrapper(io.BufferedReader(counter), encoding="utf-8-sig", newline="")
        last = [0]

        def progress(rows: int) -> None:
            if rows % 1000 == 0:
                bar.update(counter.bytes_read - last[0])
                last[0] = counter.bytes_read

        source = get_or_create_source(db.session, source_name)
        records = iter_records(stream, file_format)
        options = {"assume_tz": zone, "skip_invalid": skip_invalid, "on_reject": rejected,
                   "progress": progress}  # fmt: skip
        if checks:
            failures = current_app.config["CHECK_FAILURES_FOR_OFFLINE"]
            report = import_checks(db.session, records, source=source,
                                   failures_for_offline=failures, **options)  # fmt: skip
        else:
            report = import_notices(db.session, records, source=source, **options)
        bar.update(size - last[0])
    return report


@notices_cli.command("token")
@click.option("--source", required=True, help="The source (e.g. monitor) the token is for.")
def token_command(source: str) -> None:
    """Issue a new API token for a source, replacing its old one; it is shown only once."""
    from enforcement.notices.api import issue_token

    try:
        token = issue_token(db.session, source)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"API token for {source.strip()} (store it now; it is not kept):", err=True)
    click.echo(token)
