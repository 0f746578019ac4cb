"""Test machinery for login: the OpenID Provider on loopback, a UI with [auth], and logging
in through the provider's form in a browser.

The provider is ``provider.mjs`` (npm package oidc-provider, pinned in package-lock.json,
installed by ``npm ci --prefix tests/e2e/oidc``). Without Node or the installed package
the login tests are skipped, unless RISKMOTOR_REQUIRE_E2E=1 (CI), which fails them.
Every wait is for state (a line printed, a health answer, an address reached, the app's
run marker); the limits are safety nets only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskmotor.launcher import streamlit_command
from tests.e2e.conftest import (
    _RUNS,
    SAFETY_NET_SECONDS,
    ScriptRuns,
    _free_port,
    _run_done_after,
    _wait_until_healthy,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
CLIENT_ID = "riskmotor"
CLIENT_SECRET = "riskmotor-testhemlighet"
READY = "oidc-provider ready "


def node() -> str:
    """The node binary, with oidc-provider installed beside provider.mjs; else skip/fail."""
    found = shutil.which("node")
    installed = (HERE / "node_modules" / "oidc-provider" / "package.json").exists()
    if found and installed:
        return found
    problem = (
        "Node.js saknas (Debian-paketen nodejs och npm)"
        if not found
        else "oidc-provider är inte installerat (kör npm ci --prefix tests/e2e/oidc)"
    )
    if os.environ.get("RISKMOTOR_REQUIRE_E2E") == "1":
        pytest.fail(f"{problem} men RISKMOTOR_REQUIRE_E2E=1.")
    pytest.skip(f"{problem}; inloggningstestet hoppas över.")


@contextmanager
def oidc_provider(redirect_uris: list[str]) -> Iterator[str]:
    """Run the provider on a free loopback port; yields its issuer URL."""
    port = _free_port()
    command = [node(), str(HERE / "provider.mjs"), "--port", str(port)]
    for uri in redirect_uris:
        command += ["--redirect-uri", uri]
    command += ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=HERE
    )
    try:
        yield _wait_for_ready(process)
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for_ready(process: subprocess.Popen[str]) -> str:
    """The issuer from the provider's ready line (read on a thread: readline blocks)."""
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY):
                found.append(line.removeprefix(READY).strip())
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(SAFETY_NET_SECONDS)
    if not found:
        raise RuntimeError(f"oidc-provider startade inte (kod {process.poll()})")
    return found[0]


def write_secrets(path: Path, issuer: str) -> Path:
    """A secrets.toml for the test provider; {port} is each UI instance's own port."""
    path.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "testkakans-hemlighet-som-är-lång-nog"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
# oidc-provider supports login, consent and none, not Streamlit's default select_account.
client_kwargs = {{ prompt = "login" }}
""",
        encoding="utf-8",
    )
    return path


@contextmanager
def ui_with_login(database_url: str, port: int, secrets: Path) -> Iterator[str]:
    """``streamlit run`` as ``riskmotor ui --secrets`` starts it; yields its base URL."""
    process = subprocess.Popen(
        streamlit_command(port, "127.0.0.1", secrets),
        env={**os.environ, "RISKMOTOR_DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def log_in(page: Page, base: str, email: str) -> None:
    """Open the app, press "Logga in", sign in on the provider's form as ``email`` and wait
    until the app has drawn its first page for the logged-in person."""
    _RUNS[id(page)] = ScriptRuns()
    page.goto(base)
    _run_done_after(page, 0)
    assert page.get_by_role("heading", name="Logga in").count() == 1
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r".*/interaction/.*"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("valfritt")
    _RUNS[id(page)] = ScriptRuns()
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/?$"))
    _run_done_after(page, 0)


def switch_to(page: Page, base: str, path: str) -> None:
    """Load another page by address: a new session, still logged in by the cookie."""
    _RUNS[id(page)] = ScriptRuns()
    page.goto(f"{base}/{path}")
    _run_done_after(page, 0)
