"""The architecture is checked by tools, not by review: layers, types, lint, module size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MAX_MODULE_LINES = 400
SIZE_EXEMPT = ("riskmotor/persistence/migrations/",)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_import_contracts_hold() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_mypy_reports_no_errors() -> None:
    result = _run(sys.executable, "-m", "mypy", "riskmotor", "streamlit_app")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_ruff_reports_nothing() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout[-6000:]


def _python_modules() -> list[Path]:
    return sorted(
        path
        for folder in ("riskmotor", "streamlit_app")
        for path in (ROOT / folder).rglob("*.py")
        if not str(path.relative_to(ROOT)).startswith(SIZE_EXEMPT)
    )


@pytest.mark.parametrize("module", _python_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_grows_past_the_limit(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module.relative_to(ROOT)} has {lines} lines"
