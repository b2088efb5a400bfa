"""Benchmark: the public report page and decisions list under gunicorn with concurrent clients,
beside a bare Flask "hello" page served the same way in the same run.

    .venv/bin/python bench/public_bench.py                  # SQLite file with the demo data
    .venv/bin/python bench/public_bench.py --postgres       # the local test PostgreSQL server
    .venv/bin/python bench/public_bench.py --seconds 5 --clients 8

Each target gets the same gunicorn (sync workers, --workers) and the same load: --clients
connections at once, each sending the next request as soon as the last one is answered, for
--seconds after a warm-up. It prints requests per second, the median and 99th percentile
latency, and the ratio to the hello page (goal: at least 0.5, p99 under 100 ms). The app runs
twice: with its page cache (the default) and with PUBLIC_CACHE_SECONDS=0 (every hit computed).
"""

import argparse
import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PATHS = {"hello": "/", "report": "/public/report", "decisions": "/public/decisions"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(env: dict) -> None:
    """Migrate and seed the demo data (one hoster named, one fine published)."""
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,  # noqa: S603
                       check=True, capture_output=True)  # fmt: skip


def start_gunicorn(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", target],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn for {target} did not start")


def client_loop(port: int, path: str, stop_at: float, out: list) -> None:
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        out.append(time.perf_counter() - started)


def load_process(port: int, path: str, threads: int, seconds: float, queue) -> None:
    """One client process: ``threads`` connections in a loop until the time is up."""
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    workers = [threading.Thread(target=client_loop, args=(port, path, stop_at, latencies))
               for _ in range(threads)]  # fmt: skip
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(latencies)


def measure(port: int, path: str, clients: int, seconds: float) -> dict:
    """Load one path with ``clients`` concurrent clients (two client processes)."""
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=load_process,
                                         args=(port, path, clients // 2, seconds, queue))
                 for _ in range(2)]  # fmt: skip
    started = time.monotonic()
    for process in processes:
        process.start()
    latencies = sorted(value for _ in processes for value in queue.get())
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "median_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def warm_up(port: int, path: str, workers: int) -> None:
    """Let every worker load what it loads once (imports, charts, caches), one at a time."""
    for _ in range(workers * 4):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()


def run_target(name: str, target: str, env: dict, args, paths: list[str]) -> dict:
    port = free_port()
    server = start_gunicorn(target, port, args.workers, env)
    try:
        results = {}
        for key in paths:
            warm_up(port, PATHS[key], args.workers)
            results[key] = measure(port, PATHS[key], args.clients, args.seconds)
        return results
    finally:
        server.terminate()
        server.wait(10)


def report(label: str, results: dict, hello: dict) -> None:
    for key, figures in results.items():
        ratio = figures["rps"] / hello["rps"]
        print(f"{label:<22} {key:<10} {figures['rps']:8.0f} req/s  median "
              f"{figures['median_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms  "
              f"ratio to hello {ratio:4.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{work}/bench.sqlite"
        schema = None
        if args.postgres:
            import sqlalchemy as sa

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with sa.create_engine(POSTGRES).begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": uuid.uuid4().hex,
               "SESSION_COOKIE_SECURE": "false"}  # fmt: skip
        try:
            prepare_database(env)
            print(f"{os.cpu_count()} cores, {args.workers} gunicorn sync workers, "
                  f"{args.clients} clients, {args.seconds:g} s per page, "
                  f"{'PostgreSQL' if args.postgres else 'SQLite'}")  # fmt: skip
            hello = run_target("hello", "bench.public_hello:app", env, args, ["hello"])["hello"]
            report("bare Flask", {"hello": hello}, hello)
            cached = run_target("app", "wsgi:app", env, args, ["report", "decisions"])
            report("app (page cache)", cached, hello)
            env_raw = {**env, "PUBLIC_CACHE_SECONDS": "0"}
            raw = run_target("app", "wsgi:app", env_raw, args, ["report", "decisions"])
            report("app (no page cache)", raw, hello)
        finally:
            if schema:
                import sqlalchemy as sa

                with sa.create_engine(POSTGRES).begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
