#!/usr/bin/env python3
"""The two README commands, with nothing but Python >= 3.11 needed beforehand.

    python3 run.py start   install into .venv, load the demo data, start the workshop UI
    python3 run.py test    install into .venv (with test tools) and run the whole test suite

Extra arguments after ``test`` go to pytest; after ``start`` to ``riskmotor ui`` (a
``--db URL`` there is used for the demo data too). ``start`` needs no terminal and no
display: it prints where the UI and the database are, and opens a browser only where
there is a screen.
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


# An install with the extras on the right also holds everything the left one needs
# (pyproject's dev extra includes psycopg), so `start` after `test` installs nothing.
COVERED_BY = {"postgres": ["postgres", "dev"]}


def _stamp(extras: str) -> tuple[Path, str]:
    """The marker file of an install with ``extras`` and the content that says it is current."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    return VENV / f".installed-{extras or 'base'}", wanted


def install_is_current(extras: str) -> bool:
    for candidate in COVERED_BY.get(extras, [extras]):
        stamp, wanted = _stamp(candidate)
        if stamp.exists() and stamp.read_text() == wanted:
            return True
    return False


def ensure_installed(extras: str) -> Path:
    """Create .venv and install riskmotor with ``extras``; skipped when nothing changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - the message is for older interpreters
        sys.exit("riskmotor behöver Python 3.11 eller senare.")
    python = venv_python()
    if not python.exists():
        print("Skapar virtuell miljö i .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not install_is_current(extras):
        print(f"Installerar riskmotor{f'[{extras}]' if extras else ''} …", flush=True)
        target = f".[{extras}]" if extras else "."
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT
        )
        stamp, wanted = _stamp(extras)
        stamp.write_text(wanted)
    return python


# Compiles the simulation engine into Numba's disk cache unless it is there already; run in
# the background so the UI starts at once and the first simulation does not wait.
WARM_UP = (
    "from riskmotor.simulation import warm_up\n"
    "if warm_up(lambda message: print(message, flush=True)):\n"
    "    print('Simuleringsmotorn är klar.', flush=True)\n"
)


def database_option(args: list[str]) -> list[str]:
    """The ``--db URL`` given to ``start``, so the demo data goes where the UI looks."""
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return ["--db", args[i + 1]]
        if arg.startswith("--db="):
            return [arg]
    return []


def _lower_priority() -> None:
    os.nice(10)  # POSIX only; on Windows the warm-up runs at normal priority


def warm_up_in_background(python: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(python), "-c", WARM_UP],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        preexec_fn=None if os.name == "nt" else _lower_priority,
    )


def start(args: list[str]) -> int:
    python = ensure_installed("postgres")
    print("Läser in demodata …", flush=True)
    demo = [str(python), "-m", "riskmotor.cli", "demo", *database_option(args)]
    loaded = subprocess.call(demo, cwd=ROOT, stdin=subprocess.DEVNULL)
    if loaded != 0:  # riskmotor has said what went wrong
        return loaded
    warming = warm_up_in_background(python)
    try:
        return subprocess.call([str(python), "-m", "riskmotor.cli", "ui", *args], cwd=ROOT)
    finally:
        if warming.poll() is None:
            warming.terminate()


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
