"""Egenkontroll end to end on a real database: plan, draw, checklist, import, evaluate."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import EgenkontrollPlan
from riskmotor.domain.terms import percent
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.imports import Pseudonymiser
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, egenkontroll
from tests.conftest import shared_catalog

UowFactory = Callable[..., UnitOfWork]
CONTROLS = ["delaktighet", "kommunicering"]
PSEUDONYMISER = Pseudonymiser(b"test-secret-for-egenkontroll-000")


def luhn_personnummer(birth: str, serial: int) -> str:
    """A valid 10-digit personnummer (YYMMDD-NNNC) with its Luhn check digit."""
    digits = f"{birth}{serial:03d}"
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{birth}-{serial:03d}{(10 - total % 10) % 10}"


def case_list(units: dict[str, int], *, start: date = date(2027, 1, 2)) -> bytes:
    lines = ["Ärendenummer;Avslutat datum;Enhet;Ärendetyp;Handläggare;Personnummer"]
    number = 0
    for unit, count in units.items():
        for _ in range(count):
            number += 1
            closed = start + timedelta(days=number % 110)
            pnr = luhn_personnummer("150312", number % 1000)
            lines.append(
                f"ÄR-{number:05d};{closed.isoformat()};{unit};Utredning;Handläggare "
                f"{number % 7};{pnr}"
            )
    lines.append("ÄR-99999;2027-06-01;Enhet A;Utredning;X;" + luhn_personnummer("150312", 999))
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def plan(uow_factory: UowFactory, catalog: Catalog) -> EgenkontrollPlan:
    result = demo.load_demo(uow_factory(), catalog)
    return egenkontroll.plan_egenkontroll(
        uow_factory(),
        catalog,
        {
            "namnd_id": result.namnd_id,
            "year": 2027,
            "name": "Aktgranskning utredningar",
            "control_keys": CONTROLS,
            "confidence": 0.95,
            "tolerable_rate": 0.05,
            "expected_rate": 0.0,
            "reserve_size": 5,
            "stratify_by_unit": True,
        },
    )


def test_plan_gets_the_published_sample_size(plan: EgenkontrollPlan) -> None:
    assert (plan.sample_size, plan.allowed_deviations, plan.method) == (59, 0, "binomial")


def test_draw_is_per_unit_reproducible_and_pseudonymised(
    uow_factory: UowFactory, plan: EgenkontrollPlan, db_url: str
) -> None:
    assert plan.id is not None
    source = case_list({"Enhet A": 100, "Enhet B": 30})
    stored = egenkontroll.draw(
        uow_factory(), plan.id, source, "arenden.csv", "2027-T1", 42, pseudonymiser=PSEUDONYMISER
    )
    assert stored.population_size == 130  # the June case is outside T1
    assert stored.strata["Enhet A"] == {
        "population": 100,
        "sample": 59,
        "reserve": 5,
        "census": False,
    }
    assert stored.strata["Enhet B"]["census"] and stored.strata["Enhet B"]["sample"] == 30
    cases = egenkontroll.sampled_cases(uow_factory(), stored.id or 0)
    assert len(cases) == 59 + 5 + 30
    assert all(c.person_key and c.person_key.startswith("pn_") for c in cases)
    with engine_for(db_url).connect() as connection:
        dump = " ".join(
            str(row)
            for table in ("sampled_case", "audit_log", "sample_draw")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    assert "150312" not in dump  # no part of a raw personnummer is stored

    other = egenkontroll.plan_egenkontroll(
        uow_factory(),
        egenkontroll_catalog(),
        {**plan.model_dump(exclude={"id", "version"}), "name": "Kopia"},
    )
    again = egenkontroll.draw(
        uow_factory(),
        other.id or 0,
        source,
        "arenden.csv",
        "2027-T1",
        42,
        pseudonymiser=PSEUDONYMISER,
    )
    first_ids = [c.case_id for c in cases]
    second_ids = [c.case_id for c in egenkontroll.sampled_cases(uow_factory(), again.id or 0)]
    assert first_ids == second_ids


def test_the_same_case_list_cannot_be_drawn_again_with_another_seed(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan
) -> None:
    """A seed is chosen once: a second plan of the nämnd may not re-roll the same list."""
    source = case_list({"Enhet A": 80})
    first = egenkontroll.draw(
        uow_factory(), plan.id or 0, source, "a.csv", "2027-T1", 3, pseudonymiser=PSEUDONYMISER
    )
    other = egenkontroll.plan_egenkontroll(
        uow_factory(), catalog, {**plan.model_dump(exclude={"id", "version"}), "name": "Ny"}
    )
    with pytest.raises(DuplicateError, match=f"fröet 3 den .* \\(urval nr {first.id}"):
        egenkontroll.draw(
            uow_factory(), other.id or 0, source, "a.csv", "2027-T1", 4,
            pseudonymiser=PSEUDONYMISER,
        )  # fmt: skip
    assert egenkontroll.draws(uow_factory(), other.id or 0) == []
    # Another period of the same list is a new draw.
    again = egenkontroll.draw(
        uow_factory(), other.id or 0, source, "a.csv", "2027", 4, pseudonymiser=PSEUDONYMISER
    )
    assert again.seed == 4


def test_a_checklist_is_evaluated_from_the_file_as_in_the_database(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan, tmp_path: Path
) -> None:
    """Without a database the checklist's own facts give the same result, and with one the
    answers are imported into the draw the checklist names."""
    stored = egenkontroll.draw(
        uow_factory(), plan.id or 0, case_list({"Enhet A": 120, "Enhet B": 25}), "a.csv",
        "2027-T1", 21, pseudonymiser=PSEUDONYMISER, size=40,
    )  # fmt: skip
    cases = egenkontroll.sampled_cases(uow_factory(), stored.id or 0)
    sample = [c for c in cases if c.role == "urval"]
    answers = {c.case_id: {"Delaktighet": "Ja", "Kommunicering": "Ja"} for c in sample}
    answers[sample[0].case_id]["Delaktighet"] = "Nej"
    workbook = egenkontroll.checklist_workbook(uow_factory(), catalog, stored.id or 0, "SN")
    path = tmp_path / "ifylld.xlsx"
    path.write_bytes(_fill(workbook, answers, dropped=set()))

    from_file = egenkontroll.evaluate_checklist_file(catalog, path)
    into_db = egenkontroll.evaluate_checklist(uow_factory(), catalog, path)
    assert into_db.draw_id == stored.id and from_file.draw_id is None
    assert from_file.overall == into_db.overall and from_file.by_stratum == into_db.by_stratum
    assert from_file.by_stratum["Enhet B"][0].method == "census"
    assert egenkontroll.answer_counts(uow_factory(), stored.id or 0)["nej"] == 1


def egenkontroll_catalog() -> Catalog:
    return shared_catalog()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Avslutat;Enhet\n2027-01-05;A\n", "Ärende-id"),
        (b"Id;Avslutat\nA1;2027-01-05\nA1;2027-01-06\n", "rad 3"),
        (b"Id;Avslutat\nA1;5 januari\n", "Rad 2, kolumn Avslutad"),
        (b"Id;Avslutat;Personnummer\nA1;2027-01-05;19121212-1213\n", "ogiltigt personnummer"),
    ],
)
def test_bad_case_lists_name_the_problem_and_store_nothing(
    uow_factory: UowFactory, plan: EgenkontrollPlan, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        egenkontroll.draw(
            uow_factory(),
            plan.id or 0,
            content,
            "lista.csv",
            "2027-T1",
            1,
            pseudonymiser=PSEUDONYMISER,
        )
    assert egenkontroll.draws(uow_factory(), plan.id or 0) == []


def _fill(workbook_bytes: bytes, answers: dict[str, dict[str, str]], dropped: set[str]) -> bytes:
    book = load_workbook(io.BytesIO(workbook_bytes))
    for sheet in ("Stickprov", "Reserv"):
        ws = book[sheet]
        header = [cell.value for cell in ws[1]]
        id_col = header.index("Ärende-id") + 1
        for row in range(2, ws.max_row + 1):
            case_id = ws.cell(row, id_col).value
            if case_id in dropped:
                ws.cell(row, header.index("Bortfall") + 1).value = "Ja"
            for name, value in answers.get(case_id, {}).items():
                ws.cell(row, header.index(name) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reviewed_checklist_is_evaluated_with_a_swedish_conclusion(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan
) -> None:
    unstratified = egenkontroll.plan_egenkontroll(
        uow_factory(),
        catalog,
        {
            **plan.model_dump(exclude={"id", "version"}),
            "name": "Hela förvaltningen",
            "stratify_by_unit": False,
        },
    )
    assert unstratified.id is not None
    stored = egenkontroll.draw(
        uow_factory(),
        unstratified.id,
        case_list({"Enhet A": 200}),
        "a.csv",
        "2027-T1",
        7,
        pseudonymiser=PSEUDONYMISER,
        size=60,
    )
    cases = egenkontroll.sampled_cases(uow_factory(), stored.id or 0)
    sample = [c.case_id for c in cases if c.role == "urval"]
    reserve = [c.case_id for c in cases if c.role == "reserv"]
    answers = {case_id: {"Delaktighet": "Ja", "Kommunicering": "Ja"} for case_id in sample}
    answers[sample[0]]["Delaktighet"] = "Nej"
    answers[sample[1]]["Kommunicering"] = "Ej tillämplig"
    answers[reserve[0]] = {"Delaktighet": "Ja", "Kommunicering": "Ja"}
    workbook = egenkontroll.checklist_workbook(
        uow_factory(), catalog, stored.id or 0, "Socialnämnden"
    )
    filled = _fill(workbook, answers, dropped={sample[-1]})
    egenkontroll.import_checklist(uow_factory(), catalog, stored.id or 0, filled)

    result = egenkontroll.evaluate(uow_factory(), catalog, stored.id or 0)
    delaktighet, kommunicering = result.overall
    # 59 sample cases reviewed (one bortfall) plus the first reserve case.
    assert (delaktighet.reviewed, delaktighet.deviations, delaktighet.dropped) == (60, 1, 1)

    # The 200 cases of the period are known, so the bound is the exact hypergeometric one:
    # the largest number of deviating cases M with P(X <= 1 | N = 200, M, n = 60) > 5 %,
    # counted here with exact integer combinatorics.
    def p_at_most_one(m: int) -> Fraction:
        favourable = math.comb(200 - m, 60) + m * math.comb(200 - m, 59)
        return Fraction(favourable, math.comb(200, 60))

    largest = max(m for m in range(1, 141) if p_at_most_one(m) > Fraction(1, 20))
    assert delaktighet.method == "hypergeometric"
    assert delaktighet.upper_deviation_limit == largest / 200
    assert delaktighet.conclusion == (
        f"Granskningen av 60 av 200 ärenden hittade 1 avvikelse (1,7 %). Med 95 % konfidens "
        f"är andelen avvikelser bland periodens alla 200 ärenden högst "
        f"{percent(largest / 200)}. Det räcker inte för att visa att den är lägre än "
        "toleransen 5 %, men granskningen visar inte heller att den är högre (den nedre "
        "gränsen är 0,5 %). Frågan kan inte avgöras med det här urvalet."
    )
    assert delaktighet.status == "gul"  # 1/60 observed: neither shown below nor above 5 %
    assert (kommunicering.reviewed, kommunicering.not_applicable) == (59, 1)
    assert kommunicering.deviations == 0 and kommunicering.status == "grön"
    # One "ej tillämplig" answer: the number of applicable cases is unknown, so binomial.
    assert kommunicering.method == "binomial"
    assert egenkontroll.trend(uow_factory(), catalog, unstratified.id)[0].period == "2027-T1"
    # The helper other use cases call inside their own transaction gives the same evaluation.
    with uow_factory() as tx:
        assert egenkontroll.evaluate_draw(tx, catalog, stored.id or 0) == result


def test_a_known_population_gives_the_hypergeometric_sample(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan
) -> None:
    """N = 1000 at 95 % / 5 %: 57 files (hypergeometric) instead of 59 (AICPA, binomial)."""
    known = egenkontroll.plan_egenkontroll(
        uow_factory(),
        catalog,
        {**plan.model_dump(exclude={"id", "version"}), "name": "Känd", "population": 1000},
    )
    assert (known.method, known.sample_size) == ("hypergeometric", 57)
    sizing = egenkontroll.sample_sizing(0.95, 0.05, population=1000)
    assert (sizing.method, sizing.n) == ("hypergeometric", 57)
    assert sizing.sentence.startswith("Om ni granskar 57 akter och hittar ingen avvikelse")
    assert egenkontroll.sample_sizing(0.95, 0.05, population=1000, method="binomial").n == 59
    reach = egenkontroll.fixed_sample_reach(60, 0.95, 0.05)
    # 60 files without a deviation: the upper limit is 4.9 % (AICPA Table A-3, 95 %).
    assert reach.upper_limit == pytest.approx(0.0487, abs=5e-5)
    assert reach.discovery_probability == pytest.approx(1 - 0.95**60)


def test_unknown_answer_is_refused_and_nothing_is_stored(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan
) -> None:
    stored = egenkontroll.draw(
        uow_factory(),
        plan.id or 0,
        case_list({"Enhet A": 80}),
        "a.csv",
        "2027-T1",
        3,
        pseudonymiser=PSEUDONYMISER,
    )
    workbook = egenkontroll.checklist_workbook(uow_factory(), catalog, stored.id or 0, "SN")
    first = egenkontroll.sampled_cases(uow_factory(), stored.id or 0)[0].case_id
    filled = _fill(workbook, {first: {"Delaktighet": "kanske"}}, dropped=set())
    with pytest.raises(InvalidInputError, match="kanske"):
        egenkontroll.import_checklist(uow_factory(), catalog, stored.id or 0, filled)
    assert egenkontroll.answer_counts(uow_factory(), stored.id or 0) == {}


def test_a_reserve_case_without_bortfall_is_refused(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan
) -> None:
    assert plan.id is not None
    stored = egenkontroll.draw(
        uow_factory(),
        plan.id,
        case_list({"Enhet A": 200}),
        "a.csv",
        "2027-T1",
        11,
        pseudonymiser=PSEUDONYMISER,
        size=20,
    )
    cases = egenkontroll.sampled_cases(uow_factory(), stored.id or 0)
    sample = [c.case_id for c in cases if c.role == "urval"]
    reserve = [c.case_id for c in cases if c.role == "reserv"]
    answers = {case_id: {"Delaktighet": "Ja"} for case_id in sample}
    answers[reserve[1]] = {"Delaktighet": "Ja"}  # the second reserve, no bortfall at all
    workbook = egenkontroll.checklist_workbook(uow_factory(), catalog, stored.id or 0, "SN")
    with pytest.raises(InvalidInputError, match=reserve[1]):
        egenkontroll.import_checklist(
            uow_factory(), catalog, stored.id or 0, _fill(workbook, answers, dropped=set())
        )
    # With one bortfall the first reserve must be used, not the second.
    with pytest.raises(InvalidInputError, match=f"före '{reserve[0]}'"):
        egenkontroll.import_checklist(
            uow_factory(),
            catalog,
            stored.id or 0,
            _fill(workbook, answers, dropped={sample[0]}),
        )
