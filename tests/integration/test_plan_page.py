"""The Internkontrollplan page shows a frozen version as frozen, and marks a draft's risks
that differ from the adopted version 'ändrad efter beslut'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from riskmotor.catalogs import Catalog
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, plan, workshop
from streamlit_app import ui

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app" / "app.py")


def _page() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("views/internkontrollplan.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_page_shows_frozen_content_and_changes_after_the_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    url = f"sqlite:///{tmp_path / 'ui.db'}"
    monkeypatch.setenv("RISKMOTOR_DATABASE_URL", url)
    monkeypatch.setenv("RISKMOTOR_USER", "Testanvändare")
    ui.app.clear()

    def uow() -> UnitOfWork:
        return UnitOfWork(engine_for(url), "test")

    ids = demo.load_demo(uow(), catalog)
    created = plan.propose(uow(), catalog, ids.namnd_id, 2027, top_n=3)
    view = plan.view(uow(), catalog, created.id or 0)
    for item in view.included:
        plan.add_control(
            uow(),
            {
                **plan.suggested_controls(catalog, item.risk)[0],
                "plan_risk_id": item.plan_risk.id,
                "responsible": "Enhetschef",
                "timing": "Varje tertial",
            },
        )
    plan.approve(uow(), catalog, created.id or 0, date(2026, 12, 10), "§ 1", "SN 1")
    adopted = plan.view(uow(), catalog, created.id or 0)
    assert adopted.frozen is not None

    app = _page()
    assert any(adopted.frozen.content_sha256 in c.value for c in app.caption)

    plan.new_version(uow(), created.id or 0)
    risk = workshop.get_risk(uow(), view.included[0].risk.id)
    workshop.update_risk(uow(), catalog, risk.model_copy(update={"title": "Ny rubrik"}))
    app = _page()
    assert any("fastställd version 1" in i.value for i in app.info)
    assert any(e.label.endswith("ändrad efter beslut") for e in app.expander)
