"""Concurrent first starts on one fresh database build one organisation tree, not several.

Four ``riskmotor demo`` processes race on an empty database: they migrate it (under a lock)
and load the demo (the unique index on root units lets one of them win; the others retry
and find its data).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

PROCESSES = 4
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _demo(db_url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "riskmotor.cli", "demo", "--db", db_url],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_concurrent_demo_runs_build_one_tree_and_one_analysis(db_url: str) -> None:
    runs = [_demo(db_url) for _ in range(PROCESSES)]
    outcomes = [(run.wait(timeout=300), *run.communicate()) for run in runs]

    assert [code for code, _, _ in outcomes] == [0] * PROCESSES, outcomes
    engine = create_engine(db_url)
    with engine.connect() as connection:
        roots = connection.execute(
            text("SELECT name FROM org_unit WHERE parent_id IS NULL")
        ).scalars()
        namnder = connection.execute(
            text("SELECT name FROM org_unit WHERE kind = 'nämnd'")
        ).scalars()
        analyses = connection.execute(text("SELECT year FROM risk_analysis")).scalars()
        root_names, namnd_names, years = list(roots), list(namnder), list(analyses)
    engine.dispose()
    assert root_names == ["Exempelkommun"]
    assert namnd_names == ["Socialnämnden"]
    assert years == [2027]
