"""``riskmotor ui`` without login listens on this computer only.

Binding to another address without an [auth] section in the secrets is refused unless
``--allow-unauthenticated`` is given, which prints a Swedish warning. Streamlit itself is
replaced by a stand-in that records its command line and exits, so no server starts; the
refusal must come before anything is started.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from riskmotor import launcher
from riskmotor.cli import main

AUTH_SECRETS = """\
[auth]
redirect_uri = "https://riskmotor.exempel.se/oauth2callback"
cookie_secret = "en-lång-slumpad-hemlighet-för-kakan"
client_id = "riskmotor"
client_secret = "hemligt"
server_metadata_url = "https://login.exempel.se/.well-known/openid-configuration"
"""


class StandInStreamlit:
    """Records the ``streamlit run`` command line; "exits" at once with status 3."""

    started: ClassVar[list[list[str]]] = []

    def __init__(self, command: list[str], **_: object) -> None:
        StandInStreamlit.started.append(command)
        self.returncode = 3

    def poll(self) -> int:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode


@pytest.fixture
def no_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home and a working folder without any secrets file, and no real Streamlit."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("RISKMOTOR_SECRETS_FILE", raising=False)
    monkeypatch.chdir(work)
    monkeypatch.setattr(launcher, "APP_PATH", tmp_path / "app" / "app.py")
    monkeypatch.setattr(launcher.subprocess, "Popen", StandInStreamlit)
    StandInStreamlit.started = []
    yield tmp_path


def ui(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["ui", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--no-browser", *args]
    )
    return result.exit_code, result.output


def address_of(command: list[str]) -> str:
    return command[command.index("--server.address") + 1]


def test_the_ui_listens_on_this_computer_only_by_default(no_secrets: Path) -> None:
    ui(no_secrets, "--port", "8621")
    assert [address_of(command) for command in StandInStreamlit.started] == ["127.0.0.1"]


def test_another_address_without_login_is_refused_in_swedish(no_secrets: Path) -> None:
    status, output = ui(no_secrets, "--port", "8622", "--address", "0.0.0.0")
    assert status == 2
    assert "utan inloggning lyssnar riskmotor bara på den här datorn" in output
    assert "--allow-unauthenticated" in output and "docs/deployment.md" in output
    assert StandInStreamlit.started == [], "nothing may start before the refusal"


def test_allow_unauthenticated_starts_with_a_warning(no_secrets: Path) -> None:
    status, output = ui(
        no_secrets, "--port", "8623", "--address", "0.0.0.0", "--allow-unauthenticated"
    )
    assert "Varning: riskmotor lyssnar på 0.0.0.0 utan inloggning" in output
    assert [address_of(command) for command in StandInStreamlit.started] == ["0.0.0.0"]
    assert status == 3  # the stand-in's exit status: the server was started


def test_with_login_configured_any_address_is_served_without_warning(
    no_secrets: Path,
) -> None:
    secrets = no_secrets / "secrets.toml"
    secrets.write_text(AUTH_SECRETS, encoding="utf-8")
    status, output = ui(
        no_secrets, "--port", "8624", "--address", "0.0.0.0", "--secrets", str(secrets)
    )
    assert status == 3  # started (the stand-in's exit status), neither refused nor warned
    assert "Varning" not in output and "utan inloggning" not in output
    (command,) = StandInStreamlit.started
    assert address_of(command) == "0.0.0.0"
    assert command[command.index("--secrets.files") + 1] == str(secrets.resolve())


def test_login_in_the_project_secrets_file_counts(no_secrets: Path) -> None:
    """Streamlit reads .streamlit/secrets.toml in the folder it is started from."""
    (Path.cwd() / ".streamlit").mkdir()
    (Path.cwd() / ".streamlit" / "secrets.toml").write_text(AUTH_SECRETS, encoding="utf-8")
    ui(no_secrets, "--port", "8625", "--address", "0.0.0.0")
    assert [address_of(command) for command in StandInStreamlit.started] == ["0.0.0.0"]


def test_secrets_without_an_auth_section_are_not_login(no_secrets: Path) -> None:
    secrets = no_secrets / "secrets.toml"
    secrets.write_text('[annat]\nnyckel = "värde"\n', encoding="utf-8")
    status, _ = ui(no_secrets, "--address", "0.0.0.0", "--secrets", str(secrets))
    assert status == 2 and StandInStreamlit.started == []


def test_a_broken_secrets_file_is_named_in_swedish(no_secrets: Path) -> None:
    secrets = no_secrets / "secrets.toml"
    secrets.write_text("[auth\n", encoding="utf-8")
    status, output = ui(no_secrets, "--secrets", str(secrets))
    assert status == 1
    assert f"{secrets} går inte att läsa som TOML" in output
    assert StandInStreamlit.started == []


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.20", False),
        ("riskmotor.exempel.se", False),
    ],
)
def test_only_loopback_addresses_count_as_this_computer(address: str, loopback: bool) -> None:
    assert launcher.is_loopback(address) is loopback
