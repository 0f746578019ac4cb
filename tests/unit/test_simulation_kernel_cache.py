"""The guard that keeps Numba's on-disk kernel cache true to the kernel's sources.

Numba drops a function's cached machine code only when that function's own file changes;
a change in a callee's module would otherwise keep running the old code. These tests use
a temporary source list and cache folder, never the real cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from riskmotor.simulation import kernel
from riskmotor.simulation.kernel import cache

CACHE_FILES = ("run.simulate_chunk-40.py311.nbi", "run.simulate_chunk-40.py311.1.nbc")
OTHER_FILES = ("run.cpython-311.pyc",)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Path], Path]:
    """Two kernel 'modules' and a cache folder the guard is pointed at."""
    sources = [tmp_path / "queue.py", tmp_path / "run.py"]
    sources[0].write_text("def serve(): return 1\n", encoding="utf-8")
    sources[1].write_text("def simulate_chunk(): return serve()\n", encoding="utf-8")
    cache_dir = tmp_path / "__pycache__"
    monkeypatch.setattr(cache, "kernel_sources", lambda: sources)
    monkeypatch.setattr(cache, "cache_dir_of", lambda dispatcher: cache_dir)
    monkeypatch.setattr(cache, "runtime_versions", lambda: ["numba 0.68.1", "numpy 2.4.6"])
    return sources, cache_dir


def _compile_into(cache_dir: Path) -> None:
    """What Numba leaves behind after compiling: cache files beside other caches."""
    cache_dir.mkdir(exist_ok=True)
    for name in CACHE_FILES + OTHER_FILES:
        (cache_dir / name).write_bytes(b"compiled")


def _present(cache_dir: Path) -> set[str]:
    return {path.name for path in cache_dir.iterdir()} - {cache.STAMP_NAME}


def test_an_unchanged_kernel_keeps_its_cache(sandbox: tuple[list[Path], Path]) -> None:
    _, cache_dir = sandbox
    cache.guard(None)
    _compile_into(cache_dir)
    assert cache.guard(None) is False
    assert _present(cache_dir) == set(CACHE_FILES + OTHER_FILES)


def test_a_change_in_a_callee_module_purges_the_whole_cache(
    sandbox: tuple[list[Path], Path],
) -> None:
    sources, cache_dir = sandbox
    cache.guard(None)
    _compile_into(cache_dir)
    # Only queue.py changes; run.py, whose cache entry holds the compiled queue, does not.
    sources[0].write_text("def serve(): return 2\n", encoding="utf-8")
    assert cache.guard(None) is True
    assert _present(cache_dir) == set(OTHER_FILES)
    assert cache.guard(None) is False  # the new stamp is in place: no purge loop


def test_a_numba_or_numpy_upgrade_purges_the_cache(
    sandbox: tuple[list[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cache_dir = sandbox
    cache.guard(None)
    _compile_into(cache_dir)
    monkeypatch.setattr(cache, "runtime_versions", lambda: ["numba 0.69.0", "numpy 2.4.6"])
    assert cache.guard(None) is True
    assert _present(cache_dir) == set(OTHER_FILES)


def test_a_cache_of_unknown_origin_is_purged(sandbox: tuple[list[Path], Path]) -> None:
    _, cache_dir = sandbox
    _compile_into(cache_dir)  # compiled before the guard existed: no stamp
    assert cache.guard(None) is True
    assert _present(cache_dir) == set(OTHER_FILES)
    _compile_into(cache_dir)
    (cache_dir / cache.STAMP_NAME).write_bytes(b"\xff\xfe not a digest")
    assert cache.guard(None) is True
    assert _present(cache_dir) == set(OTHER_FILES)


def test_moving_code_between_modules_counts_as_a_change(tmp_path: Path) -> None:
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("x = 1\n", encoding="utf-8")
    second.write_text("y = 2\n", encoding="utf-8")
    before = cache.sources_digest([first, second], [])
    first.write_text("", encoding="utf-8")
    second.write_text("x = 1\ny = 2\n", encoding="utf-8")
    assert cache.sources_digest([first, second], []) != before


def test_the_guard_covers_every_kernel_module_and_the_stream_layout() -> None:
    names = {path.name for path in cache.kernel_sources()}
    package = Path(kernel.__file__).parent
    assert {path.name for path in package.glob("*.py")} <= names
    assert {"queue.py", "run.py", "rng.py", "__init__.py"} <= names
    assert Path(kernel.__file__).parent.parent / "rng.py" in cache.kernel_sources()


def test_importing_the_kernel_stamped_the_real_cache() -> None:
    # Read-only look at the real cache: the import ran the guard for today's sources.
    stamp = cache.cache_dir_of(kernel.simulate_chunk) / cache.STAMP_NAME
    digest = cache.sources_digest(cache.kernel_sources(), cache.runtime_versions())
    assert stamp.read_text(encoding="ascii").strip() == digest
