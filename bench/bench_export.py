"""Benchmark of the exports (a script, not a test): python bench/bench_export.py.

Targets on a 1,000-risk analysis (`riskmotor demo --risks 1000`) with its plan sent för
beslut (every assessment fastställd, every included risk with a kontrollmoment that has an
ansvarig and a tidpunkt), as the nämnd receives it: the Excel workbook in under 2 s and the
whole approval package (workbook, matrix PNG, tjänsteutlåtande, manifest) in under 5 s.
The first package of a process also starts vl-convert's JavaScript engine; it is timed
separately ("cold") from the next ("warm").
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Lets the script run from a checkout that was never pip-installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collections.abc import Callable

from riskmotor.bootstrap import App, build_app
from riskmotor.domain.plan import PlanControl
from riskmotor.export import pdf
from riskmotor.services import demo, exports, plan, workshop

RISKS = 1000
# What a kontrollmoment needs before the plan can go för beslut.
COMPLETE = {"responsible": "Enhetschef", "timing": "T1, T2 och T3"}
EXCEL_TARGET_S = 2.0
PACKAGE_TARGET_S = 5.0


def _setup(app: App) -> None:
    catalog = app.catalog
    ids = demo.load_demo(app.uow(), catalog, risks=RISKS)
    workshop.confirm_all(app.uow(), catalog, ids.analysis_id)
    created = plan.propose(app.uow(), catalog, ids.namnd_id, demo.DEMO_YEAR)
    # One transaction for all kontrollmoment: plan.add_control commits each one, which only
    # slows the set-up, not what is measured.
    included = plan.view(app.uow(), catalog, created.id or 0).included
    with app.uow() as unit:
        for item in included:
            suggestion = plan.suggested_controls(catalog, item.risk)[0]
            unit.plan_controls.add(
                PlanControl.model_validate(
                    {"plan_risk_id": item.plan_risk.id, **suggestion, **COMPLETE}
                )
            )
        unit.commit()
    plan.submit(app.uow(), catalog, created.id or 0)


def _timed(label: str, target: float, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    verdict = "OK" if elapsed < target else "ÖVER MÅLET"
    print(
        f"{label:<34} {elapsed:6.2f} s  (mål < {target:.0f} s, {elapsed / target:4.0%})  {verdict}"
    )
    return elapsed


@contextmanager
def _without_libreoffice() -> Iterator[None]:
    found = pdf.libreoffice
    pdf.libreoffice = lambda: None
    try:
        yield
    finally:
        pdf.libreoffice = found


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        app = build_app(f"sqlite:///{folder / 'bench.db'}", "bench")
        _setup(app)
        uow = app.uow
        args = (app.catalog, demo.DEMO_NAMND, demo.DEMO_YEAR)
        print(f"{RISKS} risker, SQLite, libreoffice: {pdf.libreoffice() or 'saknas'}")
        _timed(
            "Excel", EXCEL_TARGET_S, lambda: exports.export_excel(uow(), *args, folder / "a.xlsx")
        )
        _timed(
            "Beslutspaket (kallstart)",
            PACKAGE_TARGET_S,
            lambda: exports.export_package(uow(), *args, folder / "p1"),
        )
        _timed(
            "Beslutspaket (varm)",
            PACKAGE_TARGET_S,
            lambda: exports.export_package(uow(), *args, folder / "p2"),
        )
        # The same package with LibreOffice's PDF step left out: what riskmotor itself costs
        # (the target was set before the PDFs were part of the package).
        with _without_libreoffice():
            _timed(
                "Beslutspaket utan PDF",
                PACKAGE_TARGET_S,
                lambda: exports.export_package(uow(), *args, folder / "p3"),
            )
        _timed(
            "Kvalitetsberättelse",
            PACKAGE_TARGET_S,
            lambda: exports.export_kvalitetsberattelse(uow(), *args, folder / "k.docx"),
        )
        size = (folder / "a.xlsx").stat().st_size
        print(f"Excelfilens storlek: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
