#!/usr/bin/env python3
"""The two README commands, with nothing but Python >= 3.11 needed beforehand.

    python3 run.py start   install into .venv, load the demo data, open the workshop UI
    python3 run.py test    install into .venv (with test tools) and run the whole test suite

Extra arguments after ``test`` go to pytest; after ``start`` to ``riskmotor ui``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTEST_NO_TESTS = 5


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / scripts / f"python{suffix}"


def ensure_installed(extras: str) -> Path:
    """Create .venv and install riskmotor with ``extras``; skipped when nothing changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - the message is for older interpreters
        sys.exit("riskmotor behöver Python 3.11 eller senare.")
    python = venv_python()
    if not python.exists():
        print("Skapar virtuell miljö i .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if not stamp.exists() or stamp.read_text() != wanted:
        print(f"Installerar riskmotor{f'[{extras}]' if extras else ''} …", flush=True)
        target = f".[{extras}]" if extras else "."
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT
        )
        stamp.write_text(wanted)
    return python


def start(args: list[str]) -> int:
    python = ensure_installed("postgres")
    subprocess.run([str(python), "-m", "riskmotor.cli", "demo"], check=True, cwd=ROOT)
    return subprocess.call([str(python), "-m", "riskmotor.cli", "ui", *args], cwd=ROOT)


def test(args: list[str]) -> int:
    python = ensure_installed("dev")
    code = subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT)
    if code == PYTEST_NO_TESTS:
        print("Fel: pytest hittade inga tester att köra.", file=sys.stderr)
        return 1
    return code


def main() -> int:
    commands = {"start": start, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
