"""The forms of Egenkontroll and Scenarier in AppTest: a required field left empty gives a
Swedish message naming the field, nothing is saved, and no exception reaches the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, egenkontroll, scenarios, workshop
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]


def _namnd(uow_for: UowFor, data: demo.DemoResult) -> int:
    return workshop.get_analysis(uow_for(), data.analysis_id).namnd_id


@pytest.mark.parametrize(
    ("field", "message_start"),
    [
        ("Namn", "Namn:"),
        ("Tolerabel avvikelsegrad (%)", "Tolerabel avvikelsegrad (%):"),
        ("Förväntad andel avvikelser (%)", "Förväntad andel avvikelser (%):"),
    ],
)
def test_egenkontroll_plan_with_an_empty_field_is_refused(
    demo_data: demo.DemoResult, uow_for: UowFor, field: str, message_start: str
) -> None:
    app = open_page("egenkontroll")
    before = egenkontroll.plans(uow_for(), _namnd(uow_for, demo_data), 2027)
    next(t for t in app.text_input if t.label == field).set_value("").run()
    next(b for b in app.button if b.label == "Spara plan").click().run()
    assert not app.exception
    assert any(e.value.startswith(message_start) for e in app.error), [e.value for e in app.error]
    assert egenkontroll.plans(uow_for(), _namnd(uow_for, demo_data), 2027) == before


def test_egenkontroll_plan_without_kontrollmoment_is_refused(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    app = open_page("egenkontroll")
    app.multiselect[0].set_value([]).run()
    next(b for b in app.button if b.label == "Spara plan").click().run()
    assert not app.exception
    assert any(e.value.startswith("Kontrollmoment:") for e in app.error)


def test_egenkontroll_rates_take_a_decimal_comma(demo_data: demo.DemoResult) -> None:
    app = open_page("egenkontroll")
    rate = next(t for t in app.text_input if t.label == "Tolerabel avvikelsegrad (%)")
    shown = str(rate.value)
    assert "," in shown or shown.isdigit()  # '5,0', never '5.00'
    rate.set_value("2,5").run()
    assert not app.exception and not app.error
    assert any("akter" in str(m.value) for m in app.metric)


@pytest.mark.parametrize(
    "field",
    [
        "Namn på scenariot",
        "Period (dagar)",
        "Genomsnittlig handläggningstid (dagar)",
        "Tidsfrist (dagar)",
        "Gräns för riskhändelsen",
        "Ärenden per handläggare",
    ],
)
def test_scenario_with_an_empty_field_is_neither_saved_nor_run(
    demo_data: demo.DemoResult, uow_for: UowFor, field: str
) -> None:
    app = open_page("scenarier")
    before = scenarios.scenarios(uow_for(), _namnd(uow_for, demo_data))
    next(t for t in app.text_input if t.label == field).set_value("")
    next(b for b in app.button if b.label == "Spara scenario").click().run()
    assert not app.exception
    assert any(e.value.startswith(f"{field}:") for e in app.error), [e.value for e in app.error]
    assert scenarios.scenarios(uow_for(), _namnd(uow_for, demo_data)) == before


def test_scenario_numbers_are_written_the_swedish_way(demo_data: demo.DemoResult) -> None:
    app = open_page("scenarier")
    cv = next(t for t in app.text_input if t.label == "Variationskoefficient")
    assert "." not in str(cv.value)  # a decimal comma, e.g. '0,60'
    replications = next(s for s in app.selectbox if s.label == "Antal replikeringar")
    assert "10 000" in replications.options
