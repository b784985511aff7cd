"""The field app over a real server and a real Chromium: the first download of a station's
reference data on a slow link, and the sync of 1,000 entries queued offline.

    python -m bench.field_sync [--entries 1000] [--kbits 400] [--latency-ms 300]

It prepares a database and starts `borderlink serve` as bench/portal_load.py does (a fresh SQLite
file, or BENCH_DATABASE_URL), logs in as the demo's Thanh Thủy station officer, then:

1. opens the field app with the network throttled by Chromium's network emulation (--kbits down
   and up, --latency-ms) and times the download of the scope (forms and reference data):
   seconds and bytes on the wire;
2. queues --entries letters on the device with the network cut (written into the app's
   IndexedDB store as the app writes them), goes online, presses "Send now" and times until
   nothing waits: seconds, requests, bytes sent, and checks that the server holds each entry
   exactly once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from bench.portal_load import BIN, start_server

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
OFFICER, PASSWORD = "thanhthuy", "borderlink-demo"
STATION = "VN-02-BGS-THANHTHUY-2025"

QUEUE = """
async ([entries, user]) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(`borderlink-field:${user}`, 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction("entries", "readwrite");
    entries.forEach((entry) => tx.objectStore("entries").put(entry));
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--kbits", type=int, default=400)
    parser.add_argument("--latency-ms", type=int, default=300)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server, base = start_server(
            argparse.Namespace(render=False, workers=1, threads=4, path="/accounts/login/"),
            Path(tmp),
        )
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, args=ARGS
                )
                page = context.new_page()
                page.set_default_timeout(120_000)
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", OFFICER)
                page.fill("#id_password", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url(lambda url: "/login/" not in url)
                first_download(page, base, args)
                sync(page, args, Path(tmp))
                context.close()
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


def first_download(page: Page, base: str, args: argparse.Namespace) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    bytes_per_second = args.kbits * 1000 / 8
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": args.latency_ms,
            "downloadThroughput": bytes_per_second,
            "uploadThroughput": bytes_per_second,
        },
    )
    start = time.perf_counter()
    with page.expect_response(lambda r: r.url.endswith("/field/scope.json")) as answer:
        page.goto(f"{base}/field/")
    response = answer.value
    response.finished()
    page.wait_for_selector("#field-tiles")
    seconds = time.perf_counter() - start
    sizes = response.request.sizes()
    print(
        f"first download at {args.kbits} kbit/s, {args.latency_ms} ms: app ready in {seconds:.2f} s; "
        f"scope {sizes['responseBodySize']:,} bytes on the wire "
        f"({len(response.body()):,} bytes of JSON, {response.headers.get('content-encoding', 'identity')})"
    )
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def sync(page: Page, args: argparse.Namespace, workdir: Path) -> None:
    page.context.set_offline(True)
    today = time.strftime("%Y-%m-%d")
    run = uuid.uuid4().hex[:8]
    entries = [
        {
            "uuid": str(uuid.uuid4()),
            "seq": n,
            "form": "letter",
            "register": "activities",
            "data": {
                "home_unit": STATION,
                "occurred_on": today,
                "count": "1",
                "title": f"Bench {run} letter {n}",
            },
            "status": "queued",
            "summary": f"Letter {n}",
        }
        for n in range(args.entries)
    ]
    page.evaluate(QUEUE, [entries, OFFICER])
    page.reload()
    page.wait_for_selector(f"#field-counts[data-waiting='{args.entries}']")
    sent = {"requests": 0, "bytes": 0}

    def count(request: Request) -> None:
        if request.url.endswith("/field/sync/"):
            sent["requests"] += 1
            sent["bytes"] += len(request.post_data_buffer or b"")

    page.on("request", count)
    page.context.set_offline(False)
    start = time.perf_counter()
    page.click("#field-send")
    page.wait_for_selector("#field-counts[data-waiting='0']", timeout=600_000)
    seconds = time.perf_counter() - start
    print(
        f"sync of {args.entries:,} entries: {seconds:.2f} s ({args.entries / seconds:,.0f} entries/s), "
        f"{sent['requests']} requests, {sent['bytes']:,} bytes sent "
        f"({sent['bytes'] / args.entries:,.0f} bytes per entry)"
    )
    held = count_on_server(f"Bench {run} letter ", workdir)
    print(
        f"server check: {held:,} records for {args.entries:,} entries (exactly once: {held == args.entries})"
    )


def count_on_server(prefix: str, workdir: Path) -> int:
    env = {
        **os.environ,
        "BORDERLINK_VAR_DIR": str(workdir),
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'portal-bench.sqlite3'}"
        ),
    }
    code = (
        "from borderlink.ledger.models import Activity;"
        f"print(Activity.objects.filter(title__startswith={prefix!r}).count())"
    )
    out = subprocess.run(
        [str(BIN / "borderlink"), "shell", "-c", code], env=env, capture_output=True, check=True
    )
    return int(out.stdout.decode().strip().splitlines()[-1])


if __name__ == "__main__":
    main()
