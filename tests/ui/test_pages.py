"""Each page's main flow in Streamlit's AppTest, against a real SQLite database."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, egenkontroll, scenarios, workshop
from tests.conftest import shared_catalog
from tests.ui.conftest import APP, open_page

UowFor = Callable[..., UnitOfWork]


def _texts(app: object) -> str:
    parts: list[str] = []
    for kind in ("markdown", "success", "error", "info", "caption", "warning"):
        parts.extend(str(element.value) for element in getattr(app, kind))
    return "\n".join(parts)


def test_start_records_participants(empty_analysis: int, uow_for: UowFor) -> None:
    app = open_page()
    assert app.title[0].value == "Start"
    app.text_input(key="start_name").set_value("Kvalitetsutvecklaren")
    form_inputs = [t for t in app.text_input if t.label in ("Namn", "Roll", "Funktion")]
    for element, value in zip(
        form_inputs, ["Sara Ahmed", "Enhetschef", "Utredningsenheten"], strict=True
    ):
        element.set_value(value)
    app.button(key="FormSubmitter:ny_deltagare-Lägg till deltagare").click().run()
    assert not app.exception
    people = workshop.participants(uow_for(), empty_analysis)
    assert [(p.name, p.role, p.function) for p in people] == [
        ("Sara Ahmed", "Enhetschef", "Utredningsenheten")
    ]
    entry = audit.audit_log(uow_for(), analysis_id=empty_analysis, entity="participant")[0]
    assert entry.actor == "Kvalitetsutvecklaren"


def test_start_creates_a_new_analysis(empty_analysis: int, uow_for: UowFor) -> None:
    app = open_page()
    app.number_input[0].set_value(2028)
    app.button(key="FormSubmitter:ny_analys-Skapa riskanalys").click().run()
    assert not app.exception
    namnd_id = workshop.get_analysis(uow_for(), empty_analysis).namnd_id
    years = [a.year for a in workshop.analyses_for(uow_for(), namnd_id)]
    assert years == [2028, 2027]
    chosen = next(s for s in app.selectbox if s.label == "Riskanalys")
    assert chosen.value != empty_analysis  # the new analysis is now the current one


def test_risk_from_catalog_is_added(empty_analysis: int, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    app = open_page("riskidentifiering")
    app.text_input[0].set_value("sekretess").run()
    template = next(t for t in catalog.templates if "sekretess" in t.title.lower())
    template_box = next(s for s in app.selectbox if s.label == "Riskmall")
    template_box.set_value(template.key).run()
    next(b for b in app.button if b.label == "Lägg till risk från katalogen").click().run()
    assert not app.exception
    [risk] = workshop.list_risks(uow_for(), catalog, empty_analysis)
    assert risk.title == template.title and risk.source == "katalog"
    assert risk.template_key == template.key


def test_new_risk_duplicate_title_shows_swedish_error(empty_analysis: int, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    workshop.add_risk(uow_for(), catalog, {"analysis_id": empty_analysis, "title": "Dubblett"})
    app = open_page("riskidentifiering")
    next(t for t in app.text_input if t.label == "Risk").set_value("Dubblett")
    app.button(key="FormSubmitter:ny_risk-Spara ny risk").click().run()
    assert not app.exception
    assert any("Det finns redan en risk som heter" in e.value for e in app.error)
    assert len(workshop.list_risks(uow_for(), catalog, empty_analysis)) == 1


def test_participant_votes_and_facilitator_confirms(empty_analysis: int, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    person = workshop.add_participant(uow_for(), empty_analysis, "Anna", "Förvaltningschef")
    risk = workshop.add_risk(uow_for(), catalog, {"analysis_id": empty_analysis, "title": "R1"})
    app = open_page("bedomning")
    form = f"rost_{risk.id}_{person.id}"
    next(r for r in app.radio if r.label == "Sannolikhet").set_value(3)
    next(r for r in app.radio if r.label == "Konsekvens").set_value(4)
    app.button(key=f"FormSubmitter:{form}-Spara min bedömning").click().run()
    assert not app.exception
    [vote] = workshop.votes_for_analysis(uow_for(), empty_analysis)
    assert (vote.likelihood, vote.consequence) == (3, 4)

    app.button(key=f"FormSubmitter:faststall_{risk.id}-Fastställ bedömning").click().run()
    assert not app.exception
    [view] = workshop.list_risks(uow_for(), catalog, empty_analysis)
    assert view.confirmed and view.risk_value == 12


def test_facilitator_view_flags_disagreement(demo_data: demo.DemoResult) -> None:
    app = open_page("bedomning")
    table = app.dataframe[-2].value if len(app.dataframe) > 1 else app.dataframe[0].value
    flagged = [value for value in table["Oenighet"] if value]
    assert flagged, "demo data has risks with disagreement"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Med oenighet"] == str(len(flagged))


def test_matrix_shows_counts_in_catalog_colours(
    demo_data: demo.DemoResult, uow_for: Callable[..., UnitOfWork]
) -> None:
    catalog = shared_catalog()
    app = open_page("riskmatris")
    grid = next(m.value for m in app.markdown if 'data-testid="riskmatris"' in m.value)
    for level in catalog.scale().risk_levels:
        assert level.colour in grid
    risks = workshop.list_risks(uow_for(), catalog, demo_data.analysis_id)
    top = max((r for r in risks if r.risk_value), key=lambda r: r.risk_value or 0)
    assert top.colour and top.colour in grid and f"riskvärde {top.risk_value}" in grid
    residual_before = grid
    app.radio[0].set_value("residual").run()
    assert not app.exception
    residual = next(m.value for m in app.markdown if 'data-testid="riskmatris"' in m.value)
    assert residual != residual_before  # residual scores place risks differently


def test_change_log_lists_changes(demo_data: demo.DemoResult) -> None:
    app = open_page("andringslogg")
    log = app.dataframe[0].value
    assert len(log) > 0
    assert set(log["Händelse"]) >= {"skapad"}


def test_unreachable_database_is_a_swedish_message(monkeypatch: object) -> None:
    monkeypatch.setenv(  # type: ignore[attr-defined]
        "RISKMOTOR_DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:9/none"
    )
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert any("Kan inte ansluta till databasen" in e.value for e in app.error)


def test_residual_score_is_saved_and_shown_in_the_matrix(
    empty_analysis: int, uow_for: UowFor
) -> None:
    catalog = shared_catalog()
    created = workshop.add_risk(
        uow_for(),
        catalog,
        {
            "analysis_id": empty_analysis,
            "title": "R",
            "inherent_likelihood": 4,
            "inherent_consequence": 4,
        },
    )
    app = open_page("riskidentifiering")
    app.selectbox(key=f"risk{created.id}_residual_likelihood").set_value(2)
    app.selectbox(key=f"risk{created.id}_residual_consequence").set_value(3)
    app.button(key=f"FormSubmitter:redigera_{created.id}-Spara ändringar").click().run()
    assert not app.exception
    [view] = workshop.list_risks(uow_for(), catalog, empty_analysis)
    assert (view.residual_likelihood, view.residual_consequence, view.residual_value) == (2, 3, 6)


def test_scenario_page_runs_and_applies_the_likelihood(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    app = open_page("scenarier")
    scenario_box = next(s for s in app.selectbox if s.label == "Scenario")
    scenario_id = scenario_box.options.index("Utredningsenheten – nuläge")
    scenario_box.select_index(scenario_id).run()
    next(s for s in app.selectbox if s.label == "Antal replikeringar").set_value(1_000)
    next(b for b in app.button if b.label == "Kör simulering").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Sannolikhet för riskhändelsen"].endswith("%")
    assert any("Föreslagen sannolikhet" in i.value for i in [*app.info, *app.warning])

    apply = next(b for b in app.button if b.label.startswith("Använd som sannolikhet"))
    apply.click().run()
    assert not app.exception
    risk = next(
        r
        for r in workshop.list_risks(uow_for(), shared_catalog(), demo_data.analysis_id)
        if r.title == demo.DEMO_SCENARIO_RISK
    )
    stored = workshop.get_risk(uow_for(), risk.id)
    assert stored.likelihood_evidence_id is not None
    evidence = scenarios.get_run(uow_for(), stored.likelihood_evidence_id)
    assert evidence.replications == 1_000 and evidence.applied
    assert stored.inherent_likelihood == evidence.suggested_level


def test_a_run_without_a_suggestion_offers_no_likelihood_to_apply(
    demo_data: demo.DemoResult,
) -> None:
    """Half a year is not the scale's "under året": no suggestion, so nothing to apply."""
    app = open_page("scenarier")
    scenario_box = next(s for s in app.selectbox if s.label == "Scenario")
    scenario_box.select_index(scenario_box.options.index("Utredningsenheten – nuläge")).run()
    next(t for t in app.text_input if t.label == "Period (dagar)").set_value("182")
    next(s for s in app.selectbox if s.label == "Antal replikeringar").set_value(1_000)
    next(b for b in app.button if b.label == "Kör simulering").click().run()
    assert not app.exception
    assert any("Inget förslag på sannolikhetsnivå" in i.value for i in app.info)
    assert not any(b.label.startswith("Använd som sannolikhet") for b in app.button)


def test_scenario_with_bad_input_names_the_field(demo_data: demo.DemoResult) -> None:
    app = open_page("scenarier")
    next(t for t in app.text_input if t.label == "Variationskoefficient").set_value("0")
    next(b for b in app.button if b.label == "Kör simulering").click().run()
    assert not app.exception
    assert any(
        e.value.startswith("Variationskoefficient: måste vara större än 0") for e in app.error
    )


def _case_list_csv() -> bytes:
    units = ("Utredning Söder", "Utredning Norr")
    rows = ["Ärende-id;Avslutad;Enhet"] + [
        f"U{i:04d};2027-0{1 + i % 4}-0{1 + i % 9};{units[i % 2]}" for i in range(240)
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def _answer_everything(workbook: bytes, deviation_cases: int) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    sheet = book["Stickprov"]
    header = [cell.value for cell in sheet[1]]
    first_control = header.index("Bortfall") + 2
    for row in range(2, sheet.max_row + 1):
        for col in range(first_control, header.index("Kommentar") + 1):
            sheet.cell(row, col).value = "Nej" if row - 2 < deviation_cases else "Ja"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_egenkontroll_plan_draw_review_and_evaluate(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    app = open_page("egenkontroll")
    assert any(m.value == "59 akter" for m in app.metric)  # 95 %, 5 %, 0 % → 59
    assert any("59 akter" in i.value and "lägre än 5 %" in i.value for i in app.info)
    next(b for b in app.button if b.label == "Spara plan").click().run()
    assert not app.exception
    [plan] = egenkontroll.plans(uow_for(), demo_data.namnd_id, 2027)
    assert plan.sample_size == 59

    app.file_uploader[0].set_value(("arenden.csv", _case_list_csv(), "text/csv")).run()
    next(b for b in app.button if b.label == "Dra stickprov").click().run()
    assert not app.exception
    [drawn] = egenkontroll.draws(uow_for(), plan.id or 0)
    assert drawn.period == "2027-T1" and set(drawn.strata) == {"Utredning Norr", "Utredning Söder"}
    assert len(app.get("download_button")) == 1

    workbook = egenkontroll.checklist_workbook(uow_for(), shared_catalog(), drawn.id or 0, "SN")
    app.file_uploader[-1].set_value(
        ("ifylld.xlsx", _answer_everything(workbook, 3), "application/octet-stream")
    ).run()
    next(b for b in app.button if b.label == "Läs in granskningen").click().run()
    assert not app.exception
    assert any("Granskningen är inläst." in s.value for s in app.success)
    # The nämnd reads one conclusion about all 240 cases of the period, weighted over both
    # units, and that 3 deviations in 118 files can neither show the tolerance met nor broken.
    overall = next(m.value for m in app.markdown if "Sammanvägt för 2 enheter" in m.value)
    assert "granskades 118 och 3 avvikelser hittades" in overall
    assert "Med minst 95 % konfidens är andelen avvikelser bland periodens alla 240" in overall
    assert "Frågan kan inte avgöras med det här urvalet." in overall
    assert "inte uppfylld" not in overall
