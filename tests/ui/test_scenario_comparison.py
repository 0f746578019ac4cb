"""Scenarier: two saved scenarios compared side by side on common random numbers."""

from __future__ import annotations

from collections.abc import Callable

from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, scenarios
from tests.ui.conftest import open_page


def test_two_saved_scenarios_are_compared_with_their_difference(
    demo_data: demo.DemoResult, uow_for: Callable[..., UnitOfWork]
) -> None:
    saved = scenarios.scenarios(uow_for(), demo_data.namnd_id)
    assert len(saved) == 2
    app = open_page("scenarier")
    chooser = next(m for m in app.multiselect if m.label.startswith("Välj upp till tre"))
    chooser.set_value([s.id for s in saved]).run()
    next(b for b in app.button if b.label == "Jämför").click().run()

    assert not app.exception
    table = app.dataframe[-1]  # the consultants' editor above it is a dataframe as well
    assert sorted(table.value["Scenario"]) == sorted(s.name for s in saved)
    assert all(text.endswith("%") for text in table.value["Sannolikhet"])
    difference = next(c.value for c in app.caption if "jämfört med" in c.value)
    assert "med gemensamma slumptal" in difference
    assert "sannolikheten ändras med" in difference
    # A difference between two probabilities is in procentenheter, never in percent.
    change = difference.split("ändras med ")[1]
    assert change.split(" (")[0].endswith("procentenheter") and "%" not in change.split(" (")[0]
    assert "." not in change.split(" (")[0]  # decimal comma
