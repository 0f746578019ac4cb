"""Benchmark of the command line's start (a script, not a test): python bench/bench_cli.py.

Runs ``riskmotor risks list --namnd Socialnämnden --year 2027`` on a demo database N times,
each in a fresh process as a user runs it, and prints the median wall time and the peak
resident memory, beside a bare ``import sqlalchemy, pydantic, click, yaml`` (what any
command must pay at least) and beside the figures before the CLI imported lazily
(3,1 s and 335 MiB on an idle machine). Budgets (issue #16): ≤ 1 s wall, ≤ 120 MiB peak.

Memory comes from the kernel's accounting of each finished child (``os.wait4``: the same
``ru_maxrss`` that ``resource.getrusage(RUSAGE_CHILDREN)`` reports, but per child, so the
baseline and the command are not mixed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WALL_BUDGET_S = 1.0
RSS_BUDGET_MIB = 120.0
BEFORE_WALL_S = 3.1
BEFORE_RSS_MIB = 335.0
BASELINE = [sys.executable, "-c", "import sqlalchemy, pydantic, click, yaml"]
RISKS_LIST = ["risks", "list", "--namnd", "Socialnämnden", "--year", "2027"]


def _riskmotor(*args: str) -> list[str]:
    return [sys.executable, "-m", "riskmotor.cli", *args]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} misslyckades (kod {process.returncode})")
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / divisor


def measure(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    """Median wall and CPU seconds and the highest peak RSS over ``runs`` runs, after one
    warm-up. CPU time hardly changes when other processes keep the cores busy; wall does."""
    run_once(command, env)  # warm the file cache and Python's bytecode cache
    results = [run_once(command, env) for _ in range(runs)]
    return (
        statistics.median(w for w, _, _ in results),
        statistics.median(c for _, c, _ in results),
        max(m for _, _, m in results),
    )


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}".replace(".", ",")


def _fmt(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="körningar per mätning")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "RISKMOTOR_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
            "RISKMOTOR_USER": "bench",
        }
        print("Skapar demodatabasen …", flush=True)
        subprocess.run(_riskmotor("demo"), env=env, cwd=ROOT, check=True, capture_output=True)
        base_wall, base_cpu, base_rss = measure(BASELINE, env, args.runs)
        wall, cpu, rss = measure(_riskmotor(*RISKS_LIST), env, args.runs)
    print(f"\n{args.runs} körningar var: median av väggtid och processortid, högsta minnestopp")
    for name, (w, c, m) in {
        "import sqlalchemy, pydantic, click, yaml": (base_wall, base_cpu, base_rss),
        "riskmotor risks list": (wall, cpu, rss),
    }.items():
        print(f"  {name:<41} {_fmt(w)} s (processor {_fmt(c)} s), {_fmt(m, 0)} MiB")
    print(
        f"  mot den bara importen: {_ratio(wall, base_wall)} × väggtiden, "
        f"{_ratio(cpu, base_cpu)} × processortiden, {_ratio(rss, base_rss)} × minnet"
    )
    print(
        f"  mot före ({_fmt(BEFORE_WALL_S, 1)} s, {_fmt(BEFORE_RSS_MIB, 0)} MiB): "
        f"{_ratio(wall, BEFORE_WALL_S)} × tiden, {_ratio(rss, BEFORE_RSS_MIB)} × minnet"
    )
    wall_ok = "inom" if wall <= WALL_BUDGET_S else "ÖVER"
    rss_ok = "inom" if rss <= RSS_BUDGET_MIB else "ÖVER"
    print(
        f"  mål: ≤ {_fmt(WALL_BUDGET_S, 0)} s ({wall_ok}), "
        f"≤ {_fmt(RSS_BUDGET_MIB, 0)} MiB ({rss_ok})"
    )


if __name__ == "__main__":
    main()
