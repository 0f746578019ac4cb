"""The Avvikelser page in AppTest: upload, import, known figures, linking and traceability."""

from __future__ import annotations

from collections.abc import Callable

from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, deviations, workshop
from tests.conftest import shared_catalog
from tests.integration.test_deviations import DEMO_FILE, demo_rows
from tests.ui.conftest import open_page
from tests.unit.test_deviations import HAND_BUILT, csv_file

UowFor = Callable[..., UnitOfWork]


def swedish_percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %"


def test_upload_import_known_figures_and_link(empty_analysis: int, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    risk = workshop.add_risk(
        uow_for(), catalog, {"analysis_id": empty_analysis, "title": "Arbetsbelastning"}
    )
    app = open_page("avvikelser")
    assert app.title[0].value == "Avvikelser"
    assert any("Inga avvikelser är importerade" in i.value for i in app.info)

    app.file_uploader[0].set_value((DEMO_FILE.name, DEMO_FILE.read_bytes(), "text/csv")).run()
    preview = next(i.value for i in app.info if DEMO_FILE.name in i.value)
    assert "415 rader: 415 nya" in preview and "0 som redan är importerade" in preview
    namnd_id = workshop.get_analysis(uow_for(), empty_analysis).namnd_id
    assert deviations.years(uow_for(), namnd_id) == []  # nothing stored before the choice
    next(b for b in app.button if b.label == "Importera 415 nya avvikelser").click().run()
    assert not app.exception
    assert any("415 nya avvikelser importerades" in s.value for s in app.success)

    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {
        "Rapporter": "415",
        "Avvikelser": "391",
        "Lex Sarah": swedish_percent(110, 391),
        "Lex Sarah anmälda till IVO": swedish_percent(21, 110),
        "Personuppgiftsincidenter": swedish_percent(35, 391),
        "Incidenter anmälda till IMY": swedish_percent(6, 35),
    }
    table = app.dataframe[0].value
    total = table[table["Avdelning"] == "Totalt"].iloc[0]
    assert (total["Lex Sarah"], total["Ej avvikelse"], total["Totalt"]) == (110, 24, 415)
    assert any("ökade från 29 till 41" in i.value for i in app.info)  # T2 → T3 by default

    next(
        s for s in app.selectbox if s.label == "Orsaksgrupp" and s.key == "koppla_orsak"
    ).set_value("Hög arbetsbelastning")
    next(s for s in app.selectbox if s.key == "koppla_risk").set_value(risk.id)
    next(b for b in app.button if b.label == "Koppla till risk").click().run()
    assert not app.exception
    assert any("är kopplad till risken" in s.value for s in app.success)
    members = [r for r in demo_rows() if r["Orsak"] == "Hög arbetsbelastning"]
    assert deviations.risk_evidence(uow_for(), catalog, risk.id).total == len(members)
    assert any(f"{len(members)} avvikelser" in m.value for m in app.markdown)


def test_bad_rows_are_shown_and_only_the_good_rows_imported_on_request(
    empty_analysis: int, uow_for: UowFor
) -> None:
    content = csv_file(*HAND_BUILT[:4], "5;2023-05-02;Vuxen;E;Tillbud;;;;", *HAND_BUILT[5:])
    app = open_page("avvikelser")
    app.file_uploader[0].set_value(("export.csv", content, "text/csv")).run()
    preview = next(i.value for i in app.info if "export.csv" in i.value)
    assert "10 rader: 9 nya" in preview and "1 med fel" in preview
    rejected = app.dataframe[0].value
    assert list(rejected["Rad"]) == [6] and "Tillbud" in rejected["Fel"][0]
    namnd_id = workshop.get_analysis(uow_for(), empty_analysis).namnd_id
    assert deviations.years(uow_for(), namnd_id) == []

    next(b for b in app.button if b.label == "Importera 9 nya avvikelser").click().run()
    assert not app.exception
    assert any("9 nya avvikelser importerades" in s.value for s in app.success)
    assert {m.label: m.value for m in app.metric}["Rapporter"] == "9"


def test_the_preview_counts_duplicates_before_importing(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    """The demo already holds the example file: uploading it again says 0 new, 415 already
    imported, and offers no import (the issue's "Alla 415 rader … kan importeras", then 0)."""
    app = open_page("avvikelser")
    app.file_uploader[0].set_value((DEMO_FILE.name, DEMO_FILE.read_bytes(), "text/csv")).run()
    assert not app.exception
    preview = next(i.value for i in app.info if DEMO_FILE.name in i.value)
    assert "415 rader: 0 nya" in preview and "415 som redan är importerade" in preview
    assert any("inget nytt att importera" in w.value for w in app.warning)
    assert not [b for b in app.button if b.label.startswith("Importera")]


def test_link_and_new_risk_forms_name_the_missing_field(demo_data: demo.DemoResult) -> None:
    app = open_page("avvikelser")
    next(b for b in app.button if b.label == "Koppla till risk").click().run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert any(e.startswith("Orsaksgrupp:") for e in errors)
    assert any(e.startswith("Risk:") for e in errors)

    next(b for b in app.button if b.label == "Skapa risk från mönstret").click().run()
    assert not app.exception
    assert any(e.value.startswith("Orsaksgrupp:") for e in app.error)
    title = next(t for t in app.text_input if t.label == "Rubrik för den nya risken")
    assert title.value == ""


def test_free_text_is_shown_only_when_asked(demo_data: demo.DemoResult) -> None:
    app = open_page("avvikelser")
    cell = next(s for s in app.selectbox if s.key == "avvikelser_cell")
    wanted = next(
        i for i, label in enumerate(cell.options) if label.startswith("Vuxen – Lex Sarah (")
    )
    cell.set_value(wanted).run()
    rows = app.dataframe[-1].value
    expected = [
        r
        for r in demo_rows()
        if r["Avdelning"] == "Vuxen"
        and r["Kategori"]
        in ("Lex Sarah", "Missförhållande", "lex sarah-rapport", "Risk för missförhållande")
    ]
    assert len(rows) == len(expected) and "Beskrivning" not in rows.columns
    assert set(rows["Rad"]) == {demo_rows().index(r) + 2 for r in expected}
    next(c for c in app.checkbox if c.label.startswith("Visa fritext")).check().run()
    assert "Beskrivning" in app.dataframe[-1].value.columns


def test_period_comparison_of_one_category(demo_data: demo.DemoResult) -> None:
    app = open_page("avvikelser")
    next(s for s in app.selectbox if s.label == "Första perioden").set_value("2023-T1")
    next(s for s in app.selectbox if s.label == "Vad jämförs").set_value("lex_sarah").run()
    assert not app.exception
    # 30 lex Sarah reports in T1 and 50 in T3 (how the demo file was built): 7,5 and 12,5 a month
    assert any("lex Sarah-rapporter per månad ökade från 7,5 till 13" in i.value for i in app.info)


def test_workshop_shows_linked_counts(demo_data: demo.DemoResult, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    risk = workshop.list_risks(uow_for(), catalog, demo_data.analysis_id)[0]
    deviations.link_to_risk(uow_for(), risk.id, cause_group="Brister i rutin")
    members = [r for r in demo_rows() if r["Orsak"] == "Brister i rutin"]
    app = open_page("riskidentifiering")
    assert not app.exception
    assert any(e.label == f"Avvikelser som underlag ({len(members)})" for e in app.expander)
    assert any("Per tertial:" in m.value for m in app.markdown)
