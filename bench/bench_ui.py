"""Benchmark of the workshop UI's pages (a script, not a test): python bench/bench_ui.py.

Creates a demo database (and, with ``--risks 1000``, one with 1 000 risks), starts the UI
as ``riskmotor ui`` does, and drives it with Playwright and the system Chromium: every page
is opened with the app's own navigation and then gets one typical interaction (a choice
in a list, a radio button, a search, a submitted form). Prints the median time per page
open and per interaction beside the budgets of issue #15 (server time: ≤ 1 s to open and
≤ 0,5 s per interaction on the demo data, ≤ 2 s with 1 000 risks) and the ratio to the
budget, so a later run can be compared with this baseline.

What is timed is what the server makes the browser wait for: from the click that starts a
run to the websocket frame that says the last run it caused is done (the app's run marker
marked complete, or Streamlit's "script finished" for a page that ends with st.stop()).
Drawing in the browser is not included. Nothing waits a fixed time: every wait is for
that marker, as in tests/e2e/conftest.py. Frames are read while polling every 20 ms, so a
figure can be up to about 20 ms late.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, WebSocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from riskmotor.launcher import streamlit_command  # noqa: E402

OPEN_BUDGET_S = 1.0
INTERACTION_BUDGET_S = 0.5
LARGE_BUDGET_S = 2.0  # both opening and interacting, with 1 000 risks
SAFETY_NET_S = float(os.environ.get("BENCH_SAFETY_NET_S", "600"))  # only for a hung server
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


@dataclass(frozen=True)
class Interaction:
    """One typical thing a user does on a page: ``kind`` on the widget labelled ``label``."""

    kind: str  # "select", "radio", "check", "search", "submit" or "expand"
    label: str
    text: str = ""


# Navigation title → the page's typical interaction. None of them changes stored data,
# except that Start submits its participant form empty (which must be refused).
PAGES: dict[str, Interaction] = {
    "Start": Interaction("submit", "Lägg till deltagare"),
    "Riskidentifiering": Interaction("search", "Sök i riskmallarna", "utredning"),
    "Bedömning": Interaction("select", "Jag är"),
    "Riskmatris": Interaction("radio", "Visa"),
    "Internkontrollplan": Interaction("expand", "riskvärde"),
    "Uppföljning": Interaction("select", "Period"),
    "Scenarier": Interaction("select", "Scenario"),
    "Egenkontroll": Interaction("select", "Plan"),
    "Avvikelser": Interaction("check", "Visa fritext"),
    "Export": Interaction("check", "Ta med kvalitetsberättelsen"),
    "Ändringslogg": Interaction("check", "Visa hela databasen"),
}


# What was done on each page (the planned interaction or its fallback), for the report.
DONE: dict[str, str] = {}

_COMPLETE = re.compile(rb'data-testid="riskmotor-run" data-run="(\d+)" data-complete="1"')
_STARTED = re.compile(rb'data-testid="riskmotor-run" data-run="(\d+)"')


@dataclass
class Runs:
    """When each script run of the current websocket was reported done (perf_counter)."""

    started: int = 0
    done_at: dict[int, float] = field(default_factory=dict)

    def received(self, payload: str | bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        now = time.perf_counter()
        for run in _STARTED.findall(payload):
            self.started = max(self.started, int(run))
        for run in _COMPLETE.findall(payload):
            self.done_at.setdefault(int(run), now)
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") == "script_finished" and message.script_finished in (
            ForwardMsg.FINISHED_SUCCESSFULLY,
            ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
        ):
            self.done_at.setdefault(self.started, now)  # also a page ended by st.stop()


_STATE = """() => {
  const markers = [...document.querySelectorAll('[data-testid="riskmotor-run"]')];
  const newest = markers.sort((a, b) => Number(b.dataset.run) - Number(a.dataset.run))[0];
  const state = document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState;
  return {
    run: newest ? Number(newest.dataset.run) : 0,
    idle: (state === "notRunning" || state === "compilationError")
      && !document.querySelector('[data-testid="stStatusWidget"]'),
  };
}"""


class Driver:
    """One browser tab on the app, with the run bookkeeping of its websocket."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.runs = Runs()
        page.on("websocket", self._follow)

    def _follow(self, socket: WebSocket) -> None:
        self.runs = Runs()
        socket.on("framereceived", self.runs.received)

    def settle(self, before: int) -> tuple[int, float]:
        """Wait for the page to rest on a finished run newer than ``before``; return that
        run and when its end reached the browser."""
        deadline = time.monotonic() + SAFETY_NET_S
        while time.monotonic() < deadline:
            shown = self.page.evaluate(_STATE)
            run = int(shown["run"])
            done = self.runs.done_at.get(run)
            if run > before and shown["idle"] and self.runs.started <= run and done:
                return run, done
            self.page.wait_for_timeout(20)
        raise SystemExit(f"Streamlit blev inte klar inom {SAFETY_NET_S:.0f} s")

    def timed(self, prepare: Callable[[], object], trigger: Callable[[], object]) -> float:
        """Seconds from ``trigger`` (after ``prepare``, untimed) to the end of its runs."""
        before, _ = self.settle(0)
        prepare()
        start = time.perf_counter()
        trigger()
        _, done = self.settle(before)
        return done - start

    def open(self, title: str) -> float:
        link = self.page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first
        return self.timed(lambda: None, link.click)

    def interact(self, step: Interaction) -> tuple[float, str] | None:
        """Time ``step`` and say what was done; when the page has no such widget to change
        (pages change), the first list, radio button or checkbox outside a form instead."""
        fallbacks = [Interaction(kind, "") for kind in ("select", "radio", "check")]
        for candidate in [step, *fallbacks]:
            seconds = self._try(candidate)
            if seconds is not None:
                return seconds, f"{candidate.kind}: {candidate.label or '(första)'}"
        return None

    def _try(self, step: Interaction) -> float | None:
        page = self.page
        widget = {
            "select": "stSelectbox",
            "radio": "stRadio",
            "check": "stCheckbox",
            "search": "stTextInput",
            "submit": "stForm",
            "expand": "stExpander",
        }[step.kind]
        main = page.locator("[data-testid='stMain']")
        box = main.locator(f"[data-testid='{widget}']").filter(has_text=step.label)
        if not step.label:  # a fallback: only widgets whose change runs the script
            box = main.locator(f"[data-testid='{widget}']:not([data-testid='stForm'] *)")
        box = box.locator("visible=true").first
        if box.count() == 0:
            return None
        if step.kind == "select":
            return self._choose_other(box)
        if step.kind == "radio":
            choices = box.locator("label").filter(has=page.locator("input[type='radio']"))
            other = choices.filter(has_not=page.locator("input:checked")).first
            return self.timed(lambda: None, other.click) if other.count() else None
        if step.kind == "check":
            return self.timed(lambda: None, box.locator("label").first.click)
        if step.kind == "expand":  # a plan risk: opening it draws its forms and tables
            return self.timed(lambda: None, box.locator("summary").first.click)
        if step.kind == "search":
            field = box.locator("input")
            text = step.text if field.input_value() != step.text else step.text[:-1]
            return self.timed(lambda: field.fill(text), lambda: field.press("Enter"))
        button = box.locator("[data-testid='stFormSubmitButton'] button").first
        return self.timed(lambda: None, button.click)

    def _choose_other(self, box: Locator) -> float | None:
        current = box.locator("input").input_value()
        box.click()
        options = self.page.get_by_role("option")
        others = [i for i in range(options.count()) if options.nth(i).inner_text() != current]
        if not others:
            self.page.keyboard.press("Escape")
            return None
        return self.timed(lambda: None, options.nth(others[0]).click)


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SAFETY_NET_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Gränssnittet avslutades med kod {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)  # the server is not listening yet: poll its health check
    raise SystemExit(f"Gränssnittet svarade inte på {url}")


def measure(
    db_url: str, port: int, rounds: int, verbose: bool = False
) -> dict[str, tuple[list[float], list[float]]]:
    """Per page: the times of its opens and of its interactions over ``rounds`` rounds."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "RISKMOTOR_DATABASE_URL": db_url, "RISKMOTOR_USER": "Bench"}
    process = subprocess.Popen(
        streamlit_command(port, "127.0.0.1"),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    times: dict[str, tuple[list[float], list[float]]] = {title: ([], []) for title in PAGES}
    try:
        _wait_healthy(url, process)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(SAFETY_NET_S * 1000)
            driver = Driver(page)
            page.goto(url)
            driver.settle(0)
            for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
                for title, step in PAGES.items():
                    opened = driver.open(title)
                    interacted = driver.interact(step)
                    if verbose:
                        print(f"    {title}: {opened:.3f} s, {interacted}", flush=True)
                    if interacted is not None:
                        DONE[title] = interacted[1]
                    if round_ == 0:
                        continue
                    times[title][0].append(opened)
                    if interacted is not None:
                        times[title][1].append(interacted[0])
                print(f"  omgång {round_} av {rounds} klar", flush=True)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return times


def _fmt(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def report(
    heading: str,
    times: dict[str, tuple[list[float], list[float]]],
    open_budget: float,
    interaction_budget: float,
) -> bool:
    """Print one table; True when every median is within its budget."""
    print(f"\n{heading}: median s (× budget)")
    print(f"  {'Sida':<20} {'öppna':<20} {'interaktion':<20} vad")
    within = True
    for title, (opens, interactions) in times.items():
        cells = []
        for values, budget in ((opens, open_budget), (interactions, interaction_budget)):
            if not values:
                cells.append("–")
                continue
            median = statistics.median(values)
            within = within and median <= budget
            flag = "" if median <= budget else " ÖVER"
            cells.append(f"{_fmt(median)} ({_fmt(median / budget)}×){flag}")
        print(f"  {title:<20} {cells[0]:<20} {cells[1]:<20} {DONE.get(title, '–')}")
    print(
        f"  budget: öppna ≤ {_fmt(open_budget)} s, interaktion ≤ {_fmt(interaction_budget)} s "
        f"– {'alla inom' if within else 'några ÖVER'}"
    )
    return within


def _demo(db_url: str, risks: int | None) -> None:
    command = [sys.executable, "-m", "riskmotor.cli", "demo"]
    if risks:
        command += ["--risks", str(risks)]
    env = {**os.environ, "RISKMOTOR_DATABASE_URL": db_url, "RISKMOTOR_USER": "Bench"}
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    # The plan page is measured with the plan the workshop proposes (a risk per expander).
    propose = [sys.executable, "-m", "riskmotor.cli", "plan", "propose"]
    propose += ["--namnd", "Socialnämnden", "--year", "2027"]
    subprocess.run(propose, env=env, cwd=ROOT, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="mätomgångar (demodata)")
    parser.add_argument("--large-rounds", type=int, default=3, help="mätomgångar (många risker)")
    parser.add_argument("--risks", type=int, default=1000, help="risker i den stora mätningen")
    parser.add_argument("--port", type=int, default=8661, help="önskad port")
    parser.add_argument("--verbose", action="store_true", help="skriv varje mätning")
    parser.add_argument("--only-demo", action="store_true", help="hoppa över den stora mätningen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = f"sqlite:///{Path(folder) / 'demo.db'}"
        print("Skapar demodatabasen …", flush=True)
        _demo(small, None)
        times = measure(small, _free_port(args.port), args.rounds, args.verbose)
        report(f"Demodata, {args.rounds} omgångar", times, OPEN_BUDGET_S, INTERACTION_BUDGET_S)
        if args.only_demo:
            return
        large = f"sqlite:///{Path(folder) / 'large.db'}"
        print(f"\nSkapar en databas med {args.risks} risker …", flush=True)
        _demo(large, args.risks)
        times = measure(large, _free_port(args.port + 1), args.large_rounds, args.verbose)
        report(
            f"{args.risks} risker, {args.large_rounds} omgångar",
            times,
            LARGE_BUDGET_S,
            LARGE_BUDGET_S,
        )


if __name__ == "__main__":
    main()
