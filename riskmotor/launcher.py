"""Start the workshop UI: a headless ``streamlit run`` that riskmotor itself announces.

Streamlit is always started headless with its e-mail prompt and usage statistics off, so
it never waits for a terminal (with no terminal attached its first-run prompt made the
process exit with status 255) and never tells a municipality that data goes to servers in
the United States. Instead riskmotor waits until the server answers, prints in Swedish
where the UI is, which database it uses and how to stop it, and opens the browser itself
when there is a display to open it on.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
import webbrowser
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from riskmotor.domain.terms import LOCAL_MODE

APP_PATH = Path(__file__).resolve().parent.parent / "streamlit_app" / "app.py"
HEALTH_POLL_SECONDS = 0.3
STOP_GRACE_SECONDS = 15.0
# Addresses that listen on every interface; the browser and the health check use loopback.
_WILDCARD_ADDRESSES = {"0.0.0.0", "::", ""}
DEPLOYMENT_GUIDE = "docs/deployment.md"

# Every setting that keeps Streamlit quiet and unattended is passed as a flag as well as
# kept in the project's .streamlit/config.toml: Streamlit reads that file only from the
# current folder, and ``riskmotor ui`` may be started from anywhere.
_QUIET_FLAGS = {
    "server.headless": "true",
    "server.showEmailPrompt": "false",
    "browser.gatherUsageStats": "false",
    "logger.hideWelcomeMessage": "true",  # riskmotor prints its own Swedish lines
    "logger.level": "warning",  # no English "server started" line beside them
    "client.toolbarMode": "minimal",
    # The pages show their own Swedish message with a reference number; should anything
    # still escape, the user sees no traceback and no English "Ask Google" links.
    "client.showErrorDetails": "none",
    "client.showErrorLinks": "false",
}


def serve(
    database_url: str,
    port: int,
    *,
    open_browser: bool | None = None,
    address: str = "127.0.0.1",
    secrets_file: Path | None = None,
    allow_unauthenticated: bool = False,
) -> int:
    """Run the UI on ``address:port`` against ``database_url`` until it stops or Ctrl+C.

    ``open_browser=None`` opens the browser only where a display exists (see
    :func:`display_available`). ``secrets_file`` is the only Streamlit secrets file read
    (login settings, docs/deployment.md); without it Streamlit's usual places are read.
    Without login only loopback is served, unless ``allow_unauthenticated``.
    Returns the exit status for the command line.
    """
    try:
        login = auth_configured(secrets_file)
    except SecretsFileError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    refusal = binding_refusal(address, login=login, allow_unauthenticated=allow_unauthenticated)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    if not login and not is_loopback(address):
        print(unauthenticated_warning(address), file=sys.stderr, flush=True)
    if not _port_is_free(address, port):
        print(
            f"Fel: port {port} används redan. Stäng det andra programmet eller välj en annan "
            "port med --port.",
            file=sys.stderr,
        )
        return 1
    url = f"http://{_browser_host(address)}:{port}"
    if threading.current_thread() is threading.main_thread():
        # A service manager stops with SIGTERM: stop Streamlit too instead of orphaning it.
        signal.signal(signal.SIGTERM, _interrupt)
    process = subprocess.Popen(
        streamlit_command(port, address, secrets_file),
        env={**os.environ, "RISKMOTOR_DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
    )
    try:
        if not _wait_until_healthy(url, process):
            print(
                f"Fel: gränssnittet kunde inte starta (Streamlit avslutades med kod "
                f"{process.returncode}).",
                file=sys.stderr,
            )
            return process.returncode or 1
        _announce(url, database_url, login=login)
        if display_available() if open_browser is None else open_browser:
            webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        return _stop(process)


def streamlit_command(port: int, address: str, secrets_file: Path | None = None) -> list[str]:
    """The ``streamlit run`` command line for the workshop UI."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH)]
    options = {**_QUIET_FLAGS, "server.port": str(port), "server.address": address}
    if secrets_file is not None:
        options["secrets.files"] = str(Path(secrets_file).resolve())
    for name, value in options.items():
        command += [f"--{name}", value]
    return command


class SecretsFileError(ValueError):
    """A Streamlit secrets file exists but cannot be read as TOML."""


def secrets_files(secrets_file: Path | None = None) -> list[Path]:
    """The secrets files the UI reads, in Streamlit's order: the one given to ``riskmotor
    ui --secrets``, else the user's, the current folder's and the app folder's."""
    if secrets_file is not None:
        return [Path(secrets_file)]
    name = Path(".streamlit") / "secrets.toml"
    return [Path.home() / name, Path.cwd() / name, APP_PATH.parent / name]


def auth_configured(secrets_file: Path | None = None) -> bool:
    """Whether login is switched on: a secrets file the UI reads has an [auth] section."""
    for path in secrets_files(secrets_file):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        try:
            secrets = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SecretsFileError(f"{path} går inte att läsa som TOML: {exc}") from exc
        if secrets.get("auth"):
            return True
    return False


def is_loopback(address: str) -> bool:
    """Whether only this computer can reach ``address`` (127.0.0.0/8, ::1, localhost)."""
    if address.strip().casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:  # a host name or a wildcard other than these
        return False


def binding_refusal(address: str, *, login: bool, allow_unauthenticated: bool) -> str | None:
    """Why the UI may not listen on ``address``, or None when it may.

    Without login anyone who reaches the port can read and change every nämnd's data, so
    only loopback is allowed unless the person explicitly asks for more.
    """
    if login or allow_unauthenticated or is_loopback(address):
        return None
    return (
        f"Fel: utan inloggning lyssnar riskmotor bara på den här datorn (127.0.0.1), inte på "
        f"{address or 'alla adresser'}. Konfigurera inloggning med [auth] i "
        f".streamlit/secrets.toml (se {DEPLOYMENT_GUIDE}), eller ange "
        "--allow-unauthenticated om alla som når porten verkligen ska kunna läsa och ändra "
        "allt."
    )


def unauthenticated_warning(address: str) -> str:
    """The warning printed when the UI listens beyond loopback without login."""
    return (
        f"Varning: riskmotor lyssnar på {address or 'alla adresser'} utan inloggning "
        "(--allow-unauthenticated). Alla som når porten kan läsa och ändra alla nämnders "
        "risker, planer och avvikelser, och ändringsloggen kan inte visa vem som gjorde vad. "
        f"Konfigurera inloggning enligt {DEPLOYMENT_GUIDE}."
    )


def display_available() -> bool:
    """Whether a browser window can be shown: always on Windows and macOS, on other systems
    only with an X11 or Wayland display."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def describe_database(database_url: str) -> str:
    """Where the data lives, for people: a SQLite file path, or the URL without password."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return database_url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return "SQLite i minnet (sparas inte)"
        return f"SQLite-filen {Path(url.database).expanduser().resolve()}"
    # URL.set(password=None) keeps the password ("None" means "unchanged"): build anew.
    without_password = URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )
    return without_password.render_as_string(hide_password=False)


def _announce(url: str, database_url: str, *, login: bool) -> None:
    print(f"riskmotor är igång på {url}", flush=True)
    print(f"Databas: {describe_database(database_url)}", flush=True)
    print(
        "Inloggning: OpenID Connect ([auth] i secrets.toml)" if login else LOCAL_MODE,
        flush=True,
    )
    print("Avsluta med Ctrl+C.", flush=True)


def _browser_host(address: str) -> str:
    return "127.0.0.1" if address in _WILDCARD_ADDRESSES else address


def _port_is_free(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # as the server does; a recently closed port is still free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address or "0.0.0.0", port))
        except OSError:
            return False
    return True


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> bool:
    """Poll Streamlit's health endpoint while the process lives; False if it exits first.

    There is no deadline: on a busy machine the first start may take long, and the user
    can always stop with Ctrl+C.
    """
    while process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(HEALTH_POLL_SECONDS)
    return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen[bytes]) -> int:
    """After Ctrl+C: Streamlit got the same signal from the terminal; give it time to stop."""
    if process.poll() is None:
        if os.name == "nt":  # no SIGINT for a child process on Windows
            process.terminate()
        else:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    print("riskmotor har stoppats.", flush=True)
    return 0
