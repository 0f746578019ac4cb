"""The forms of Start, Riskidentifiering and Riskmatris: Swedish messages for empty fields,
the chosen name kept, deletes confirmed and undoable, search that finds, current counts."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, organisation, workshop
from streamlit_app.local_identity import remembered_name
from tests.conftest import shared_catalog
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]


def _texts(app: AppTest) -> str:
    parts: list[str] = []
    for kind in ("markdown", "error", "warning", "info", "caption", "success", "subheader"):
        parts.extend(str(element.value) for element in getattr(app, kind))
    return "\n".join(parts)


def _errors(app: AppTest) -> list[str]:
    assert not app.exception, [e.value for e in app.exception]
    return [str(e.value) for e in app.error]


# Start ---------------------------------------------------------------------------------------


def test_the_name_chosen_on_start_is_kept_on_other_pages(
    empty_analysis: int, uow_for: UowFor
) -> None:
    app = open_page()
    app.text_input(key="start_name").set_value("Kerstin Kvalitet").run()
    app.switch_page("views/riskidentifiering.py").run()
    app.text_input(key="ny_risk_title").set_value("Ny risk från Kerstin")
    app.button(key="FormSubmitter:ny_risk-Spara ny risk").click().run()
    assert not app.exception
    assert any("Kerstin Kvalitet" in c.value for c in app.sidebar.caption)
    entry = audit.audit_log(uow_for(), analysis_id=empty_analysis, entity="risk")[0]
    assert entry.actor == "Kerstin Kvalitet"  # not the server's OS user
    assert remembered_name() == "Kerstin Kvalitet"  # and the next session starts with it
    app.switch_page("views/start.py").run()
    assert app.text_input(key="start_name").value == "Kerstin Kvalitet"


def test_an_empty_name_is_asked_for_in_swedish(empty_analysis: int) -> None:
    app = open_page()
    app.text_input(key="start_name").set_value("").run()
    assert not app.exception
    assert any(w.value.startswith("Ditt namn") for w in app.warning)


def test_new_namnd_with_empty_fields(empty_analysis: int, uow_for: UowFor) -> None:
    app = open_page()
    app.button(key="FormSubmitter:ny_namnd-Skapa nämnd").click().run()
    errors = _errors(app)
    assert "Kommun: fältet måste fyllas i." in errors
    assert "Nämnd: fältet måste fyllas i." in errors
    assert len(organisation.list_namnder(uow_for())) == 1


def test_new_participant_without_a_name(empty_analysis: int, uow_for: UowFor) -> None:
    app = open_page()
    app.button(key="FormSubmitter:ny_deltagare-Lägg till deltagare").click().run()
    assert "Namn: fältet måste fyllas i." in _errors(app)
    assert workshop.participants(uow_for(), empty_analysis) == []


def test_a_participant_email_is_checked_and_kept(empty_analysis: int, uow_for: UowFor) -> None:
    app = open_page()
    app.text_input(key="ny_deltagare_namn").set_value("Ali Deltagare")
    app.text_input(key="ny_deltagare_epost").set_value("ali@")
    app.button(key="FormSubmitter:ny_deltagare-Lägg till deltagare").click().run()
    assert any(e.startswith("E-post: skriv en e-postadress") for e in _errors(app))
    assert workshop.participants(uow_for(), empty_analysis) == []
    app.text_input(key="ny_deltagare_namn").set_value("Ali Deltagare")
    app.text_input(key="ny_deltagare_epost").set_value("Ali@Kommun.se")
    app.button(key="FormSubmitter:ny_deltagare-Lägg till deltagare").click().run()
    assert not app.exception
    [person] = workshop.participants(uow_for(), empty_analysis)
    assert person.email == "ali@kommun.se"


# Riskidentifiering ---------------------------------------------------------------------------


def test_new_risk_without_a_title(empty_analysis: int, uow_for: UowFor) -> None:
    app = open_page("riskidentifiering")
    app.button(key="FormSubmitter:ny_risk-Spara ny risk").click().run()
    assert "Risk: ange en rubrik för risken." in _errors(app)
    assert workshop.list_risks(uow_for(), shared_catalog(), empty_analysis) == []


def _one_risk(empty_analysis: int, uow_for: UowFor, title: str = "Vakanser") -> int:
    created = workshop.add_risk(
        uow_for(), shared_catalog(), {"analysis_id": empty_analysis, "title": title}
    )
    return created.id


def test_edit_with_an_empty_title_or_half_a_residual_score(
    empty_analysis: int, uow_for: UowFor
) -> None:
    risk_id = _one_risk(empty_analysis, uow_for)
    app = open_page("riskidentifiering")
    app.text_input(key=f"risk{risk_id}_title").set_value("  ")
    app.selectbox(key=f"risk{risk_id}_residual_likelihood").set_value(2)
    app.button(key=f"FormSubmitter:redigera_{risk_id}-Spara ändringar").click().run()
    errors = _errors(app)
    assert "Risk: ange en rubrik för risken." in errors
    assert any(e.startswith("Kvarvarande risk") and "både" in e for e in errors)
    assert workshop.get_risk(uow_for(), risk_id).title == "Vakanser"


def test_the_process_of_a_risk_can_be_changed_in_the_form(
    empty_analysis: int, uow_for: UowFor
) -> None:
    risk_id = _one_risk(empty_analysis, uow_for)
    process = shared_catalog().processes[1]
    app = open_page("riskidentifiering")
    app.selectbox(key=f"risk{risk_id}_process").set_value(process.key)
    app.button(key=f"FormSubmitter:redigera_{risk_id}-Spara ändringar").click().run()
    assert not _errors(app)
    assert workshop.get_risk(uow_for(), risk_id).process == process.key


def test_delete_asks_first_updates_every_count_and_can_be_undone(
    empty_analysis: int, uow_for: UowFor
) -> None:
    _one_risk(empty_analysis, uow_for, "Första")
    risk_id = _one_risk(empty_analysis, uow_for, "Andra")
    app = open_page("riskidentifiering")
    app.selectbox(key="redigera_risk_val").set_value(risk_id).run()
    assert "Risker i analysen (2)" in _texts(app)

    app.button(key=f"risk{risk_id}_ta_bort").click().run()
    assert not _errors(app)
    assert len(workshop.list_risks(uow_for(), shared_catalog(), empty_analysis)) == 1
    assert "Risker i analysen (1)" in _texts(app)
    assert "Andra" not in app.selectbox(key="redigera_risk_val").options
    assert "Risken ”Andra” är borttagen." in _texts(app)

    next(b for b in app.button if b.label == "Ångra").click().run()
    assert not _errors(app)
    titles = [r.title for r in workshop.list_risks(uow_for(), shared_catalog(), empty_analysis)]
    assert sorted(titles) == ["Andra", "Första"]
    assert "Risker i analysen (2)" in _texts(app)
    assert not any(b.label == "Ångra" for b in app.button)


def test_catalog_search_finds_vakans_and_a_second_add_asks_first(
    empty_analysis: int, uow_for: UowFor
) -> None:
    catalog = shared_catalog()
    app = open_page("riskidentifiering")
    app.text_input[0].set_value("vakans").run()
    found = app.selectbox(key="mall_val").options
    assert found, "the search for vakans found no risk template"
    template = next(t for t in catalog.templates if t.title == found[0])
    app.selectbox(key="mall_val").set_value(template.key).run()
    next(b for b in app.button if b.label == "Lägg till risk från katalogen").click().run()
    assert not _errors(app)

    app.text_input(key=f"mall_rubrik_{template.key}").set_value("Samma risk igen").run()
    assert "Mallen finns redan i analysen" in _texts(app)
    app.button(key="mall_lagg_till_igen").click().run()  # "Ja, …" in the question
    assert not _errors(app)
    assert len(workshop.list_risks(uow_for(), catalog, empty_analysis)) == 2


def test_catalog_add_without_a_title(empty_analysis: int, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    template = catalog.templates[0]
    app = open_page("riskidentifiering")
    app.selectbox(key="mall_val").set_value(template.key).run()
    app.text_input(key=f"mall_rubrik_{template.key}").set_value("")
    next(b for b in app.button if b.label == "Lägg till risk från katalogen").click().run()
    assert any(e.startswith("Rubrik i analysen") for e in _errors(app))
    assert workshop.list_risks(uow_for(), catalog, empty_analysis) == []


# Riskmatris ----------------------------------------------------------------------------------


def test_matrix_speaks_of_one_risk_and_of_missing_residual_scores(
    empty_analysis: int, uow_for: UowFor
) -> None:
    workshop.add_risk(
        uow_for(),
        shared_catalog(),
        {
            "analysis_id": empty_analysis,
            "title": "Bedömd",
            "inherent_likelihood": 3,
            "inherent_consequence": 3,
        },
    )
    app = open_page("riskmatris")
    assert "**1 risk i matrisen**" in _texts(app)
    listed = app.dataframe[0].value
    assert list(listed.columns)[:5] == ["Id", "S", "K", "Riskvärde", "Risknivå"]
    app.radio[0].set_value("residual").run()
    assert "1 risk saknar kvarvarande risk och visas inte i matrisen" in _texts(app)
