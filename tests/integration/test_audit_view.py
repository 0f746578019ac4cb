"""The Ändringslogg as a revisor reads it (issue 15, point 7): Swedish names for every kind of
row and field, names instead of ids, ja/nej, Swedish time, filters, and downloads in which
text from users cannot run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import UnitKind
from riskmotor.domain.terms import ENTITY_LABELS
from riskmotor.export.audit_log import audit_csv, audit_xlsx
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.orm import Base
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.audit import AUDIT_COLUMNS, AuditLine, AuditQuery
from riskmotor.services import audit, demo, organisation, workshop
from tests.integration.test_transactions import World, template, world

__all__ = ["template", "world"]  # fixtures used below

UowFactory = Callable[..., UnitOfWork]
FORMULA = '=HYPERLINK("http://example.org","klicka")'
RAW_WORDS = {"None", "True", "False", "true", "false", "[]", "{}", "null"}


def column_names() -> set[str]:
    """Every table and column name of the database that a reader would recognise as code:
    the ones with an underscore (plain words such as 'risk' or 'name' are also Swedish)."""
    names = {t.name for t in Base.metadata.sorted_tables}
    names |= {c.name for t in Base.metadata.sorted_tables for c in t.columns}
    return {n for n in names if "_" in n}


def leaked_code(lines: list[AuditLine]) -> list[str]:
    """Texts of the lines that show a column name or a raw Python/JSON value."""
    pattern = re.compile(r"\b(" + "|".join(sorted(column_names(), key=len, reverse=True)) + r")\b")
    found = []
    for line in lines:
        for cell in line.cells():
            if cell in RAW_WORDS or pattern.search(cell):
                found.append(cell)
    return found


@pytest.fixture
def changed(uow_factory: UowFactory, catalog: Catalog) -> dict[str, object]:
    """Demo data, then one risk moved to another unit, confirmed and given a formula-like
    title by 'Revisorn', and another risk deleted."""
    result = demo.load_demo(uow_factory("Anna"), catalog)
    analysis_id = result.analysis_id
    risks = workshop.list_risks(uow_factory(), catalog, analysis_id)
    namnd_id = workshop.get_analysis(uow_factory(), analysis_id).namnd_id
    units = organisation.units_below(uow_factory(), namnd_id, UnitKind.ENHET)
    risk = workshop.get_risk(uow_factory(), risks[0].id)
    new_unit = next(u for u in units if u.id != risk.unit_id)
    risk.unit_id = new_unit.id
    risk.assessment_confirmed = not risk.assessment_confirmed
    risk.title = FORMULA
    workshop.update_risk(uow_factory("Revisorn"), catalog, risk)
    gone = workshop.get_risk(uow_factory(), risks[1].id)
    workshop.delete_risk(uow_factory("Revisorn"), gone.id or 0, gone.version)
    return {"risk": risk, "unit": new_unit, "gone": gone, "analysis_id": analysis_id}


def test_every_line_names_things_in_swedish(
    uow_factory: UowFactory, changed: dict[str, object]
) -> None:
    view = audit.audit_view(uow_factory(), AuditQuery(limit=5000))
    assert view.lines
    assert not leaked_code(view.lines)
    entities = {line.entity for line in view.lines}
    assert entities <= set(ENTITY_LABELS.values())
    assert {"Kapacitetsscenario", "Risk", "Röst", "Import av avvikelser"} <= entities
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", line.at) for line in view.lines)


def test_every_kind_of_row_reads_in_swedish(world: World) -> None:
    """On a database with every kind of row (plans, egenkontroll, scenarios, simulations,
    exports), no entry shows a table or column name, an id or a raw value."""
    view = audit.audit_view(world.uow(), AuditQuery(limit=20000))
    assert not leaked_code(view.lines)
    entities = {line.entity for line in view.lines}
    assert entities <= set(ENTITY_LABELS.values())
    assert {"Egenkontrollplan", "Internkontrollplanen", "Simulering", "Stickprovsdragning"} <= (
        entities
    )
    fields = {line.field for line in view.lines}
    assert not {f for f in fields if "_" in f or (f.isascii() and f.islower() and f != "–")}


def test_an_update_shows_names_and_ja_nej(
    uow_factory: UowFactory, changed: dict[str, object]
) -> None:
    risk, unit = changed["risk"], changed["unit"]
    view = audit.audit_view(uow_factory(), AuditQuery(actor="Revisorn"))
    by_field = {line.field: line for line in view.lines if line.action == "ändrad"}
    moved = by_field["Enhet"]
    assert moved.new == unit.name  # type: ignore[attr-defined]
    assert moved.subject == FORMULA  # the risk's (new) title, not its id
    confirmed = by_field["Bedömning fastställd"]
    assert {confirmed.old, confirmed.new} == {"ja", "nej"}
    assert risk.assessment_confirmed == (confirmed.new == "ja")  # type: ignore[attr-defined]


def test_a_deleted_risk_keeps_its_title(
    uow_factory: UowFactory, changed: dict[str, object]
) -> None:
    gone = changed["gone"]
    view = audit.audit_view(uow_factory(), AuditQuery(actor="Revisorn", entity="risk"))
    deleted = next(line for line in view.lines if line.action == "borttagen")
    assert deleted.subject == gone.title  # type: ignore[attr-defined]
    assert deleted.field == "alla fält"
    assert f"Risk: {gone.title}" in deleted.old  # type: ignore[attr-defined]
    assert deleted.new == "–"


def test_filters_by_kind_person_date_and_analysis(
    uow_factory: UowFactory, changed: dict[str, object]
) -> None:
    choices = audit.audit_filters(uow_factory())
    offered = {choice.key for choice in choices.entities}
    assert {"egenkontroll_plan", "control_plan", "scenario", "simulation_run"} <= offered
    assert {"Anna", "Revisorn"} <= set(choices.actors)

    scenarios = audit.audit_view(uow_factory(), AuditQuery(entity="scenario"))
    assert scenarios.lines and {line.entity for line in scenarios.lines} == {"Kapacitetsscenario"}
    mine = audit.audit_view(uow_factory(), AuditQuery(actor="Revisorn"))
    assert mine.lines and {line.actor for line in mine.lines} == {"Revisorn"}

    day = date.fromisoformat(mine.lines[0].at[:10])  # the Swedish date the entries were made
    same_day = audit.audit_view(uow_factory(), AuditQuery(actor="Revisorn", since=day, until=day))
    assert len(same_day.lines) == len(mine.lines)
    later = date.fromordinal(day.toordinal() + 1)
    assert not audit.audit_view(uow_factory(), AuditQuery(since=later)).lines
    earlier = date.fromordinal(day.toordinal() - 1)
    assert not audit.audit_view(uow_factory(), AuditQuery(until=earlier)).lines

    in_analysis = audit.audit_view(
        uow_factory(),
        AuditQuery(analysis_id=changed["analysis_id"], limit=5000),  # type: ignore[arg-type]
    )
    assert "Import av avvikelser" not in {line.entity for line in in_analysis.lines}


def test_downloads_hold_the_lines_and_never_a_formula(
    uow_factory: UowFactory, changed: dict[str, object]
) -> None:
    view = audit.audit_view(uow_factory(), AuditQuery(actor="Revisorn"))
    rows = list(csv.reader(io.StringIO(audit_csv(view).decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == AUDIT_COLUMNS
    assert len(rows) == len(view.lines) + 1
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells  # escaped: a spreadsheet shows it as text
    assert FORMULA not in cells

    sheet = load_workbook(io.BytesIO(audit_xlsx(view))).active
    assert sheet is not None
    assert tuple(c.value for c in sheet[1]) == AUDIT_COLUMNS
    formula_cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == FORMULA]
    assert formula_cells and all(c.data_type == "s" for c in formula_cells)


def test_column_names_are_what_the_check_looks_for(db_url: str) -> None:
    """The leak check knows the real schema (and would catch a raw name)."""
    engine = engine_for(db_url)
    tables = set(inspect(engine).get_table_names())
    assert {"egenkontroll_plan", "simulation_run", "plan_control"} <= tables
    raw = AuditLine(1, "2025-01-01 10:00:00", "a", "Risk", "x", "ändrad", "unit_id", "None", "")
    assert leaked_code([raw]) == ["unit_id", "None"]
