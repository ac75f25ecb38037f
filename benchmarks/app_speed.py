"""The app's speed in a real browser: first full render of `/` and a filter change.

Serves the app on loopback against a built warehouse (`ECOUTE_CONFIG`, default ./ecoute.yml: run
`ecoute run` first), drives Debian's chromium with Playwright and prints seconds and ratios against
a baseline measured in the same run: a one-line Streamlit script on the same server settings (the
cost of Streamlit itself on this machine). Goals (issue 8): first render < 3 s, filter change < 1 s.
Run: `python benchmarks/app_speed.py [--rounds 3]`.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
BASELINE_SCRIPT = 'import streamlit as st\nst.title("baseline")\n'


@contextmanager
def served(script: Path, env: dict[str, str]) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "viewer",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def settled(page) -> None:
    """Wait until the script run is over (Streamlit's running indicator gone)."""
    page.wait_for_timeout(100)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=120_000,
    )


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def open_baseline(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("baseline").wait_for()


def first_render(page, url: str) -> None:
    """Open `/` until its last section is drawn and the run is over."""
    page.goto(f"{url}/?from=2000-01-01")
    page.get_by_text("Couverture par source").wait_for(timeout=120_000)
    settled(page)


def choose(page, option) -> None:
    """Pick a brand in the filter and wait for the rerun to finish."""
    option.click()
    page.get_by_text("Zest").first.wait_for()
    settled(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} absent (apt-get install -y chromium)")
        return
    from playwright.sync_api import sync_playwright

    from core import warehouse
    from core.config import load_config

    config = load_config()
    if not warehouse.serving_path(config).exists():
        print("skipped: no published build (run `ecoute run` first)")
        return
    env = {**os.environ, "ECOUTE_CONFIG": str(config.source_file)}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        baseline_script = Path(folder) / "baseline.py"
        baseline_script.write_text(BASELINE_SCRIPT, encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        figures: dict[str, list[float]] = {"baseline": [], "first": [], "filter": []}
        with served(baseline_script, env) as url:
            for _ in range(args.rounds):
                page = browser.new_page()
                figures["baseline"].append(timed(partial(open_baseline, page, url)))
                page.close()
        with served(REPO / "app" / "streamlit_app.py", env) as url:
            for round_ in range(args.rounds):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                seconds = timed(partial(first_render, page, url))
                if round_ == 0:
                    print(f"  cold first render (empty cache): {seconds:.2f} s")
                figures["first"].append(seconds)
                page.locator('[data-testid="stMultiSelect"]').first.click()
                option = page.get_by_role("option", name="Zest")
                option.wait_for()
                figures["filter"].append(timed(partial(choose, page, option)))
                page.close()
        browser.close()
    base = statistics.median(figures["baseline"])
    print(f"baseline (one-line Streamlit page): {base:.2f} s")
    for name, goal in (("first", 3.0), ("filter", 1.0)):
        value = statistics.median(figures[name])
        label = "first full render of /" if name == "first" else "filter change (brand chosen)"
        print(f"{label}: {value:.2f} s = {value / base:.1f}× baseline (goal < {goal:.0f} s)")


if __name__ == "__main__":
    main()
