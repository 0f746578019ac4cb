"""The command line starts light and speaks Swedish, before any command touches a database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmotor.cli import main

HEAVY = (
    "streamlit",
    "altair",
    "vl_convert",
    "numba",
    "scipy",
    "scipy.stats",
    "pandas",
    "openpyxl",
    "docx",
)


def test_importing_the_cli_loads_no_heavy_library() -> None:
    # A fresh interpreter: this test process may have imported them for other tests.
    code = (
        "import json, sys, riskmotor.cli; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert json.loads(_python(code)) == []


def _python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout


def test_a_quick_database_command_loads_no_heavy_library(tmp_path: Path) -> None:
    # What `riskmotor risks list` loads on an up-to-date database: the composition root, the
    # workshop services, the catalog. Alembic counts as heavy here: it is needed only to migrate.
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    _python(f"from riskmotor.bootstrap import build_app; build_app({url!r}, 't').uow()")
    loaded = _python(
        "import json, sys\n"
        "from riskmotor.bootstrap import build_app\n"
        "from riskmotor.services import workshop\n"
        f"app = build_app({url!r}, 't')\n"
        "app.uow(); app.catalog\n"
        f"print(json.dumps([m for m in {(*HEAVY, 'numpy', 'alembic')!r} if m in sys.modules]))"
    )
    assert json.loads(loaded) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], ["Användning: riskmotor [ALTERNATIV] KOMMANDO", "Alternativ:", "Kommandon:"]),
        (["plan", "--help"], ["Användning: riskmotor plan", "Visa den här hjälpen och avsluta."]),
        (["sample", "size", "--help"], ["--confidence DECIMALTAL", "[obligatoriskt]"]),
    ],
)
def test_help_is_swedish(args: list[str], expected: list[str]) -> None:
    result = CliRunner().invoke(main, args, prog_name="riskmotor")
    assert result.exit_code == 0
    for text in expected:
        assert text in result.output
    assert "Show this message" not in result.output and "Usage:" not in result.output


def test_a_missing_option_is_reported_in_swedish() -> None:
    result = CliRunner().invoke(main, ["plan", "followup"], prog_name="riskmotor")
    assert result.exit_code == 2
    assert "Fel: Obligatoriskt alternativ saknas '--namnd'." in result.output
    assert "Skriv 'riskmotor plan followup --help' för hjälp." in result.output


def test_unknown_command_and_bad_number_are_swedish() -> None:
    unknown = CliRunner().invoke(main, ["risks", "lst"], prog_name="riskmotor")
    assert "Kommandot 'lst' finns inte." in unknown.output
    bad = CliRunner().invoke(main, ["sample", "size", "--confidence", "hög", "--tolerable", "0.05"])
    assert "'hög' är inte ett giltigt decimaltal." in bad.output


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "scenario.yaml"],
        ["sample", "size", "--confidence", "0.95", "--tolerable", "0.05"],
        ["sample", "limit", "--n", "10", "--deviations", "0", "--confidence", "0.9"],
    ],
)
def test_commands_without_a_database_refuse_db(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--db", "sqlite:///x.db"], prog_name="riskmotor")
    assert result.exit_code == 2
    assert "använder ingen databas och tar därför inte --db" in result.output


def test_sample_limit_prints_a_swedish_percent() -> None:
    result = CliRunner().invoke(
        main, ["sample", "limit", "--n", "100", "--deviations", "2", "--confidence", "0.95"]
    )
    assert result.exit_code == 0, result.output
    # AICPA Table A-3: n = 100, 2 deviations, 95 % → 6,2 % (rounded up); here 6,16 %.
    assert "6,16 %" in result.output and "0.06" not in result.output


def test_followup_refuses_options_that_would_be_ignored() -> None:
    base = ["plan", "followup", "--namnd", "N", "--year", "2027", "--period", "2027-T1"]
    without_control = CliRunner().invoke(main, [*base, "--status", "grön"])
    assert without_control.exit_code == 2
    assert "--status gäller bara tillsammans med --control" in without_control.output
    without_status = CliRunner().invoke(main, [*base, "--action", "1"])
    assert "Ange --action-status" in without_status.output


def test_sample_draw_does_not_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "checklista.xlsx"
    out.write_bytes(b"tidigare arbete")
    cases = tmp_path / "arenden.csv"
    cases.write_text("Ärende-id;Avslutad\nA1;2027-01-10\n", encoding="utf-8")
    args = ["sample", "draw", str(cases), "--size", "1", "--seed", "1", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "finns redan" in result.output and "--force" in result.output
    assert out.read_bytes() == b"tidigare arbete"


def test_the_quick_schema_check_agrees_with_alembic() -> None:
    # Commands skip importing Alembic when the stored revision is the newest migration file.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from riskmotor.persistence.database import MIGRATIONS_DIR, newest_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert newest_revision() == ScriptDirectory.from_config(config).get_current_head()
