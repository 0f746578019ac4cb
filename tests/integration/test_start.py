"""``python3 run.py start`` as a new user runs it: no terminal, no display, a fresh home.

The server is started in its own process group with stdin closed, so a Streamlit prompt
would end it (status 255) instead of waiting; HOME is a temporary folder, so there is no
Streamlit credentials file and the default database lands there, never in the
developer's own data folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskmotor import launcher

ROOT = Path(__file__).resolve().parents[2]
# A safety net only: the test waits for riskmotor's own "running" line, which normally
# comes within seconds (minutes when run.py has to install first on a busy machine).
START_LIMIT_SECONDS = 900
READY_LINE = "Avsluta med Ctrl+C."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _clean_environment(home: Path) -> dict[str, str]:
    hidden = {"DISPLAY", "WAYLAND_DISPLAY", "RISKMOTOR_DATABASE_URL", "XDG_DATA_HOME"}
    env = {name: value for name, value in os.environ.items() if name not in hidden}
    return {**env, "HOME": str(home)}


def _wait_for_line(process: subprocess.Popen[bytes], log: Path, line: str) -> str:
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if line in text:
            return text
        if process.poll() is not None:
            pytest.fail(f"riskmotor avslutades med kod {process.returncode}:\n{text}")
        time.sleep(0.5)
    pytest.fail(f"riskmotor skrev inte {line!r} inom {START_LIMIT_SECONDS} s")


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        return int(response.status)


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, Path, int]]:
    home = tmp_path / "home"
    home.mkdir()
    port = _free_port()
    log = tmp_path / "start.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "run.py"), "start", "--port", str(port)],
            cwd=ROOT,
            env=_clean_environment(home),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended as a whole below
        )
    try:
        yield process, log, home, port
    finally:
        _end_group(process)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """Stop run.py and everything it started (installer, warm-up, Streamlit)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_run_py_start_serves_the_demo_without_terminal_or_display(
    started: tuple[subprocess.Popen[bytes], Path, Path, int],
) -> None:
    process, log, home, port = started
    output = _wait_for_line(process, log, READY_LINE)
    url = f"http://127.0.0.1:{port}"
    assert _get(f"{url}/_stcore/health") == 200
    assert _get(url) == 200
    database = home / ".local" / "share" / "riskmotor" / "riskmotor.db"
    assert f"riskmotor är igång på {url}" in output
    assert f"Databas: SQLite-filen {database}" in output
    assert database.exists(), "the demo data went somewhere else than announced"
    for streamlit_noise in ("Email", "Welcome to Streamlit", "usage statistics"):
        assert streamlit_noise not in output, output
    assert not (home / ".streamlit" / "credentials.toml").exists()


def test_stopping_riskmotor_stops_the_server_it_started(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    serve = f"from riskmotor.launcher import serve; serve('sqlite:///{tmp_path}/s.db', {port})"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", serve],
            cwd=ROOT,
            env=_clean_environment(tmp_path),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_line(process, log, READY_LINE)
        process.terminate()  # the launcher only, as a service manager would
        assert process.wait(timeout=60) == 0
        assert "riskmotor har stoppats." in log.read_text(encoding="utf-8")
        with pytest.raises(OSError):
            _get(f"http://127.0.0.1:{port}/_stcore/health")
    finally:
        _end_group(process)


def test_a_port_in_use_is_reported_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        status = launcher.serve(f"sqlite:///{tmp_path / 'x.db'}", port, open_browser=False)
    assert status == 1
    assert f"port {port} används redan" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////var/lib/riskmotor/data.db", "SQLite-filen /var/lib/riskmotor/data.db"),
        (
            "postgresql+psycopg://kommun:hemligt@db.example:5432/risk",
            "postgresql+psycopg://kommun@db.example:5432/risk",
        ),
        ("sqlite://", "SQLite i minnet (sparas inte)"),
    ],
)
def test_the_database_is_described_without_its_password(url: str, expected: str) -> None:
    assert launcher.describe_database(url) == expected


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, False),
        ("linux", {"DISPLAY": ":0"}, True),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, True),
        ("win32", {}, True),
        ("darwin", {}, True),
    ],
)
def test_a_browser_is_opened_only_where_there_is_a_screen(
    monkeypatch: pytest.MonkeyPatch, platform: str, env: dict[str, str], expected: bool
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    assert launcher.display_available() is expected
