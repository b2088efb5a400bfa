"""Import a notices CSV through the app's own code path; run as a child process of the bench.

Prints one JSON line: the seconds the import took (open, validate, stage, merge, commit), the
import's summary, and this process's peak resident memory. That peak is VmHWM, the high-water
mark of this process's own memory: on Linux ru_maxrss of a process that was started with exec
also counts its parent's peak at the exec, which here includes DuckDB's copy of the notices.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).parent)]

from databases import make_app  # noqa: E402

from enforcement.core.tabular import iter_records  # noqa: E402
from enforcement.extensions import db  # noqa: E402
from enforcement.notices.importing import get_or_create_source, import_notices  # noqa: E402


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", type=Path)
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema")
    args = parser.parse_args()
    app = make_app(args.url, args.schema)
    with app.app_context():
        started = time.perf_counter()
        # As `flask notices import` does: a UTF-8 text stream, records from iter_records.
        with args.csv.open(encoding="utf-8-sig", newline="") as stream:
            source = get_or_create_source(db.session, "bench")
            report = import_notices(db.session, iter_records(stream, "csv"), source=source)
        db.session.commit()
        seconds = time.perf_counter() - started
    result = {"seconds": seconds, "summary": report.summary(), "peak_mb": peak_memory_mb()}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
