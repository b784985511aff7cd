"""The screenshots of docs/field-app.md, taken on a phone-sized Chromium over a demo server.

    .venv/bin/python -m scripts.field_screenshots [--lang vi]

Starts `borderlink serve` on a fresh demo database (as bench/portal_load.py does), logs in as the
Thanh Thủy station officer and saves PNGs under docs/images/field-*.png.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from bench.portal_load import start_server

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="vi", choices=["vi", "en", "zh-hans"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        options = argparse.Namespace(render=False, workers=1, threads=4, path="/accounts/login/")
        server, base = start_server(options, Path(tmp))
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"),
                    executable_path=CHROMIUM,
                    args=ARGS,
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", "thanhthuy")
                page.fill("#id_password", "borderlink-demo")
                page.click("main button[type=submit]")
                page.wait_for_url(lambda url: "/login/" not in url)
                context.add_cookies([{"name": "django_language", "value": args.lang, "url": base}])
                page.goto(f"{base}/field/")
                page.wait_for_selector("#field-tiles")
                page.evaluate("navigator.serviceWorker.ready")
                page.reload()
                page.wait_for_selector("#field-tiles")
                page.screenshot(path=str(OUT / "field-home.png"))
                context.set_offline(True)
                page.wait_for_selector("#field-online.is-offline")
                page.click("#field-tiles [data-form='letter']")
                page.fill("#f-title", "Thư mời hội đàm tháng 12")
                page.screenshot(path=str(OUT / "field-form.png"))
                page.click("#field-keep")
                page.click("#field-tiles [data-form='phone_call']")
                page.click("#field-keep")
                page.wait_for_selector("#field-counts[data-waiting='2']")
                page.screenshot(path=str(OUT / "field-offline-waiting.png"))
                context.set_offline(False)
                page.click("#field-send")
                page.wait_for_selector("#field-counts[data-waiting='0']")
                page.screenshot(path=str(OUT / "field-sent.png"))
                context.close()
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"saved in {OUT}")


if __name__ == "__main__":
    main()
