"""Benchmark of a bulk deviation import (a script, not a test): python bench/bench_import.py.

Generates a realistic 200 000-row deviation export (the columns and value mix of
catalogs/exempeldata/avvikelser-2023.csv, a unique Löpnummer per row, dates over the year),
imports it into a fresh SQLite database — and into PostgreSQL when
RISKMOTOR_BENCH_DATABASE_URL is set — and prints the seconds and the peak memory against
the budget (issue #17: ≤ 5 s and ≤ 300 MiB) and the figure before the bulk import.

Each database is measured in a fresh process, so the peak RSS is that of one import (the
process's imports included). The CPU seconds are printed beside the wall-clock seconds: on
a shared machine the wall clock also counts time spent waiting for a core (see the load
average printed first).

    python bench/bench_import.py [--rows N] [--keep FILE]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Lets the script run from a checkout that was never pip-installed.
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "catalogs" / "exempeldata" / "avvikelser-2023.csv"
ROWS = 200_000
BUDGET_S = 5.0
BUDGET_MIB = 300.0
# Before the bulk import (commit 98231c0): 27 s and 480 MiB for 50 000 rows on an idle
# machine, row at a time with one audit row per report; 200 000 rows extrapolate to ~110 s.
BASELINE_S = 110.0
BASELINE_NOTE = "~110 s, extrapolerat från 27 s för 50 000 rader (commit 98231c0)"
SEED = 2023


def write_export(path: Path, rows: int, seed: int = SEED) -> None:
    """A deviation export of ``rows`` reports drawn from the example file's rows."""
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *examples = list(csv.reader(handle, delimiter=";"))
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for number in range(1, rows + 1):
            row = list(rng.choice(examples))
            row[0] = f"AV-2023-{number:06d}"
            row[1] = (start + timedelta(days=rng.randrange(365))).isoformat()
            writer.writerow(row)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(url: str, export: Path) -> None:
    """Import ``export`` into the database at ``url``; print one line of figures (child)."""
    from riskmotor.catalogs import cached_catalog
    from riskmotor.config import Settings
    from riskmotor.persistence.database import engine_for
    from riskmotor.persistence.uow import UnitOfWork
    from riskmotor.services import deviations, organisation

    catalog = cached_catalog(str(Settings().catalog_dir))
    engine = engine_for(url)
    namnd = organisation.create_namnd(UnitOfWork(engine, "bench"), "Benchkommun", "Socialnämnden")
    assert namnd.id is not None
    before_mib, cpu, start = _peak_mib(), _cpu_seconds(), time.perf_counter()
    report = deviations.import_deviations(
        UnitOfWork(engine, "bench"), catalog, namnd.id, export, export.name
    )
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    again = time.perf_counter()
    repeat = deviations.import_deviations(
        UnitOfWork(engine, "bench"), catalog, namnd.id, export, export.name
    )
    repeat_seconds = time.perf_counter() - again
    print(
        f"{seconds:.3f} {cpu:.3f} {_peak_mib():.1f} {before_mib:.1f} {report.imported} "
        f"{report.duplicates} {len(report.rejected)} {repeat.imported} {repeat.duplicates} "
        f"{repeat_seconds:.3f}"
    )


def _report(name: str, figures: list[str]) -> None:
    seconds, cpu, peak, before = (float(x) for x in figures[:4])
    imported, duplicates, rejected, again_new, again_dup = (int(x) for x in figures[4:9])
    again_s = float(figures[9])
    verdict_s = "OK" if seconds <= BUDGET_S else "ÖVER BUDGET"
    verdict_m = "OK" if peak <= BUDGET_MIB else "ÖVER BUDGET"
    print(f"\n{name}")
    print(f"  importerade {imported}, dubbletter {duplicates}, avvisade {rejected}")
    print(
        f"  tid       {seconds:6.2f} s (CPU {cpu:.2f} s)  budget ≤ {BUDGET_S:.0f} s "
        f"({seconds / BUDGET_S:.0%} av budget)  {verdict_s}"
    )
    print(f"            före: {BASELINE_NOTE}: {BASELINE_S / seconds:.0f} gånger snabbare nu")
    print(
        f"  minne     {peak:6.1f} MiB högsta RSS (varav {before:.1f} MiB före importen)  "
        f"budget ≤ {BUDGET_MIB:.0f} MiB ({peak / BUDGET_MIB:.0%})  {verdict_m}"
    )
    print(f"  samma fil igen: {again_new} nya, {again_dup} dubbletter på {again_s:.2f} s")


@contextmanager
def _fresh_schema(url: str) -> Iterator[str]:
    """An empty schema in the PostgreSQL database at ``url``, dropped afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _run_child(url: str, export: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", url, str(export)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return result.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--keep", type=Path, help="spara den genererade filen här")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child[0], Path(args.child[1]))
        return
    print(f"Belastning (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        export = args.keep or Path(folder) / "avvikelser-bench.csv"
        write_export(export, args.rows)
        size = export.stat().st_size / 2**20
        print(f"{args.rows} avvikelser, {size:.1f} MiB CSV")
        sqlite_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        _report("SQLite (ny databas)", _run_child(sqlite_url, export))
        postgres = os.environ.get("RISKMOTOR_BENCH_DATABASE_URL")
        if postgres:
            with _fresh_schema(postgres) as url:
                _report("PostgreSQL (nytt schema)", _run_child(url, export))
        else:
            print("\nPostgreSQL: sätt RISKMOTOR_BENCH_DATABASE_URL för att mäta den också.")


if __name__ == "__main__":
    main()
