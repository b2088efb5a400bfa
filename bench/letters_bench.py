"""Benchmark the letters (issue 5): our full path against bare WeasyPrint, a pool, memory.

    .venv/bin/python bench/letters_bench.py [--notices 200] [--runs 7] [--letters 15]
        [--large 2000] [--workers N] [--seed 2020]

(a) A warning letter citing ``--notices`` notices: our full path (context, template snapshot,
    HTML, evidence attachments, PDF/A-3b; the functions in enforcement/letters) against bare
    WeasyPrint rendering the same final HTML (to a plain PDF, and to the same PDF/A-3b with the
    same attachments), in turns, medians of ``--runs``. See bench/README.md.
(b) The 2020 scenario: ``--letters`` warning letters for as many hosters, one after another in
    this process, then in a process pool of all cores (each worker imports WeasyPrint once, in
    the pool's initializer, and renders a one-notice letter to load fonts and the chart code).
(c) Peak memory (VmHWM) of a child process that renders one letter, beside a child that only
    imports; and a letter citing ``--large`` notices: its body lists 50, the annex all.

Synthetic data only: example.test addresses and documentation IPs. Prints its figures; exits
non-zero only when a letter fails to render or the body is not capped.
"""

import argparse
import gc
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent)]

from enforcement.letters import render  # noqa: E402
from enforcement.letters.context import (  # noqa: E402
    Gathered,
    Measurement,
    ensure_plain,
    evidence_csv,
    evidence_files,
)
from enforcement.letters.kinds import KINDS  # noqa: E402
from enforcement.letters.services import build_pdf  # noqa: E402
from enforcement.metrics.charts import weekly_chart  # noqa: E402
from enforcement.metrics.figures import NoticeTimes, compute_figures  # noqa: E402
from enforcement.metrics.policy import Thresholds  # noqa: E402
from enforcement.metrics.services import WeekFigures  # noqa: E402

AS_OF = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in Amsterdam
FIRST_DAY, LAST_DAY = date(2026, 1, 19), date(2026, 3, 1)
DOCUMENTATION_NETS = ("192.0.2", "198.51.100", "203.0.113")
TARGET_RATIO = 1.2


# Synthetic letters ------------------------------------------------------------------------------


def synthetic_case(number: int, language: str) -> SimpleNamespace:
    hoster = SimpleNamespace(
        legal_name=f"Bench Host {number} B.V.", trade_name=f"Bench Host {number}",
        kvk=f"{90_000_000 + number:08d}", country="NL", language=language,
        formal_email=f"legal@host{number}.example.test",
        postal_address=f"Voorbeeldweg {number}\n1000 AA Voorbeeldstad",
    )  # fmt: skip
    return SimpleNamespace(id=number, hoster=hoster, hoster_id=number)


def synthetic_notices(number: int, count: int, seed: int) -> list[SimpleNamespace]:
    """Late notices over the window: most offline after 25-200 hours, every 7th still online."""
    rng = random.Random(seed * 1_000 + number)  # noqa: S311  (synthetic data)
    span = (AS_OF - timedelta(days=2)) - datetime.combine(FIRST_DAY, datetime.min.time(), UTC)
    notices = []
    for index in range(count):
        sent = AS_OF - timedelta(days=2) - span * rng.random()
        late = timedelta(hours=rng.uniform(25, 200))
        offline = None if index % 7 == 0 or sent + late > AS_OF else sent + late
        notices.append(SimpleNamespace(
            id=index + 1, external_id=f"h{number}-{index + 1:05d}",
            url=f"https://files.host{number}.example.test/c/{index + 1:05d}/img.jpg",
            ip=f"{DOCUMENTATION_NETS[number % 3]}.{index % 250 + 1}",
            notice_sent_at=sent, offline_at=offline, reappeared_at=None,
        ))  # fmt: skip
    return notices


def measurement_of(notices: list[SimpleNamespace]) -> Measurement:
    times = [NoticeTimes(n.notice_sent_at, n.offline_at) for n in notices]
    weeks = [
        WeekFigures(FIRST_DAY + timedelta(weeks=k), FIRST_DAY + timedelta(weeks=k, days=6),
                    compute_figures(times[k::6], AS_OF))
        for k in range(6)
    ]  # fmt: skip
    return Measurement(
        FIRST_DAY, LAST_DAY, AS_OF, compute_figures(times, AS_OF), Thresholds(), weeks
    )


def inputs(number: int, cited: int, seed: int) -> tuple[Gathered, str]:
    """What the warning's gatherer would hand over for a hoster: stand-ins, no database."""
    language = "nl" if number % 3 else "en"
    notices = synthetic_notices(number, cited, seed)
    gathered = Gathered(
        case=synthetic_case(number, language),
        facts={"improvement_weeks": 8, "improvement_ends": None},
        measurement=measurement_of(notices),
        notices=notices,
        source={"kind": "warning", "options": {}, "step": None},
    )
    return gathered, language


def full_path(gathered: Gathered, language: str, kenmerk: str) -> tuple[bytes, dict, str]:
    """Our path: the kind's context function, the template snapshot, HTML, evidence, PDF/A."""
    context = ensure_plain(
        KINDS["warning"].build_context(
            gathered, language=language, letter_date=AS_OF, kenmerk=kenmerk
        )
    )
    snapshot, _ = render.template_source("warning", language)
    return build_pdf(snapshot, context), context, snapshot


def bare(html: str, attachments: list | None = None) -> bytes:
    """WeasyPrint alone on the same final HTML: a plain PDF, or PDF/A-3b with the attachments."""
    weasyprint = render._weasyprint()
    document = weasyprint.HTML(string=html, base_url=render.LETTERS_DIR.as_uri() + "/")
    if attachments is None:
        return document.write_pdf()
    files = [weasyprint.Attachment(string=data, name=name) for name, data in attachments]
    return document.write_pdf(pdf_variant=render.PDF_VARIANT, attachments=files)


def letter_job(job: tuple[int, int, int]) -> tuple[int, int]:
    """Render hoster ``number``'s warning (the pool's unit of work); return (number, bytes)."""
    number, cited, seed = job
    gathered, language = inputs(number, cited, seed)
    pdf, _, _ = full_path(gathered, language, f"ENF-2026-{number:06d}")
    return number, len(pdf)


def warm_worker() -> None:
    """Warm a pool worker: import WeasyPrint once, then render a one-notice letter.

    The letter loads the fonts and the chart's machinery, as the parent's are from (a).
    """
    render._weasyprint()
    letter_job((0, 1, 0))


# (a) Our path against bare WeasyPrint -----------------------------------------------------------


def timed(function, *args):
    """Time one call, each starting from a collected heap (the collector stays on, as in
    the app: enforcement.letters.render freezes what exists once WeasyPrint is imported)."""
    gc.collect()
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def compare_with_bare(cited: int, runs: int, seed: int) -> None:
    gathered, language = inputs(1, cited, seed)
    pdf, context, snapshot = full_path(gathered, language, "ENF-2026-000001")  # warm-up
    html, evidence = render.render_snapshot(snapshot, context), evidence_files(context)
    times: dict[str, list[float]] = {"ours": [], "bare": [], "bare_pdfa": []}
    for _ in range(runs):  # side by side: in turns, so each sees the machine as it is
        times["ours"].append(timed(full_path, gathered, language, "ENF-2026-000001")[0])
        times["bare"].append(timed(bare, html)[0])
        times["bare_pdfa"].append(timed(bare, html, evidence)[0])
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio = median["ours"] / median["bare"]
    print(f"(a) warning letter citing {cited} notices ({language}), {pages(pdf)} pages, "
          f"median of {runs} runs in turns:")  # fmt: skip
    for name, label in (("ours", "our full path"), ("bare", "bare WeasyPrint, same HTML"),
                        ("bare_pdfa", "bare WeasyPrint, PDF/A-3b + attachments")):  # fmt: skip
        values = times[name]
        print(f"    {label:<40} {median[name]:6.3f} s  (min {min(values):.3f}, "
              f"max {max(values):.3f})")  # fmt: skip
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    same_output = median["ours"] / median["bare_pdfa"]
    print(f"    ratio {ratio:.2f} (target <= {TARGET_RATIO})  {verdict}; against bare asked for "
          f"the same PDF/A-3b and attachments {same_output:.2f}")  # fmt: skip
    print(f"    our steps before WeasyPrint (median): {steps(gathered, language, snapshot, runs)}")


def steps(gathered: Gathered, language: str, snapshot: str, runs: int) -> str:
    """Time the steps of our path that come before WeasyPrint, to say where time goes."""
    build = KINDS["warning"].build_context
    context = build(gathered, language=language, letter_date=AS_OF, kenmerk="ENF-2026-000001")
    parts = {
        "context": lambda: build(gathered, language=language, letter_date=AS_OF, kenmerk="x"),
        "of which the chart": lambda: weekly_chart(
            [(w.first_day, w.figures.notices, w.figures.offline_within_24h_pct)
             for w in gathered.measurement.weeks], threshold_pct=90.0),
        "template snapshot": lambda: render.template_source("warning", language),
        "html": lambda: render.render_snapshot(snapshot, context),
        "evidence": lambda: evidence_files(context),
    }  # fmt: skip
    medians = {name: statistics.median(timed(part)[0] for _ in range(runs))
               for name, part in parts.items()}  # fmt: skip
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in medians.items())


# (b) The 2020 scenario --------------------------------------------------------------------------


def scenario_2020(letters: int, workers: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (synthetic data)
    jobs = [(number, rng.randint(40, 300), seed) for number in range(1, letters + 1)]
    started = time.perf_counter()
    for job in jobs:
        letter_job(job)
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, get_context("spawn"), initializer=warm_worker) as pool:
        list(pool.map(hold_worker, range(workers)))  # every worker started and warm
        warm = time.perf_counter() - started
        rendered = list(pool.map(letter_job, jobs))
    total = time.perf_counter() - started
    cited = sum(job[1] for job in jobs)
    print(f"(b) 2020 scenario: {len(rendered)} warning letters, {cited} notices cited in all, "
          f"{workers} workers (os.cpu_count() = {os.cpu_count()})")  # fmt: skip
    print(f"    sequential (this process, WeasyPrint already imported)  {sequential:6.2f} s")
    print(f"    process pool: total wall time {total:6.2f} s  (of which starting the workers, "
          f"importing WeasyPrint and a warm-up letter each {warm:.2f} s)")  # fmt: skip
    print(f"    speed-up {sequential / total:.2f}x with start-up, "
          f"{sequential / (total - warm):.2f}x after the workers' start-up")  # fmt: skip


def hold_worker(_: int) -> int:
    """Keep a worker busy a moment, so that every worker starts before the clock does."""
    time.sleep(0.2)
    return os.getpid()


# (c) Memory, and a letter citing thousands ------------------------------------------------------


def child_main(mode: str, cited: int, seed: int) -> None:
    """In a child process: import only, or render one letter; print what it found as JSON."""
    render._weasyprint()
    if mode == "import":
        print(json.dumps({"peak_mb": peak_mb()}))
        return
    gathered, language = inputs(1, cited, seed)
    seconds, (pdf, context, snapshot) = timed(full_path, gathered, language, "ENF-2026-000001")
    html = render.render_snapshot(snapshot, context)
    print(json.dumps({
        "seconds": seconds, "bytes": len(pdf), "pages": pages(pdf), "peak_mb": peak_mb(),
        "csv_rows": evidence_csv(context).decode().count("\r\n") - 1,  # less the header
        "body_rows": len(re.findall(r"https://files\.host1\.example\.test/", html)),
    }))  # fmt: skip


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM).

    Not ru_maxrss: on Linux a child keeps, across exec, the peak of the copy of its parent it
    was forked as, and this parent holds WeasyPrint and a few rendered letters.
    """
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def in_child(mode: str, cited: int, seed: int) -> dict:
    """Run child_main in a fresh interpreter and return its answer."""
    command = [sys.executable, __file__, "--child", mode, "--notices", str(cited),
               "--seed", str(seed)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"the {mode} child failed:\n{result.stderr}")
    return json.loads(result.stdout)


def memory_and_large(cited: int, large: int, seed: int) -> bool:
    baseline, one, big = (in_child(mode, n, seed) for mode, n in
                          (("import", cited), ("render", cited), ("render", large)))  # fmt: skip
    print(f"(c) peak memory (VmHWM of a child process): importing only {baseline['peak_mb']:.0f}"
          f" MB; rendering the {cited}-notice letter {one['peak_mb']:.0f} MB "
          f"({one['pages']} pages, {one['bytes'] / 1024:.0f} KB, {one['seconds']:.2f} s "
          "in a fresh process)")  # fmt: skip
    capped = big["body_rows"] == 50 and big["csv_rows"] == large
    print(f"    letter citing {large} notices: {big['seconds']:.2f} s, {big['pages']} pages, "
          f"{big['bytes'] / 1024:.0f} KB, peak {big['peak_mb']:.0f} MB; body lists "
          f"{big['body_rows']}, evidence.csv {big['csv_rows']} rows  "
          f"{'ok' if capped else 'NOT CAPPED'}")  # fmt: skip
    return capped


def pages(pdf: bytes) -> int | str:
    """Count the pages with pdfinfo (poppler-utils), when it is installed."""
    if shutil.which("pdfinfo") is None:
        return "?"
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return int(re.search(rb"Pages:\s+(\d+)", result.stdout).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--letters", type=int, default=15)
    parser.add_argument("--large", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--child", choices=("import", "render"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.notices, args.seed)
        return
    started = time.perf_counter()
    render._weasyprint()
    print(f"Importing WeasyPrint: {time.perf_counter() - started:.2f} s (once per process); "
          f"{os.cpu_count()} cores, load average {load()}")  # fmt: skip
    compare_with_bare(args.notices, args.runs, args.seed)
    scenario_2020(args.letters, args.workers, args.seed)
    capped = memory_and_large(args.notices, args.large, args.seed)
    print(f"Load average at the end {load()} (other processes on the machine skew the times)")
    if not capped:
        raise SystemExit("the body of the large letter is not capped at 50 notices")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
