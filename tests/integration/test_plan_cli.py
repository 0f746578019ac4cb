"""The year from the command line: confirm assessments, send for decision, withdraw, adopt
(issue 11's pinned ``plan submit`` / ``plan withdraw`` and ``risks confirm``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PLACE = ["--namnd", "Socialnämnden", "--year", "2027"]


def riskmotor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskmotor.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "RISKMOTOR_USER": "cli-test", "HOME": str(Path.home())},
    )


def ok(*args: str) -> Any:
    done = riskmotor(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_whole_decision_path_runs_from_the_cli(db_url: str) -> None:
    db = ["--db", db_url]
    assert riskmotor("demo", *db).returncode == 0
    proposal = ok("plan", "propose", *db, *PLACE)
    included = [r for r in proposal["risks"] if r["included"]]
    for risk in included:
        ok(
            "plan",
            "add-control",
            *db,
            *PLACE,
            "--risk",
            str(risk["id"]),
            "--responsible",
            "Enhetschef",
            "--timing",
            "Varje tertial",
        )

    refused = riskmotor("plan", "submit", *db, *PLACE, "--json")
    assert refused.returncode != 0
    assert "Bedömningen är inte fastställd för" in refused.stderr

    one = next(r for r in ok("risks", "list", *db, *PLACE) if not r["confirmed"])
    confirmed = ok(
        "risks",
        "confirm",
        *db,
        *PLACE,
        "--risk",
        str(one["id"]),
        "--likelihood",
        "4",
        "--consequence",
        "4",
    )
    assert (confirmed["confirmed"], confirmed["risk_value"]) == (True, 16)
    rest = ok("risks", "confirm", *db, *PLACE, "--all")["confirmed"]
    assert rest > 0 and all(
        r["confirmed"] or r["risk_value"] is None for r in ok("risks", "list", *db, *PLACE)
    )
    both = riskmotor("risks", "confirm", *db, *PLACE, "--all", "--risk", "1")
    assert both.returncode == 2 and "antingen --all" in both.stderr

    ok("plan", "propose", *db, *PLACE)  # the confirmed risk moved up; controls stay
    for risk in ok("plan", "show", *db, *PLACE)["risks"]:
        if risk["included"] and not risk["controls"]:
            ok(
                "plan",
                "add-control",
                *db,
                *PLACE,
                "--risk",
                str(risk["id"]),
                "--responsible",
                "Enhetschef",
                "--timing",
                "Varje tertial",
            )
    submitted = ok("plan", "submit", *db, *PLACE, "--dnr", "SN 2026/123")
    assert submitted["status"] == "för beslut"
    assert submitted["decision"]["dnr"] == "SN 2026/123"
    frozen = submitted["frozen"]
    assert frozen["kind"] == "för beslut" and len(frozen["content_sha256"]) == 64

    draft = ok("plan", "withdraw", *db, *PLACE)
    assert (draft["status"], draft["frozen"]) == ("utkast", None)
    again = ok("plan", "submit", *db, *PLACE)
    adopted = ok(
        "plan",
        "approve",
        *db,
        *PLACE,
        "--date",
        "2026-12-10",
        "--paragraf",
        "§ 123",
        "--dnr",
        "SN 2026/123",
    )
    assert adopted["status"] == "fastställd"
    assert adopted["frozen"]["content_sha256"] == again["frozen"]["content_sha256"]
    late = riskmotor("plan", "withdraw", *db, *PLACE)
    assert late.returncode != 0 and "fastställd" in late.stderr
