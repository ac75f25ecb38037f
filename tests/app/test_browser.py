"""The app in a real browser: Debian's chromium driven by Playwright, the app served on loopback.

Opens each page by URL, follows an alert to its mentions, downloads the CSV, saves screenshots of
three pages (to a temporary folder; to the README's `docs/screenshots/` when ECOUTE_SCREENSHOTS
names that folder, so a test run leaves the checkout clean), and checks that hostile scraped text
stays inert. Skips when chromium or Playwright is absent (`.ci/run` installs chromium).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
HOSTILE = (
    'HOSTILE <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> '
    "![tracker](http://203.0.113.9/pixel.png) [click](javascript:window.__pwned=3)"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="chromium absent: apt-get install -y chromium"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _hostile_copy(demo_build, folder: Path) -> Path:
    """The demo's config and serving copy, plus one Nuage mention holding hostile markup."""
    import duckdb
    import yaml

    serving = folder / "serving.duckdb"
    shutil.copy(demo_build.folder / "serving.duckdb", serving)
    con = duckdb.connect(str(serving))
    try:
        con.execute(
            "insert into marts.fct_brand_mentions select * replace ("
            "'hostile' as brand_mention_id, 'web:hostile' as mention_id, ? as text, "
            "? as title, 'javascript:window.__pwned=4' as url) from marts.fct_brand_mentions "
            "where brand = 'Nuage' and is_canonical order by published_at desc limit 1",
            [HOSTILE, HOSTILE],
        )
    finally:
        con.close()
    data = yaml.safe_load(Path(demo_build.config_file).read_text(encoding="utf-8"))
    data["warehouse"]["serving_path"] = str(serving)
    data["warehouse"]["path"] = str(folder / "warehouse.duckdb")
    config = folder / "ecoute.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def app_url(demo_build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    config = _hostile_copy(demo_build, folder)
    port = _free_port()
    env = {**os.environ, "ECOUTE_CONFIG": str(config)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "app" / "streamlit_app.py"),
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
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not answer on loopback within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[tuple[object, list[str]]]:
    requests: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))

        def on_dialog(dialog: Any) -> None:  # a script that ran would open one: record it
            requests.append(f"dialog:{dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        yield page, requests
        browser.close()


def _open(page, url: str, text: str) -> None:
    page.goto(url)
    page.get_by_text(text, exact=False).first.wait_for(timeout=40_000)
    page.wait_for_timeout(1500)  # let the last elements of the run settle


PAGES = {
    "": "Ce qui a changé",
    "alertes": "Nuage — pic de volume",
    "pourquoi": "Épisodes d'alerte",
    "mentions": "Télécharger CSV",
    "concurrence": "Part de voix par semaine",
    "sujets": "Mots-clés par lift",
    "qui": "Les quatre types de contributeurs",
    "methode": "Note hebdomadaire",
    "codage": "Codage à l'aveugle",
    "codebook": "de codebook.yml",
    "accord": "Aucun échantillon à coder",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_opens_by_url(browser_page, app_url: str, path: str, tmp_path: Path) -> None:
    page, _ = browser_page
    _open(page, f"{app_url}/{path}?from=2000-01-01", PAGES[path])
    assert page.get_by_text("Deploy").count() == 0
    if path in ("", "alertes", "pourquoi"):
        folder = Path(os.environ.get("ECOUTE_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{path or 'ce-matin'}.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.read_bytes().startswith(b"\x89PNG")


def test_english_switch_by_url(browser_page, app_url: str) -> None:
    page, _ = browser_page
    _open(page, f"{app_url}/?lang=en&from=2000-01-01", "What changed")


def test_from_an_alert_to_its_mentions_and_the_csv(
    browser_page, app_url: str, tmp_path: Path
) -> None:
    page, _ = browser_page
    _open(page, f"{app_url}/alertes?from=2000-01-01", "Nuage — pic de volume")
    page.get_by_text("Voir les mentions").first.click()
    page.get_by_text("Alerte :").first.wait_for(timeout=40_000)
    assert "/mentions" in page.url and "alert=" in page.url
    with page.expect_download() as download:
        page.get_by_text("Télécharger CSV").first.click()
    target = tmp_path / "mentions.csv"
    download.value.save_as(target)
    csv = target.read_text(encoding="utf-8")
    assert csv.count("\n") > 50 and ("panne" in csv.lower() or "outage" in csv.lower())


def test_hostile_text_stays_inert(browser_page, app_url: str) -> None:
    page, requests = browser_page
    requests.clear()
    _open(page, f"{app_url}/mentions?from=2000-01-01&q=HOSTILE", "1 lignes affichées")
    page.wait_for_timeout(2000)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    loopback = ("127.0.0.1", "localhost")
    outside = [
        u
        for u in requests
        if not u.startswith(("data:", "blob:")) and urlparse(u).hostname not in loopback
    ]
    assert not outside, outside
