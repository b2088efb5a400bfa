"""Read record files (CSV with a header row, or JSON Lines) as a stream of numbered rows."""

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

FORMATS = ("csv", "jsonl")


def detect_format(path: Path, declared: str | None) -> str:
    """Return csv or jsonl, from the declared format or the file name; ValueError if unknown."""
    if declared:
        return declared
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".csv", ".txt"}:
        return "csv"
    raise ValueError(f"cannot tell the format of {path.name}; pass --format csv or jsonl")


def missing_columns(columns: Iterable[str], required: Iterable[str]) -> list[tuple[int, str, str]]:
    """Return (row 1, column, reason) for each required column absent from a file's header."""
    present = set(columns)
    return [
        (1, column, "required column is missing")
        for column in sorted(required)
        if column not in present
    ]


def iter_records(stream: IO[str], file_format: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield (row number, record) pairs; a row that cannot be read comes as an error text.

    The CSV header is row 1 and its first record row 2, as a spreadsheet shows them; a JSON
    Lines row is its line number. Keys are stripped and lower-cased.
    """
    if file_format == "jsonl":
        yield from _iter_jsonl(stream)
    else:
        yield from _iter_csv(stream)


def _iter_jsonl(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(record, dict):
            yield number, "a row must be a JSON object"
            continue
        yield number, {str(key).strip().lower(): value for key, value in record.items()}


def _iter_csv(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    first_line = stream.readline()
    # Spreadsheets with a Dutch locale export with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    keys = [key.strip().lower() for key in header]
    # Numbered by record, as a spreadsheet numbers rows (a quoted value may span lines).
    reader = csv.reader(stream, delimiter=delimiter)
    number = 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader cannot resume after a malformed record: report it and stop reading.
            yield number, f"unreadable CSV ({exc})"
            return
        if not "".join(values).strip():  # a blank line or only separators
            continue
        if len(values) > len(keys):
            yield number, "more values than there are columns in the header"
            continue
        yield number, dict(zip(keys, values + [""] * (len(keys) - len(values)), strict=True))
