"""Benchmark the notice import and the per-hoster figures against their floors (issue 3).

    .venv/bin/python bench/notices_bench.py [--notices 1000000] [--hosters 2000] [--seed 7]
        [--skip-postgres] [--work-dir DIR] [--repeat 2]

Prints each measurement beside its floor, the ratio and the target; exits non-zero when the
app's figures differ from DuckDB's for any hoster. See bench/README.md.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import floors  # noqa: E402
from databases import (  # noqa: E402
    POSTGRES_URL,
    create_schema_with_hosters,
    make_app,
    postgres_schema,
    sqlite_url,
)
from figures_check import app_figures, best_of, differences, duckdb_figures, load_duckdb  # noqa: E402
from synthetic import EXPORTED_AT, make_hosters, write_notices  # noqa: E402

from enforcement.core.time import LOCAL_TZ  # noqa: E402
from enforcement.extensions import db  # noqa: E402
from enforcement.notices.importing import get_or_create_source  # noqa: E402

PSYCOPG_URL = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
LAST_DAY = EXPORTED_AT.astimezone(LOCAL_TZ).date()
WINDOW = (LAST_DAY - timedelta(days=41), LAST_DAY)  # six weeks of calendar days
FIGURE_RUNS = 5


class Report:
    """Collects the printed lines; remembers missed targets."""

    def __init__(self):
        self.missed: list[str] = []

    def line(self, text: str) -> None:
        print(text, flush=True)

    def compare(self, label: str, app: float, floor: float, target: float, floor_name: str):
        ratio = app / floor
        verdict = "ok" if ratio <= target else "MISSED"
        if verdict != "ok":
            self.missed.append(label)
        self.line(
            f"  {label:<28} app {app:7.2f} s   {floor_name} {floor:7.3f} s   "
            f"ratio {ratio:5.2f} (target <= {target:g})  {verdict}"
        )


def fresh_database(url: str, hosters, schema: str | None = None) -> dict[str, int]:
    """Create the app's tables with the hosters and the source 'bench'; return ids by KvK."""
    app = make_app(url, schema)
    ids = create_schema_with_hosters(app, hosters)
    with app.app_context():
        get_or_create_source(db.session, "bench")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return ids


def import_in_child(csv_path: Path, url: str, schema: str | None = None) -> dict:
    """Import through the app's code in a child process; add the child's CPU time."""
    command = [sys.executable, str(BENCH_DIR / "import_child.py"), str(csv_path), "--url", url]
    command += ["--schema", schema] if schema else []
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the import failed (exit {child.returncode})")
    result = json.loads(output)
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result


def check_figures(report: Report, label: str, app, duck, target: float) -> None:
    """Time the app's figures against DuckDB's; stop loudly when any hoster's figures differ."""
    as_of = EXPORTED_AT
    app_seconds, app_answer = app_figures(app, *WINDOW, as_of, FIGURE_RUNS)
    duck_seconds, duck_answer = best_of(FIGURE_RUNS, lambda: duckdb_figures(duck, *WINDOW, as_of))
    wrong = differences(duck_answer, app_answer)
    if wrong:
        report.line("\n".join(wrong[:40]))
        raise SystemExit(f"{label}: the app's figures differ from DuckDB's ({len(wrong)} lines)")
    notices = sum(figures.notices for figures in duck_answer.values())
    report.line(f"  {label}: {len(duck_answer)} hosters, {notices} notices, all figures agree")
    report.compare(f"{label} figures", app_seconds, duck_seconds, target, "DuckDB")


def import_section(report: Report, name: str, floor: list, bare: list, results: list) -> None:
    """Print the fastest import beside the fastest floor (every run in brackets)."""
    runs = ", ".join(f"{r['seconds']:.2f}" for r in results)
    floor_runs = ", ".join(f"{seconds:.2f}" for seconds in floor)
    bare_runs = ", ".join(f"{seconds:.2f}" for seconds in bare)
    report.line(
        f"  {name} import: {results[-1]['summary']}; runs: app {runs}, floor {floor_runs}, "
        f"bare floor {bare_runs}"
    )
    fastest = min(r["seconds"] for r in results)
    report.compare(f"{name} import", fastest, min(floor), 2, "floor")
    peak = max(r["peak_mb"] for r in results)
    report.line(
        f"  {'':<28} bare floor (no index or constraint) {min(bare):.2f} s, ratio "
        f"{fastest / min(bare):.2f}; import CPU {min(r['cpu_seconds'] for r in results):.1f} s; "
        f"peak memory {peak:.0f} MB (target < 300)"
    )
    if peak >= 300:
        report.missed.append(f"{name} import memory")


def run_sqlite(report: Report, work: Path, csv_path: Path, hosters, duck, repeat: int) -> None:
    report.line("SQLite")
    floor_db, app_db, stored = work / "floor.sqlite", work / "app.sqlite", work / "stored.csv"
    floor, bare, results = [], [], []
    for _ in range(repeat):  # floor and import in turns, so a busy moment hits both alike
        for path in (floor_db, app_db):
            path.unlink(missing_ok=True)
        ids = fresh_database(sqlite_url(floor_db), hosters)
        if not stored.exists():
            floors.write_stored_rows(csv_path, stored, ids)
        floor.append(floors.sqlite_floor(stored, floor_db))
        bare.append(floors.sqlite_bare_floor(csv_path, work / "bare.sqlite"))
        fresh_database(sqlite_url(app_db), hosters)
        results.append(import_in_child(csv_path, sqlite_url(app_db)))
    import_section(report, "SQLite", floor, bare, results)
    check_figures(report, "SQLite", make_app(sqlite_url(app_db)), duck, 5)


def run_postgres(report: Report, work: Path, csv_path: Path, hosters, duck, repeat: int) -> None:
    report.line("PostgreSQL")
    floor, bare, results = [], [], []
    for number in range(1, repeat + 1):
        with postgres_schema() as floor_schema:
            fresh_database(POSTGRES_URL, hosters, floor_schema)
            floor.append(floors.postgres_floor(work / "stored.csv", PSYCOPG_URL, floor_schema))
            bare.append(floors.postgres_bare_floor(csv_path, PSYCOPG_URL, floor_schema))
        with postgres_schema() as app_schema:
            fresh_database(POSTGRES_URL, hosters, app_schema)
            floors.checkpoint(PSYCOPG_URL)
            results.append(import_in_child(csv_path, POSTGRES_URL, app_schema))
            if number == repeat:
                import_section(report, "PostgreSQL", floor, bare, results)
                check_figures(report, "PostgreSQL", make_app(POSTGRES_URL, app_schema), duck, 8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--hosters", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--work-dir", type=Path, help="Default: a temporary directory.")
    parser.add_argument("--repeat", type=int, default=2, help="Floor and import runs; the "
                        "fastest of each is compared (default 2).")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notices-bench-") as temporary:
        work = args.work_dir or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        report = Report()
        hosters = make_hosters(args.hosters, random.Random(args.seed))  # noqa: S311 (synthetic)
        csv_path = work / "notices.csv"
        started = time.perf_counter()
        write_notices(csv_path, args.notices, hosters, args.seed)
        report.line(
            f"{args.notices} notices over {args.hosters} hosters, seed {args.seed}: "
            f"{csv_path.stat().st_size / 2**20:.0f} MB written in "
            f"{time.perf_counter() - started:.1f} s; window {WINDOW[0]} to {WINDOW[1]}, "
            f"as of {EXPORTED_AT:%Y-%m-%d %H:%M} UTC"
        )
        duck = load_duckdb(csv_path)
        run_sqlite(report, work, csv_path, hosters, duck, args.repeat)
        if not args.skip_postgres:
            run_postgres(report, work, csv_path, hosters, duck, args.repeat)
        report.line(f"Targets missed: {', '.join(report.missed)}" if report.missed else
                    "All targets met.")  # fmt: skip


if __name__ == "__main__":
    main()
