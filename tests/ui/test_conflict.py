"""Two people edit the same risk: the second sees both values per field and chooses."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import workshop
from tests.conftest import shared_catalog
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]


def _texts(app: AppTest) -> str:
    parts: list[str] = []
    for kind in ("markdown", "error", "warning", "info", "caption", "success"):
        parts.extend(str(element.value) for element in getattr(app, kind))
    return "\n".join(parts)


def _conflict(empty_analysis: int, uow_for: UowFor) -> tuple[AppTest, int]:
    """The page's user types a cause and a description while Bo saves another cause."""
    catalog = shared_catalog()
    created = workshop.add_risk(
        uow_for(),
        catalog,
        {"analysis_id": empty_analysis, "title": "Gemensam risk", "causes": "Från början"},
    )
    app = open_page("riskidentifiering")  # the edit form shows version 1
    theirs = workshop.get_risk(uow_for("Bo"), created.id)
    workshop.update_risk(uow_for("Bo"), catalog, theirs.model_copy(update={"causes": "Bos orsak"}))

    app.text_area(key=f"risk{created.id}_causes").set_value("Min orsak")
    app.text_area(key=f"risk{created.id}_description").set_value("Min beskrivning")
    app.button(key=f"FormSubmitter:redigera_{created.id}-Spara ändringar").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app, created.id


def test_conflict_names_the_risk_and_the_person_and_shows_both_values(
    empty_analysis: int, uow_for: UowFor
) -> None:
    app, risk_id = _conflict(empty_analysis, uow_for)
    texts = _texts(app)
    assert "Bo har ändrat ”Gemensam risk”" in texts
    assert "id " not in next(e.value for e in app.error if "Bo har ändrat" in e.value)
    assert "Min orsak" in texts and "Bos orsak" in texts and "Sparat av Bo" in texts
    # every differing field is marked, by its Swedish label, and nothing else is listed
    assert "**Orsak** – skiljer sig" in texts and "**Beskrivning** – skiljer sig" in texts
    assert "**Risk** – skiljer sig" not in texts
    for raw in ("unit_id", "[]", "None", "consequence_areas"):
        assert raw not in texts
    # what the user typed is still in the form: nothing was silently replaced
    assert app.text_area(key=f"risk{risk_id}_causes").value == "Min orsak"
    assert app.text_area(key=f"risk{risk_id}_description").value == "Min beskrivning"
    assert workshop.get_risk(uow_for(), risk_id).causes == "Bos orsak"


def test_choosing_per_field_and_saving_again_keeps_each_choice(
    empty_analysis: int, uow_for: UowFor
) -> None:
    app, risk_id = _conflict(empty_analysis, uow_for)
    app.radio(key=f"risk{risk_id}_konflikt_choice_causes").set_value("Ta deras")
    app.button(key=f"risk{risk_id}_konflikt_save_again").click().run()
    assert not app.exception, [e.value for e in app.exception]

    saved = workshop.get_risk(uow_for(), risk_id)
    assert saved.causes == "Bos orsak"  # theirs, as chosen
    assert saved.description == "Min beskrivning"  # mine, kept
    assert "skiljer sig" not in _texts(app)  # the conflict is resolved
    assert app.text_area(key=f"risk{risk_id}_causes").value == "Bos orsak"


def test_dropping_my_changes_shows_the_saved_values(empty_analysis: int, uow_for: UowFor) -> None:
    app, risk_id = _conflict(empty_analysis, uow_for)
    app.button(key=f"risk{risk_id}_slapp").click().run()
    assert not app.exception
    assert app.text_area(key=f"risk{risk_id}_causes").value == "Bos orsak"
    assert app.text_area(key=f"risk{risk_id}_description").value == ""
    assert workshop.get_risk(uow_for(), risk_id).description == ""


def test_a_field_only_the_other_person_changed_keeps_their_value(
    empty_analysis: int, uow_for: UowFor
) -> None:
    """Bo changed the description; the page's user changed only the cause. Saving again
    without choosing must not put the old description back over Bo's."""
    catalog = shared_catalog()
    created = workshop.add_risk(
        uow_for(),
        catalog,
        {"analysis_id": empty_analysis, "title": "Gemensam risk", "description": "Gammal"},
    )
    app = open_page("riskidentifiering")
    theirs = workshop.get_risk(uow_for("Bo"), created.id)
    workshop.update_risk(
        uow_for("Bo"), catalog, theirs.model_copy(update={"description": "Bos beskrivning"})
    )
    app.text_area(key=f"risk{created.id}_causes").set_value("Min orsak")
    app.button(key=f"FormSubmitter:redigera_{created.id}-Spara ändringar").click().run()
    assert "**Beskrivning** – skiljer sig" in _texts(app)
    assert "Du ändrade inte fältet" in _texts(app)
    assert app.radio(key=f"risk{created.id}_konflikt_choice_description").value == "Ta deras"

    app.button(key=f"risk{created.id}_konflikt_save_again").click().run()
    assert not app.exception, [e.value for e in app.exception]
    saved = workshop.get_risk(uow_for(), created.id)
    assert (saved.description, saved.causes) == ("Bos beskrivning", "Min orsak")
