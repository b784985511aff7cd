"""Load test of the public portal's home page over a real server.

    python -m bench.portal_load [--seconds 15] [--concurrency 32] [--workers 2] [--threads 4]
                                [--path /public/vi/] [--render] [--url http://host:port]

Without --url it prepares a database (a fresh SQLite file under a temporary directory, or
BENCH_DATABASE_URL), migrates it, loads the demo, starts `borderlink serve` (gunicorn, WhiteNoise)
on a free port, waits for it, then runs the load. With --url it loads a server already running.

The load: --concurrency keep-alive connections, spread over several client processes so that the
client is not the bottleneck, each asking for the page again as soon as it has the answer, for
--seconds after a short warm-up. It prints requests per second, latency percentiles (p50, p95,
p99) and errors. By default the pages come from the page cache, as in production; --render sets
PORTAL_PAGE_SECONDS=0 on the server, so every request renders the page (from the cached figures).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def borderlink(*args: str, env: dict[str, str]) -> None:
    command = BIN / "borderlink"
    subprocess.run([str(command), *args], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def start_server(args: argparse.Namespace, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {
        **os.environ,
        "BORDERLINK_VAR_DIR": str(workdir),
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'portal-bench.sqlite3'}"
        ),
        "LOG_LEVEL": "WARNING",
    }
    if args.render:
        env["PORTAL_PAGE_SECONDS"] = "0"
    print("preparing the database (migrate, load-demo)…", flush=True)
    borderlink("migrate", "--noinput", env=env)
    borderlink("load-demo", env=env)
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "borderlink"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", args.path)
            if conn.getresponse().status == 200:
                return server, url
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def _client(
    url: str, path: str, connections: int, start: float, stop: float
) -> tuple[list[float], int, int]:
    """One client process: `connections` threads, each with a keep-alive connection."""
    parts = urlsplit(url)
    host = parts.hostname
    assert host, f"no host in {url}"
    latencies: list[float] = []
    errors = 0
    size = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal errors, size
        conn = http.client.HTTPConnection(host, parts.port, timeout=10)
        mine: list[float] = []
        bad = 0
        while time.time() < stop:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, parts.port, timeout=10)
                ok, body = False, b""
            if time.time() >= start:  # after the warm-up
                if ok:
                    mine.append(time.perf_counter() - began)
                else:
                    bad += 1
        with lock:
            latencies.extend(mine)
            errors += bad
            size = max(size, len(body))

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, size


def load(url: str, path: str, seconds: float, concurrency: int, warmup: float) -> dict[str, float]:
    processes = max(1, min(concurrency, os.cpu_count() or 2, 8))
    share = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    start = time.time() + warmup
    stop = start + seconds
    with multiprocessing.Pool(processes) as pool:
        results = pool.starmap(_client, [(url, path, n, start, stop) for n in share if n])
    latencies = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    if not latencies:
        raise SystemExit(f"no successful request ({errors} errors)")

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "bytes": max(r[2] for r in results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server; without it one is started on a fresh demo")
    parser.add_argument("--path", default="/public/vi/")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--render", action="store_true", help="no page cache: render every request")
    args = parser.parse_args()

    server = None
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        try:
            if args.url:
                url = args.url.rstrip("/")
            else:
                server, url = start_server(args, Path(tmp))
            mode = "rendered each time" if args.render else "page cache"
            print(
                f"GET {url}{args.path} — {args.concurrency} connections, {args.seconds:g} s "
                f"({mode}; server: {args.workers} workers × {args.threads} threads)",
                flush=True,
            )
            r = load(url, args.path, args.seconds, args.concurrency, args.warmup)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=20)
    print(f"requests   {r['requests']:.0f} ({r['errors']:.0f} errors), {r['bytes']:.0f} bytes each")
    print(f"req/s      {r['rps']:.1f}")
    print(
        f"latency    mean {r['mean_ms']:.1f} ms · p50 {r['p50_ms']:.1f} ms · "
        f"p95 {r['p95_ms']:.1f} ms · p99 {r['p99_ms']:.1f} ms"
    )
    return 0 if r["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
