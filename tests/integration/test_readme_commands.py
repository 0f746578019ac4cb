"""Every command line in the README's code blocks works as written, in the order written.

The lines starting with ``.venv/bin/riskmotor`` are run (except ``ui``, which serves until
stopped) against a scratch database and in a scratch folder that sees the repository's
``catalogs/``, so the example files resolve as they do from a checkout.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ".venv/bin/riskmotor"
CODE_BLOCK = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_commands() -> list[list[str]]:
    """The argument lists of the README's riskmotor command lines, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in CODE_BLOCK.findall(text):
        for line in block.splitlines():
            if line.startswith(PROGRAM + " "):
                args = shlex.split(line)[1:]
                if args[0] != "ui":
                    commands.append(args)
    return commands


def test_the_readme_lists_the_main_commands() -> None:
    listed = {tuple(args[:2]) for args in readme_commands()}
    for expected in [
        ("demo",),
        ("plan", "approve"),
        ("plan", "followup"),
        ("plan", "new-version"),
        ("sample", "draw"),
        ("deviations", "import"),
        ("export", "verify"),
    ]:
        assert any(entry[: len(expected)] == expected for entry in listed), expected


def test_every_readme_command_runs_in_order(tmp_path: Path) -> None:
    (tmp_path / "catalogs").symlink_to(ROOT / "catalogs")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "RISKMOTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'readme.db'}",
        "RISKMOTOR_USER": "readme-test",
        "RISKMOTOR_EXPORT_DIR": str(tmp_path / "exports"),
    }
    for args in readme_commands():
        result = subprocess.run(
            [sys.executable, "-m", "riskmotor.cli", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            pytest.fail(
                f"riskmotor {shlex.join(args)} gav kod {result.returncode}:\n{result.stderr}"
            )
        if args[:2] == ["deviations", "import"]:
            # The demo already holds the example file: the output must say why nothing is new.
            assert "0 nya" in result.stdout and "redan importerade" in result.stdout
