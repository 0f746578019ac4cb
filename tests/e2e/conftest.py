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
import time
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from riskmotor.launcher import streamlit_command
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo
from tests.conftest import shared_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, WebSocket

# Every wait below waits for application state: the server answering, an element shown,
# Streamlit's script run finished. The limits are only a safety net for a hung server and
# are far above what the slowest step needs on a busy machine.
SAFETY_NET_SECONDS = 600.0

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


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SAFETY_NET_SECONDS
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
    demo.load_demo(UnitOfWork(engine_for(db_url), "e2e"), shared_catalog())
    port = _free_port()
    env = {**os.environ, "RISKMOTOR_DATABASE_URL": db_url, "RISKMOTOR_USER": "E2E"}
    process = subprocess.Popen(
        streamlit_command(port, "127.0.0.1"),  # headless and quiet, as `riskmotor ui` runs it
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
def browser(server: tuple[str, str]) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class ScriptRuns:
    """Streamlit's own account of its script runs, read from the page's websocket.

    The browser asks for a run with a ``rerun_script`` message; the server reports the end
    of a run with ``script_finished``. Everything the browser asked for has been done when
    a run finished (not cut short for a rerun) after the last request, and none is running.
    """

    def __init__(self) -> None:
        self.requested = 0
        self.done_through = 0
        self.running = False

    def sent(self, payload: str | bytes) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(payload, bytes) and BackMsg.FromString(payload).HasField("rerun_script"):
            self.requested += 1

    def received(self, payload: str | bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        message = ForwardMsg.FromString(payload)
        kind = message.WhichOneof("type")
        if kind == "session_status_changed":
            self.running = message.session_status_changed.script_is_running
        elif (
            kind == "script_finished"
            and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            self.done_through = self.requested
            self.running = False

    def settled(self) -> bool:
        return self.done_through == self.requested and not self.running


_RUNS: dict[int, ScriptRuns] = {}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context_ = browser.new_context(viewport={"width": 1400, "height": 1000})
    context_.set_default_timeout(SAFETY_NET_SECONDS * 1000)
    opened = context_.new_page()
    runs = ScriptRuns()
    _RUNS[id(opened)] = runs

    def follow(socket: WebSocket) -> None:
        socket.on("framesent", runs.sent)
        socket.on("framereceived", runs.received)

    opened.on("websocket", follow)
    yield opened
    del _RUNS[id(opened)]
    context_.close()


def open_page(page: Page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")
    page.wait_for_selector("h1")  # the new page's run has begun
    settle(page)
    # The app's own navigation (Swedish titles) must be in charge, also when a sub-page URL
    # is the first thing a browser opens (page files live in views/, not pages/, so
    # Streamlit's legacy multipage mode can never take over).
    navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Riskidentifiering" in navigation and "andringslogg" not in navigation, navigation


_STATUS_WIDGET_GONE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def settle(page: Page) -> None:
    """Wait until Streamlit has finished every script run the browser has asked for.

    Both sides must agree: the server has reported the runs finished (websocket), and the
    page no longer shows its running indicator, which it raises the moment it asks.
    """
    runs = _RUNS[id(page)]
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    while time.monotonic() < deadline:
        if runs.settled() and page.evaluate(_STATUS_WIDGET_GONE):
            return
        page.wait_for_timeout(50)  # lets Playwright deliver frames
    raise AssertionError(f"Streamlit blev inte klar inom {SAFETY_NET_SECONDS:.0f} s")


def fill(page: Page, label: str, text: str, *, exact: bool = False) -> None:
    """Type into a text field and let Streamlit take the value before anything else.

    Streamlit reads a text field when it loses focus; clicking a button straight after
    typing sends both at once, and under load the button's run can be cut short.
    """
    field = page.get_by_label(label, exact=exact)
    field.fill(text)
    field.blur()
    settle(page)


def assert_no_exception(page: Page, where: str) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()}"


def choose(page: Page, label: str, option: str) -> None:
    settle(page)  # a run still in progress would redraw the box and close its list
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    box.click()
    page.keyboard.type(option[-20:])  # long lists are virtualised: filter first
    page.get_by_role("option", name=option).first.click()
    settle(page)


def visible_text(page: Page, text: str) -> Locator:
    return page.get_by_text(text, exact=True).locator("visible=true").first
