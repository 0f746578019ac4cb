"""Egenkontroll end to end on a real database: plan, draw, checklist, import, evaluate."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import EgenkontrollPlan
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, egenkontroll

UowFactory = Callable[..., UnitOfWork]
CONTROLS = ["delaktighet", "kommunicering"]


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
    stored = egenkontroll.draw(uow_factory(), plan.id, source, "arenden.csv", "2027-T1", 42)
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
    again = egenkontroll.draw(uow_factory(), other.id or 0, source, "arenden.csv", "2027-T1", 42)
    first_ids = [c.case_id for c in cases]
    second_ids = [c.case_id for c in egenkontroll.sampled_cases(uow_factory(), again.id or 0)]
    assert first_ids == second_ids


def egenkontroll_catalog() -> Catalog:
    from riskmotor.services import context

    return context.catalog()


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
        egenkontroll.draw(uow_factory(), plan.id or 0, content, "lista.csv", "2027-T1", 1)
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
        uow_factory(), unstratified.id, case_list({"Enhet A": 200}), "a.csv", "2027-T1", 7, size=60
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
    # Published reference: AICPA Table A-3 (95 %), 60 files with 1 deviation → 7.7 %
    # (rounded up); the exact Clopper–Pearson bound is 0.07664.
    assert delaktighet.upper_deviation_limit == pytest.approx(0.07664, abs=5e-5)
    assert delaktighet.conclusion.endswith(
        "Med 95 % säkerhet är andelen avvikelser högst 7,7 %. Toleransen 5 % är inte uppfylld."
    )
    assert delaktighet.status == "gul"  # 1/60 observed is within 5 %, but not provably
    assert (kommunicering.reviewed, kommunicering.not_applicable) == (59, 1)
    assert kommunicering.deviations == 0 and kommunicering.status == "grön"
    assert egenkontroll.trend(uow_factory(), catalog, unstratified.id)[0]["period"] == "2027-T1"


def test_unknown_answer_is_refused_and_nothing_is_stored(
    uow_factory: UowFactory, catalog: Catalog, plan: EgenkontrollPlan
) -> None:
    stored = egenkontroll.draw(
        uow_factory(), plan.id or 0, case_list({"Enhet A": 80}), "a.csv", "2027-T1", 3
    )
    workbook = egenkontroll.checklist_workbook(uow_factory(), catalog, stored.id or 0, "SN")
    first = egenkontroll.sampled_cases(uow_factory(), stored.id or 0)[0].case_id
    filled = _fill(workbook, {first: {"Delaktighet": "kanske"}}, dropped=set())
    with pytest.raises(InvalidInputError, match="kanske"):
        egenkontroll.import_checklist(uow_factory(), catalog, stored.id or 0, filled)
    assert egenkontroll.answer_counts(uow_factory(), stored.id or 0) == {}
