"""Shared browser-test machinery: a real ``streamlit run`` on a free loopback port with demo
data, and Playwright driving the system Chromium.

Skipped when no Chromium is installed, unless RISKMOTOR_REQUIRE_E2E=1 (set by CI), in
which case a missing browser fails the run instead of hiding the test.
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

import pytest

from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import context, demo

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "",
    "riskidentifiering",
    "bedomning",
    "riskmatris",
    "internkontrollplan",
    "uppfoljning",
    "scenarier",
    "egenkontroll",
    "avvikelser",
    "export",
    "andringslogg",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("RISKMOTOR_REQUIRE_E2E") == "1":
        pytest.fail(
            "Chromium saknas men RISKMOTOR_REQUIRE_E2E=1: installera Debian-paketet chromium."
        )
    pytest.skip("Chromium saknas (Debian-paketet chromium); webbläsartestet hoppas över.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit avslutades med kod {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit svarade inte på {url}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    demo.load_demo(UnitOfWork(engine_for(db_url), "e2e"), context.catalog())
    port = _free_port()
    env = {**os.environ, "RISKMOTOR_DATABASE_URL": db_url, "RISKMOTOR_USER": "E2E"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url, db_url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server: tuple[str, str]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context_ = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    opened = context_.new_page()
    yield opened
    context_.close()


def open_page(page: object, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")  # type: ignore[attr-defined]
    page.wait_for_selector("h1", timeout=30_000)  # type: ignore[attr-defined]
    settle(page)
    # The app's own navigation (Swedish titles) must be in charge, also when a sub-page URL
    # is the first thing a browser opens (page files live in views/, not pages/, so
    # Streamlit's legacy multipage mode can never take over).
    navigation = page.locator("[data-testid='stSidebarNav']").inner_text()  # type: ignore[attr-defined]
    assert "Riskidentifiering" in navigation and "andringslogg" not in navigation, navigation


def settle(page: object) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(300)  # type: ignore[attr-defined]


def assert_no_exception(page: object, where: str) -> None:
    errors = page.locator("[data-testid='stException']")  # type: ignore[attr-defined]
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()}"


def choose(page: object, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first  # type: ignore[attr-defined]
    box.click()
    page.keyboard.type(option[-20:])  # long lists are virtualised: filter first  # type: ignore[attr-defined]
    page.get_by_role("option", name=option).first.click()  # type: ignore[attr-defined]
    settle(page)


def visible_text(page: object, text: str) -> object:
    return page.get_by_text(text, exact=True).locator("visible=true").first  # type: ignore[attr-defined]
