"""Benchmark of riskmotor.sampling (a script, not a test): python bench/bench_sampling.py.

Targets: drawing 200 + 100 reserve from 1,000,000 case ids in under 1 s, and every AICPA
appendix A sample-size cell (tables A-1 and A-2, expected rates 0-7 %) in under 50 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

# Lets the script run from a checkout that was never pip-installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskmotor.sampling import draw_sample, sample_size

POPULATION = 1_000_000
SIZE, RESERVE, SEED = 200, 100, 20240101
DRAW_TARGET_S = 1.0
CELL_TARGET_S = 0.050

EXPECTED_PERCENT = (0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5,
                    3.75, 4, 5, 6, 7)  # fmt: skip
TOLERABLE_PERCENT = (2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20)
# Number of expected-rate rows each tolerable-rate column of tables prints.
COLUMN_ROWS = {
    0.95: (6, 10, 14, 17, 18, 19, 19, 20, 20, 20, 20),
    0.90: (7, 10, 14, 17, 18, 19, 20, 20, 20, 20, 20),
}


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _case_ids() -> list[str]:
    ids = [f"VIS-{2020 + i % 6}-{i:07d}" for i in range(POPULATION)]
    random.Random(1).shuffle(ids)  # the register is not stored in id order
    return ids


def bench_draw(ids: list[str]) -> None:
    start = time.perf_counter()
    result = draw_sample(ids, SIZE, SEED, RESERVE)
    ours = time.perf_counter() - start
    assert len(result.sample) == SIZE and len(result.reserve) == RESERVE
    start = time.perf_counter()
    random.Random(SEED).sample(ids, SIZE + RESERVE)
    peer = time.perf_counter() - start
    print(f"draw {SIZE}+{RESERVE} of {POPULATION:,}: {ours * 1000:.0f} ms "
          f"(target < {DRAW_TARGET_S * 1000:.0f} ms) {_verdict(ours < DRAW_TARGET_S)}")  # fmt: skip
    print(f"  peer random.Random(seed).sample over the list: {peer * 1000:.2f} ms; "
          f"ratio ours/peer = {ours / peer:.0f}x (ours sorts the ids so the draw does not "
          "depend on their order and checks duplicates; the peer does neither)")  # fmt: skip


def bench_table_cells() -> None:
    timings: list[float] = []
    for confidence, rows in COLUMN_ROWS.items():
        for tolerable, row_count in zip(TOLERABLE_PERCENT, rows, strict=True):
            for expected in EXPECTED_PERCENT[:row_count]:
                start = time.perf_counter()
                sample_size(confidence, tolerable / 100, expected / 100)
                timings.append(time.perf_counter() - start)
    worst, median = max(timings), statistics.median(timings)
    print(f"sample_size over {len(timings)} AICPA cells: max {worst * 1000:.2f} ms, "
          f"median {median * 1000:.2f} ms (target max < {CELL_TARGET_S * 1000:.0f} ms) "
          f"{_verdict(worst < CELL_TARGET_S)}")  # fmt: skip


def main() -> None:
    sample_size(0.95, 0.05)  # import and first-call costs are not what is measured
    bench_table_cells()
    bench_draw(_case_ids())


if __name__ == "__main__":
    main()
