"""Shared browser-test machinery: a real ``streamlit run`` on a free loopback port with demo
data, and Playwright driving the system Chromium.

Skipped when no Chromium is installed, unless RISKMOTOR_REQUIRE_E2E=1 (set by CI), in
which case a missing browser fails the run instead of hiding the test.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from riskmotor.launcher import streamlit_command
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo
from tests.conftest import shared_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FilePayload, Locator, Page, WebSocket

# Every wait below waits for application state: the server answering, the app's run marker
# (streamlit_app/app.py) saying the run an action caused has finished. The limit is only a
# safety net for a hung server, far above what the slowest step needs on a busy machine.
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
    # The name remembered on Start (streamlit_app.local_identity) stays in the test's folder.
    env["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
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
    """What the server told one websocket about its script runs, read in order.

    The app draws a marker carrying its per-session run counter at the start of every run
    (streamlit_app/app.py). ``started`` is the newest run whose marker arrived; ``ended``
    the newest run Streamlit reported finished other than for a rerun. That covers a page
    that ends with ``st.stop()``, which cannot mark itself complete.
    """

    def __init__(self) -> None:
        self.started = 0
        self.ended = 0

    def received(self, payload: str | bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        runs = [int(run) for run in _MARKER_RUN.findall(payload)]
        if runs:
            self.started = max(self.started, *runs)
        message = ForwardMsg.FromString(payload)
        if (
            message.WhichOneof("type") == "script_finished"
            and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            self.ended = self.started


_MARKER_RUN = re.compile(rb'data-testid="riskmotor-run" data-run="(\d+)"')
_RUNS: dict[int, ScriptRuns] = {}


def followed_page(browser: Browser) -> Page:
    """A page in a browser context of its own (its own cookies, so its own login and
    Streamlit session) whose script runs the helpers below wait on."""
    context_ = browser.new_context(viewport={"width": 1400, "height": 1000})
    context_.set_default_timeout(SAFETY_NET_SECONDS * 1000)
    opened = context_.new_page()
    _RUNS[id(opened)] = ScriptRuns()

    def follow(socket: WebSocket) -> None:
        # A new socket is a new Streamlit session with its own run counter; frames that
        # arrive late on an old socket go to that socket's own account, not this one.
        runs = ScriptRuns()
        _RUNS[id(opened)] = runs
        socket.on("framereceived", runs.received)

    opened.on("websocket", follow)
    return opened


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = followed_page(browser)
    yield opened
    del _RUNS[id(opened)]
    opened.context.close()


# The browser's side: the newest marker, and whether Streamlit's frontend says no run is
# going on or asked for (it says "rerunRequested" from the moment a widget changes).
_PAGE_STATE = """() => {
  const markers = [...document.querySelectorAll('[data-testid="riskmotor-run"]')];
  const newest = markers.sort((a, b) => Number(b.dataset.run) - Number(a.dataset.run))[0];
  const state = document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState;
  return {
    run: newest ? Number(newest.dataset.run) : 0,
    complete: newest?.dataset.complete === "1",
    idle: (state === "notRunning" || state === "compilationError")
      && !document.querySelector('[data-testid="stStatusWidget"]'),
  };
}"""


def _run_done_after(page: Page, before: int) -> int:
    """Wait for a run newer than ``before`` that has finished, and return its number.

    Finished means the browser shows that run's marker and no run going on, and either
    the marker says the page was drawn to its end, or Streamlit reported the run finished
    other than for a rerun (a page ending with st.stop()). A run cut short by st.rerun()
    is neither, so the wait goes on to the run that follows it.
    """
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    while time.monotonic() < deadline:
        shown = page.evaluate(_PAGE_STATE)
        runs = _RUNS[id(page)]
        run = int(shown["run"])
        finished = shown["complete"] or runs.ended == runs.started == run
        if run > before and shown["idle"] and runs.started <= run and finished:
            return run
        page.wait_for_timeout(50)  # lets Playwright deliver the websocket's frames
    raise AssertionError(f"Streamlit blev inte klar inom {SAFETY_NET_SECONDS:.0f} s")


def act(page: Page, action: Callable[[], object], *, runs_script: bool = True) -> None:
    """Do something in the browser and, if it makes Streamlit run the script, wait for
    that run (and any st.rerun() it leads to) to finish.

    The page is first brought to rest, so the run counter read before the action is the
    newest; any run with a higher number started after the action.
    """
    before = _run_done_after(page, 0)
    action()
    if runs_script:
        _run_done_after(page, before)


# Whether a click makes Streamlit run the script: widgets in a form wait for its submit
# button, tabs, expanders and popovers open in the browser alone, a chosen radio stays chosen.
_CLICK_RUNS_SCRIPT = """element => {
  if (element.closest('[data-testid="stFormSubmitButton"]')) return true;
  if (element.closest('[data-testid="stForm"]')) return false;
  if (element.closest('[role="tab"]') || element.closest('summary')) return false;
  if (element.closest('[data-testid="stPopoverButton"]')) return false;
  const radio = element.closest('label')?.querySelector('input[type="radio"]');
  return !(radio && radio.checked);
}"""
_IN_FORM = "element => !!element.closest('[data-testid=\"stForm\"]')"


def click(page: Page, target: Locator) -> None:
    act(page, target.click, runs_script=bool(target.evaluate(_CLICK_RUNS_SCRIPT)))


def open_page(page: Page, base: str, path: str) -> None:
    """Load a page by its address: a new Streamlit session, counting runs from 1."""
    _RUNS[id(page)] = ScriptRuns()  # nothing from the previous session may count
    page.goto(f"{base}/{path}")
    _run_done_after(page, 0)
    # The app's own navigation (Swedish titles) must be in charge, also when a sub-page URL
    # is the first thing a browser opens (page files live in views/, not pages/, so
    # Streamlit's legacy multipage mode can never take over).
    navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Riskidentifiering" in navigation and "andringslogg" not in navigation, navigation


def switch_page(page: Page, title: str) -> None:
    """Go to another page with the app's own navigation, keeping the session."""
    link = page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first
    act(page, link.click)


def fill(
    page: Page, label: str, text: str, *, exact: bool = False, within: Locator | None = None
) -> None:
    """Type into a text field (``within`` a part of the page, when labels repeat) and let
    Streamlit take the value before anything else.

    Outside a form Streamlit reads a text field when it loses focus and runs the script;
    clicking a button straight after typing would send both at once.
    """
    field = (within or page).get_by_label(label, exact=exact)
    changes = field.input_value() != text and not field.evaluate(_IN_FORM)

    def type_text() -> None:
        field.fill(text)
        field.blur()

    act(page, type_text, runs_script=changes)


def choose(page: Page, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    if box.locator("input").input_value() == option:
        return  # choosing it again would change nothing and run nothing

    def pick() -> None:
        box.click()
        page.keyboard.type(option[-20:])  # long lists are virtualised: filter first
        page.get_by_role("option", name=option).first.click()

    act(page, pick, runs_script=not box.evaluate(_IN_FORM))


def upload(page: Page, target: Locator, files: FilePayload) -> None:
    act(
        page,
        lambda: target.set_input_files(files=[files]),
        runs_script=not target.evaluate(_IN_FORM),
    )


# What must never reach a user (issue #15): an English exception in an error box, and
# English or Python words that Streamlit or a page let through. Whole words of the text a
# user sees (hidden tabs and closed expanders are not drawn, so they are not read) and of
# the placeholders of input fields. docs/streamlit-english.md lists the English that
# Streamlit itself draws and riskmotor cannot change; none of it is on this list.
ENGLISH_EXCEPTION = re.compile(r"Traceback|\b(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b")
DENIED_TEXT = re.compile(
    r"Choose an option|Press Ctrl\+Enter|Press Enter to submit"
    r"|(?<![\w.-])(?:None|empty|nan|NaN|true|false|True|False)(?![\w-])"
)
_PLACEHOLDERS = """() => [...document.querySelectorAll('input[placeholder], textarea[placeholder]')]
  .filter(field => field.offsetParent !== null).map(field => field.placeholder)"""


def english_left(page: Page) -> list[str]:
    """Every denied word on the page, with a little of the text around it."""
    text = page.locator("[data-testid='stApp']").inner_text()
    text += "\n" + "\n".join(page.evaluate(_PLACEHOLDERS))
    return [
        repr(text[max(0, hit.start() - 30) : hit.end() + 30].replace("\n", " | "))
        for hit in DENIED_TEXT.finditer(text)
    ]


def assert_no_exception(page: Page, where: str) -> None:
    """No Streamlit exception, no English exception in an error box, no denied English."""
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()}"
    for box in page.locator("[data-testid='stAlertContentError']").all():
        shown = box.inner_text()
        assert not ENGLISH_EXCEPTION.search(shown), f"{where}: engelskt fel: {shown}"
    left = english_left(page)
    assert not left, f"{where}: engelska eller Python-ord på sidan: {', '.join(left)}"


def visible_text(page: Page, text: str) -> Locator:
    return page.get_by_text(text, exact=True).locator("visible=true").first
