"""The pinned CLI interface, run as a real subprocess against a real database."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from riskmotor.catalogs import DEFAULT_CATALOG_DIR
from riskmotor.domain.egenkontroll_wording import percent_up

PINNED_KEYS = {
    "id",
    "title",
    "process",
    "likelihood",
    "consequence",
    "risk_value",
    "level",
    "votes",
    "disagreement",
}


def riskmotor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskmotor.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "RISKMOTOR_USER": "cli-test", "HOME": str(Path.home())},
    )


def test_demo_twice_then_list_and_add(db_url: str) -> None:
    assert riskmotor("demo", "--db", db_url).returncode == 0
    again = riskmotor("demo", "--db", db_url, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["risks_added"] == 0

    listed = riskmotor(
        "risks", "list", "--db", db_url, "--namnd", "Socialnämnden", "--year", "2027", "--json"
    )
    assert listed.returncode == 0, listed.stderr
    risks = json.loads(listed.stdout)
    assert len(risks) >= 30
    assert all(set(risk) >= PINNED_KEYS for risk in risks)
    assert any(risk["disagreement"] for risk in risks)
    assert all(risk["votes"] == 6 for risk in risks)
    scored = next(r for r in risks if r["risk_value"])
    assert scored["risk_value"] == scored["likelihood"] * scored["consequence"]

    added = riskmotor(
        "risks",
        "add",
        "--db",
        db_url,
        "--namnd",
        "Socialnämnden",
        "--year",
        "2027",
        "--title",
        "Hög sjukfrånvaro i mottagningen",
        "--process",
        "bu_mottagning",
        "--likelihood",
        "3",
        "--consequence",
        "4",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    created = json.loads(added.stdout)
    assert set(created) >= PINNED_KEYS
    assert (created["risk_value"], created["level"], created["votes"]) == (12, "mycket_hog", 0)
    assert created["disagreement"] is False


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--title", "A", "--likelihood", "5", "--consequence", "1"], "utanför skalan"),
        (["--title", "A", "--likelihood", "2"], "både sannolikhet och konsekvens"),
        (["--title", "   "], "får inte vara tomt"),
    ],
)
def test_bad_risk_input_exits_with_one_line(db_url: str, extra: list[str], message: str) -> None:
    riskmotor("demo", "--db", db_url)
    result = riskmotor(
        "risks", "add", "--db", db_url, "--namnd", "Socialnämnden", "--year", "2027", *extra
    )
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_duplicate_title_and_unknown_namnd(db_url: str) -> None:
    riskmotor("demo", "--db", db_url)
    args = ["risks", "add", "--db", db_url, "--year", "2027", "--title", "Dubbel"]
    assert riskmotor(*args, "--namnd", "Socialnämnden").returncode == 0
    duplicate = riskmotor(*args, "--namnd", "Socialnämnden")
    assert duplicate.returncode == 1 and "finns redan" in duplicate.stderr
    unknown = riskmotor(*args, "--namnd", "Kulturnämnden")
    assert unknown.returncode == 1 and "Kulturnämnden" in unknown.stderr


def test_unreachable_database_is_one_line() -> None:
    result = riskmotor(
        "risks",
        "list",
        "--db",
        "postgresql+psycopg://x@127.0.0.1:9/none",
        "--namnd",
        "Socialnämnden",
        "--year",
        "2027",
    )
    assert result.returncode == 1
    assert "Kan inte ansluta till databasen" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_catalog_validate_reports_a_broken_copy(tmp_path: Path) -> None:
    ok = riskmotor("catalog", "validate", str(DEFAULT_CATALOG_DIR), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["templates"] >= 30
    broken = tmp_path / "katalog"
    broken.mkdir()
    for source in DEFAULT_CATALOG_DIR.glob("*.yaml"):
        (broken / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "skalor.yaml").write_text("default_scale: [\n", encoding="utf-8")
    result = riskmotor("catalog", "validate", str(broken))
    assert result.returncode == 1
    assert "skalor.yaml" in result.stderr and "ogiltig YAML" in result.stderr


def test_catalog_validate_names_the_line_in_swedish(tmp_path: Path) -> None:
    broken = tmp_path / "katalog"
    broken.mkdir()
    for source in DEFAULT_CATALOG_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == "skalor.yaml":
            text = text.replace("selection_threshold: 9", "selection_threshold: nio", 1)
        (broken / source.name).write_text(text, encoding="utf-8")
    result = riskmotor("catalog", "validate", str(broken))
    assert result.returncode == 1
    assert "skalor.yaml, rad " in result.stderr and "ska vara ett heltal" in result.stderr
    assert "Input should be" not in result.stderr


def test_catalog_validate_checks_scales_used_by_the_database(db_url: str, tmp_path: Path) -> None:
    riskmotor("demo", "--db", db_url)
    assert riskmotor("catalog", "validate", "--db", db_url).returncode == 0
    copy = tmp_path / "katalog"
    copy.mkdir()
    for source in DEFAULT_CATALOG_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == "skalor.yaml":
            text = text.replace("standard-4x4", "kommunens-4x4")
        (copy / source.name).write_text(text, encoding="utf-8")
    result = riskmotor("catalog", "validate", str(copy), "--db", db_url)
    assert result.returncode == 1
    assert "standard-4x4" in result.stderr and "saknas i katalogen" in result.stderr


SCENARIO_KEYS = {
    "wait_probability",
    "mean_wait_days",
    "mean_lead_time_days",
    "p90_lead_time_days",
    "breach_share_mean",
    "event_probability",
    "event_probability_ci",
    "quantiles",
    "seed",
    "replications",
    "numpy_version",
    "riskmotor_version",
    "suggested_likelihood",
}


def test_simulate_prints_the_summary_with_seed_and_versions() -> None:
    example = DEFAULT_CATALOG_DIR / "scenarier" / "utredning-barn-och-unga.yaml"
    result = riskmotor("simulate", str(example), "--replications", "300", "--seed", "5", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) >= SCENARIO_KEYS
    assert (summary["seed"], summary["replications"]) == (5, 300)
    low, high = summary["event_probability_ci"]
    assert low <= summary["event_probability"] <= high
    again = json.loads(
        riskmotor("simulate", str(example), "--replications", "300", "--seed", "5", "--json").stdout
    )
    assert again["event_probability"] == summary["event_probability"]


def test_simulate_rejects_a_bad_scenario_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "fel.yaml"
    bad.write_text(
        (DEFAULT_CATALOG_DIR / "scenarier" / "utredning-barn-och-unga.yaml")
        .read_text(encoding="utf-8")
        .replace("cv: 0.5}", "cv: 0}", 1),
        encoding="utf-8",
    )
    result = riskmotor("simulate", str(bad), "--replications", "10")
    assert result.returncode == 1
    assert "case_duration_days: cv" in result.stderr and "fel.yaml" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--confidence", "0.95", "--tolerable", "0.05"], (59, 0, "binomial")),
        (["--confidence", "0.90", "--tolerable", "0.10"], (22, 0, "binomial")),
        (
            ["--confidence", "0.95", "--tolerable", "0.05", "--population", "1000"],
            (57, 0, "hypergeometric"),
        ),
        (
            ["--confidence", "0.95", "--tolerable", "0.05", "--expected", "0.01"],
            (93, 1, "binomial"),
        ),
    ],
)
def test_sample_size_matches_published_values(
    args: list[str], expected: tuple[int, int, str]
) -> None:
    result = riskmotor("sample", "size", *args, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["n"], data["allowed_deviations"], data["method"]) == expected


def test_sample_limit_matches_aicpa_table() -> None:
    # AICPA Audit Sampling, Table A-3 (95 %): n = 100 with 2 deviations → 6.2 % (rounded up).
    result = riskmotor(
        "sample", "limit", "--n", "100", "--deviations", "2", "--confidence", "0.95", "--json"
    )
    limit = json.loads(result.stdout)["upper_limit"]
    assert 0.061 < limit <= 0.062


def test_sample_bad_input_is_one_line() -> None:
    result = riskmotor("sample", "size", "--confidence", "1.5", "--tolerable", "0.05")
    assert result.returncode == 1 and "confidence" in result.stderr
    result = riskmotor(
        "sample", "size", "--confidence", "0.95", "--tolerable", "0.02", "--expected", "0.03"
    )
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_sample_draw_writes_a_checklist_and_reproduces(tmp_path: Path) -> None:
    cases = tmp_path / "arenden.csv"
    rows = ["Ärende-id;Avslutad;Enhet"] + [
        f"A{i:04d};2027-0{1 + i % 6}-1{i % 9};{'Norr' if i % 3 else 'Söder'}" for i in range(300)
    ]
    cases.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = [
        "sample",
        "draw",
        str(cases),
        "--size",
        "20",
        "--seed",
        "11",
        "--period",
        "2027-T1",
        "--stratum",
        "enhet",
        "--reserve",
        "5",
        "--json",
    ]
    first = riskmotor(*args, "--out", str(tmp_path / "a.xlsx"))
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["seed"] == 11 and set(data["strata"]) == {"Norr", "Söder"}
    assert all(len(s["sample"]) == 20 and len(s["reserve"]) == 5 for s in data["strata"].values())
    assert len(set(data["sample"])) == 40
    assert (tmp_path / "a.xlsx").stat().st_size > 0
    second = json.loads(riskmotor(*args, "--out", str(tmp_path / "b.xlsx")).stdout)
    assert second["strata"] == data["strata"]


def _two_units(tmp_path: Path) -> Path:
    """Norr: 200 cases (sampled), Söder: 20 cases (reviewed in full at --size 30)."""
    cases = tmp_path / "arenden.csv"
    rows = ["Ärende-id;Avslutad;Enhet"] + [
        f"A{i:04d};2027-02-1{i % 9};{'Norr' if i < 200 else 'Söder'}" for i in range(220)
    ]
    cases.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return cases


def _review(checklist: Path, out: Path, deviating: set[str]) -> None:
    """Answer Delaktighet for every sampled case: Nej for ``deviating``, else Ja."""
    book = load_workbook(checklist)
    sheet = book["Stickprov"]
    header = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        case_id = sheet.cell(row, header.index("Ärende-id") + 1).value
        answer = "Nej" if case_id in deviating else "Ja"
        sheet.cell(row, header.index("Delaktighet") + 1).value = answer
    book.save(out)


def _draw_args(cases: Path, out: Path, seed: int) -> list[str]:
    return [
        "sample", "draw", str(cases), "--size", "30", "--seed", str(seed), "--period",
        "2027-T1", "--stratum", "enhet", "--reserve", "2", "--control", "delaktighet",
        "--out", str(out), "--json",
    ]  # fmt: skip


def test_sample_draw_with_namnd_is_recorded_and_cannot_be_re_rolled(
    db_url: str, tmp_path: Path
) -> None:
    assert riskmotor("demo", "--db", db_url).returncode == 0
    cases = _two_units(tmp_path)
    recorded = ["--namnd", "Socialnämnden", "--db", db_url]
    first = riskmotor(*_draw_args(cases, tmp_path / "a.xlsx", 11), *recorded)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    unrecorded = json.loads(riskmotor(*_draw_args(cases, tmp_path / "u.xlsx", 11)).stdout)
    assert set(data) == set(unrecorded) and data["strata"] == unrecorded["strata"]
    # The same seed again gives the same draw and checklist; another seed is refused.
    again = riskmotor(*_draw_args(cases, tmp_path / "b.xlsx", 11), *recorded)
    assert again.returncode == 0 and json.loads(again.stdout)["sample"] == data["sample"]
    rerolled = riskmotor(*_draw_args(cases, tmp_path / "c.xlsx", 12), *recorded)
    assert rerolled.returncode == 1
    assert "drogs redan för Socialnämnden 2027-T1 med fröet 11" in rerolled.stderr
    assert not (tmp_path / "c.xlsx").exists()


def test_sample_evaluate_from_the_file_and_into_the_stored_draw(
    db_url: str, tmp_path: Path
) -> None:
    assert riskmotor("demo", "--db", db_url).returncode == 0
    drawn = riskmotor(
        *_draw_args(_two_units(tmp_path), tmp_path / "lista.xlsx", 5),
        *["--namnd", "Socialnämnden", "--db", db_url],
    )
    assert drawn.returncode == 0, drawn.stderr
    norr = json.loads(drawn.stdout)["strata"]["Norr"]["sample"]
    _review(tmp_path / "lista.xlsx", tmp_path / "ifylld.xlsx", deviating={norr[0]})

    from_file = riskmotor("sample", "evaluate", str(tmp_path / "ifylld.xlsx"), "--json")
    assert from_file.returncode == 0, from_file.stderr
    (control,) = json.loads(from_file.stdout)["controls"]
    keys = {"population", "reviewed", "deviations", "method", "upper_limit", "rate", "status"}
    assert keys | {"conclusion"} <= set(control["overall"])
    sampled, census = control["strata"]["Norr"], control["strata"]["Söder"]

    # Norr: 1 deviation in 30 of 200. Exact hypergeometric limit: the largest M with
    # P(X <= 1 | N = 200, M, n = 30) > 5 %, counted with integer combinatorics.
    def p_at_most_one(m: int) -> Fraction:
        return Fraction(math.comb(200 - m, 30) + m * math.comb(200 - m, 29), math.comb(200, 30))

    largest = max(m for m in range(1, 171) if p_at_most_one(m) > Fraction(1, 20))
    assert (sampled["population"], sampled["reviewed"], sampled["deviations"]) == (200, 30, 1)
    assert (sampled["method"], sampled["upper_limit"]) == ("hypergeometric", largest / 200)
    assert sampled["status"] == "gul" and "kan inte avgöras" in sampled["conclusion"]
    # Söder was reviewed in full: the exact rate, no interval, shown below the tolerance.
    assert (census["method"], census["upper_limit"], census["rate"]) == ("census", None, 0.0)
    assert census["status"] == "grön" and "totalgranskning" in census["conclusion"]
    # Overall, weighted by population: only Norr was sampled, so it keeps the whole risk.
    overall = control["overall"]
    assert (overall["method"], overall["population"]) == ("stratified-bonferroni", 220)
    assert overall["upper_limit"] == largest / 220

    text = riskmotor("sample", "evaluate", str(tmp_path / "ifylld.xlsx"))
    # Swedish number format: the limit rounded up with a decimal comma ("14,0 %").
    assert f"övre gräns (ensidig) {percent_up(largest / 200)}," in text.stdout
    assert "," in percent_up(largest / 200)
    assert "Sammanvägt" in text.stdout and "[grön]" in text.stdout

    into_db = riskmotor("sample", "evaluate", str(tmp_path / "ifylld.xlsx"), "--db", db_url)
    assert into_db.returncode == 0, into_db.stderr
    stored = json.loads(
        riskmotor(
            "sample", "evaluate", str(tmp_path / "ifylld.xlsx"), "--db", db_url, "--json"
        ).stdout
    )
    assert stored["draw_id"] is not None
    assert stored["controls"] == json.loads(from_file.stdout)["controls"]


def test_plan_cli_from_proposal_to_next_year(db_url: str) -> None:
    base = ["--db", db_url, "--namnd", "Socialnämnden", "--year", "2027"]
    riskmotor("demo", "--db", db_url)
    # The group settles the disputed assessments too: only fastställda go för beslut.
    confirmed = riskmotor("risks", "confirm", *base, "--all", "--json")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["confirmed"] > 0
    proposed = riskmotor("plan", "propose", *base, "--top", "3", "--json")
    assert proposed.returncode == 0, proposed.stderr
    data = json.loads(proposed.stdout)
    assert (data["status"], data["version"], data["threshold"]) == ("utkast", 1, 9)
    keys = {"id", "title", "risk_value", "included", "reason", "controls", "actions"}
    assert all(keys <= set(risk) for risk in data["risks"])
    included = [r for r in data["risks"] if r["included"]]
    assert included and all(r["risk_value"] >= 9 for r in included)
    assert all(
        "< 9" in r["reason"] or "inte bedömd" in r["reason"] or "de 3 högsta" in r["reason"]
        for r in data["risks"]
        if not r["included"]
    )

    early = riskmotor(
        "plan",
        "approve",
        *base,
        "--date",
        "2026-12-10",
        "--paragraf",
        "§ 123",
        "--dnr",
        "SN 2026/123",
    )
    assert early.returncode == 1 and "saknar kontrollmoment" in early.stderr
    for risk in included:
        added = riskmotor(
            "plan",
            "add-control",
            *base,
            "--risk",
            str(risk["id"]),
            "--frequency",
            "månad",
            "--responsible",
            "Enhetschef",
            "--timing",
            "april",
            "--json",
        )
        assert added.returncode == 0, added.stderr
        # Without --activity the catalog suggests the control; the given frequency still holds.
        control = json.loads(added.stdout)
        assert control["control_activity"] and control["frequency"] == "månad"
    action = json.loads(
        riskmotor(
            "plan",
            "add-action",
            *base,
            "--risk",
            str(included[0]["id"]),
            "--what",
            "Ny rutin",
            "--owner",
            "Sara",
            "--due",
            "2027-03-31",
            "--strategy",
            "reducera",
            "--json",
        ).stdout
    )
    submitted = riskmotor("plan", "submit", *base, "--dnr", "SN 2026/123", "--json")
    assert submitted.returncode == 0, submitted.stderr
    assert json.loads(submitted.stdout)["status"] == "för beslut"
    approved = json.loads(
        riskmotor(
            "plan",
            "approve",
            *base,
            "--date",
            "2026-12-10",
            "--paragraf",
            "§ 123",
            "--dnr",
            "SN 2026/123",
            "--json",
        ).stdout
    )
    assert approved["status"] == "fastställd"
    assert approved["decision"] == {"date": "2026-12-10", "paragraf": "§ 123", "dnr": "SN 2026/123"}
    frozen = riskmotor(
        "plan", "add-action", *base, "--risk", str(included[0]["id"]), "--what", "Sen ändring"
    )
    assert frozen.returncode == 1 and "fastställd" in frozen.stderr

    control_id = approved["risks"][0]["controls"][0]["id"]
    for period in ("2027-T1", "2027-T2", "2027-T3"):
        summary = riskmotor(
            "plan",
            "followup",
            *base,
            "--period",
            period,
            "--control",
            str(control_id),
            "--status",
            "grön",
            "--risk",
            str(included[0]["id"]),
            "--residual-likelihood",
            "2",
            "--residual-consequence",
            "3",
            "--json",
        )
        assert summary.returncode == 0, summary.stderr
        assert json.loads(summary.stdout)["status_counts"]["grön"] == 1
    done = json.loads(
        riskmotor(
            "plan",
            "followup",
            *base,
            "--period",
            "2027-T3",
            "--action",
            str(action["id"]),
            "--action-status",
            "klar",
            "--json",
        ).stdout
    )
    assert done["overdue_actions"] == []

    next_year = riskmotor("plan", "next-year", *base, "--json")
    assert next_year.returncode == 0, next_year.stderr
    copied = json.loads(next_year.stdout)
    assert (copied["year"], copied["status"]) == (2028, "utkast")
    assert copied["diff"] == {"new": [], "removed": [], "changed": []}
