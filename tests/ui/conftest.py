"""AppTest fixtures: a SQLite database per test, with the demo data or an empty analysis."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from riskmotor.catalogs import Catalog, load_catalog
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, organisation, workshop
from streamlit_app import read_cache, ui

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app" / "app.py")


@pytest.fixture
def ui_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ui.db'}"
    monkeypatch.setenv("RISKMOTOR_DATABASE_URL", url)
    monkeypatch.setenv("RISKMOTOR_USER", "Testanvändare")
    # The name remembered on Start (streamlit_app.local_identity) lives in the test's folder.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return url


@pytest.fixture(autouse=True)
def fresh_composition_root() -> None:
    """The app's composition root is cached per process; each test has its own settings."""
    ui.app.clear()
    read_cache.clear()


@pytest.fixture(scope="session")
def app_catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def uow_for(ui_db: str) -> Callable[..., UnitOfWork]:
    return lambda actor="test": UnitOfWork(engine_for(ui_db), actor)


@pytest.fixture
def demo_data(
    ui_db: str, uow_for: Callable[..., UnitOfWork], app_catalog: Catalog
) -> demo.DemoResult:
    return demo.load_demo(uow_for(), app_catalog)


@pytest.fixture
def empty_analysis(ui_db: str, uow_for: Callable[..., UnitOfWork], app_catalog: Catalog) -> int:
    namnd = organisation.create_namnd(uow_for(), "Testkommun", "Socialnämnden")
    assert namnd.id is not None
    analysis = workshop.create_analysis(uow_for(), app_catalog, namnd.id, 2027)
    assert analysis.id is not None
    return analysis.id


def open_page(page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    if page:
        app.switch_page(f"views/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app
