"""Benchmark of the exports (a script, not a test): python bench/bench_export.py.

Targets on a 1,000-risk analysis (`riskmotor demo --risks 1000`) with a proposed plan
where every included risk has a kontrollmoment: the Excel workbook in under 2 s and the
whole approval package (workbook, matrix PNG, tjänsteutlåtande, manifest) in under 5 s.
The first package of a process also starts vl-convert's JavaScript engine; it is timed
separately ("cold") from the next ("warm").
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

# Lets the script run from a checkout that was never pip-installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskmotor.domain.plan import PlanControl
from riskmotor.export import package
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import context, demo, exports, plan

RISKS = 1000
EXCEL_TARGET_S = 2.0
PACKAGE_TARGET_S = 5.0


def _setup(url: str) -> None:
    catalog = context.catalog()
    uow = lambda: UnitOfWork(engine_for(url), "bench")  # noqa: E731
    ids = demo.load_demo(uow(), catalog, risks=RISKS)
    created = plan.propose(uow(), catalog, ids.namnd_id, demo.DEMO_YEAR)
    # One transaction for all kontrollmoment: plan.add_control commits each one, which only
    # slows the set-up, not what is measured.
    with uow() as unit:
        for item in plan.view(uow(), catalog, created.id or 0).included:
            suggestion = plan.suggested_controls(catalog, item.risk)[0]
            unit.plan_controls.add(
                PlanControl.model_validate(
                    {"plan_risk_id": item.plan_risk.id, **suggestion, "responsible": "Enhetschef"}
                )
            )
        unit.commit()


def _timed(label: str, target: float, action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    verdict = "OK" if elapsed < target else "ÖVER MÅLET"
    print(
        f"{label:<34} {elapsed:6.2f} s  (mål < {target:.0f} s, {elapsed / target:4.0%})  {verdict}"
    )
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        url = f"sqlite:///{folder / 'bench.db'}"
        _setup(url)
        catalog = context.catalog()
        uow = lambda: UnitOfWork(engine_for(url), "bench")  # noqa: E731
        args = (catalog, demo.DEMO_NAMND, demo.DEMO_YEAR)
        print(f"{RISKS} risker, SQLite, libreoffice: {package.libreoffice() or 'saknas'}")
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
        _timed(
            "Kvalitetsberättelse",
            PACKAGE_TARGET_S,
            lambda: exports.export_kvalitetsberattelse(uow(), *args, folder / "k.docx"),
        )
        size = (folder / "a.xlsx").stat().st_size
        print(f"Excelfilens storlek: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
