"""The Ändringslogg page in AppTest: Swedish names only, filters that narrow the table, and a
download button per format."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from riskmotor.catalogs import Catalog
from riskmotor.persistence.orm import Base
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, workshop
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]
RAW_WORDS = {"None", "True", "False", "true", "false", "[]", "nan"}


def code_names() -> re.Pattern[str]:
    """Every table and column name of the database with an underscore (the others, such as
    'risk' or 'status', are also words of a Swedish sentence)."""
    names = {t.name for t in Base.metadata.sorted_tables}
    names |= {c.name for t in Base.metadata.sorted_tables for c in t.columns}
    coded = sorted((n for n in names if "_" in n), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(coded) + r")\b")


def page_texts(app: object, table: pd.DataFrame) -> list[str]:
    texts = [str(cell) for cell in table.to_numpy().ravel()] + list(table.columns)
    for kind in ("title", "markdown", "caption", "info", "error", "warning"):
        texts.extend(str(element.value) for element in getattr(app, kind))
    for box in app.selectbox:  # type: ignore[attr-defined]
        texts.append(box.label)
        texts.extend(box.options)  # the options as shown, not the values behind them
    return texts


def test_the_log_shows_no_table_or_column_names(
    demo_data: demo.DemoResult, uow_for: UowFor, app_catalog: Catalog
) -> None:
    risk = workshop.list_risks(uow_for(), app_catalog, demo_data.analysis_id)[0]
    stored = workshop.get_risk(uow_for(), risk.id)
    stored.assessment_confirmed = not stored.assessment_confirmed
    workshop.update_risk(uow_for("Revisorn"), app_catalog, stored)

    app = open_page("andringslogg")
    table = app.dataframe[0].value
    assert len(table) > 0
    texts = page_texts(app, table)
    leaked = [t for t in texts if t in RAW_WORDS or code_names().search(t)]
    assert not leaked, leaked[:10]
    assert {"Risk", "Röst", "Kapacitetsscenario"} <= set(table["Vad"])
    confirmed = table[
        (table["Ändrat fält"] == "Bedömning fastställd") & (table["Vem"] == "Revisorn")
    ]
    assert set(confirmed["Gammalt värde"]) | set(confirmed["Nytt värde"]) == {"ja", "nej"}
    assert set(confirmed["Vilken"]) == {risk.title}


def test_filters_narrow_the_table(demo_data: demo.DemoResult, uow_for: UowFor) -> None:
    workshop.add_participant(uow_for("Revisorn"), demo_data.analysis_id, "Ny Person", "Chef")
    app = open_page("andringslogg")
    what = next(s for s in app.selectbox if s.label == "Vad")
    offered = set(what.options)
    assert {"Egenkontrollplan", "Internkontrollplanen", "Kapacitetsscenario"} <= offered
    assert "Alla" in offered

    who = next(s for s in app.selectbox if s.label == "Vem")
    who.select_index(who.options.index("Revisorn")).run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["Vem"]) == ["Revisorn"]
    assert list(table["Vilken"]) == ["Ny Person"]

    what = next(s for s in app.selectbox if s.label == "Vad")
    what.select_index(what.options.index("Egenkontrollplan")).run()
    assert not app.exception
    assert not app.dataframe  # Revisorn changed no egenkontroll plan
    assert any("Inga ändringar" in info.value for info in app.info)


def test_reversed_dates_are_a_swedish_message(demo_data: demo.DemoResult) -> None:
    app = open_page("andringslogg")
    since = next(d for d in app.date_input if d.label == "Från och med")
    until = next(d for d in app.date_input if d.label == "Till och med")
    today = until.value
    assert isinstance(today, date)
    since.set_value(today).run()
    until = next(d for d in app.date_input if d.label == "Till och med")
    until.set_value(today - timedelta(days=30)).run()
    assert not app.exception
    assert any("Från och med" in e.value for e in app.error)


def test_one_download_button_per_format(demo_data: demo.DemoResult) -> None:
    app = open_page("andringslogg")
    buttons = app.get("download_button")
    assert [b.proto.label for b in buttons] == ["Ladda ned som CSV", "Ladda ned som Excel"]
