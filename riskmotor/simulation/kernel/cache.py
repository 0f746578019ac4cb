"""How the kernel is compiled and kept on disk, and the guard that keeps that cache true.

Every kernel function is compiled with ``cache=True``: the machine code is written beside
the sources (``__pycache__`` of this package, or Numba's per-user cache folder when that
is read-only) and reused by every later process, so the 20–85 s compilation happens once
per installation and kernel change.

Numba invalidates a function's cache entry only when *that function's own file* changes.
A caller in ``run.py`` keeps the compiled code of a callee from ``queue.py`` inside its own
entry, so editing ``queue.py`` alone would leave ``simulate_chunk`` running the old queue.
:func:`ensure_fresh_cache` closes that gap: one SHA-256 over the sources of every kernel
module (plus the constants module they freeze in, and Numba's and NumPy's versions) is kept
in a stamp file next to the cache; when it differs, every cache file of the package is
deleted before anything is loaded, so any kernel change recompiles everything.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numba as nb
import numpy as np

import riskmotor.simulation.rng as stream_layout

jit = nb.njit(cache=True, nogil=True, fastmath=False)

STAMP_NAME = "kernel-sources.sha256"
CACHE_SUFFIXES = (".nbi", ".nbc")
PACKAGE_DIR = Path(__file__).resolve().parent


def kernel_sources() -> list[Path]:
    """Every file whose text is compiled into the kernel: the modules of this package and
    the stream layout module whose integer constants Numba freezes into the machine code."""
    modules = sorted(PACKAGE_DIR.glob("*.py"))
    return [*modules, Path(stream_layout.__file__).resolve()]


def runtime_versions() -> list[str]:
    """Versions that change the generated code without changing our sources."""
    return [f"numba {nb.__version__}", f"numpy {np.__version__}", f"python {sys.version}"]


def sources_digest(sources: Sequence[Path], versions: Sequence[str]) -> str:
    """SHA-256 over the file names and bytes of ``sources`` and the ``versions`` strings."""
    digest = hashlib.sha256()
    for path in sources:
        # The name is hashed too, so moving code between two modules counts as a change.
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for version in versions:
        digest.update(version.encode() + b"\0")
    return digest.hexdigest()


def ensure_fresh_cache(cache_dir: Path, digest: str) -> bool:
    """Delete the Numba cache files in ``cache_dir`` unless its stamp equals ``digest``.

    Returns whether stale files were purged. A cache without a stamp counts as stale: its
    origin is unknown. The stamp is written only after the deletion, so an interrupted
    purge is simply repeated by the next process.
    """
    stamp = cache_dir / STAMP_NAME
    try:
        if stamp.read_text(encoding="ascii").strip() == digest:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    cache_dir.mkdir(parents=True, exist_ok=True)
    for path in cache_dir.iterdir():
        if path.suffix in CACHE_SUFFIXES:
            path.unlink(missing_ok=True)  # another process may be purging at the same time
    # Write-then-rename: a concurrent reader sees the old stamp or the new one, never half.
    partial = cache_dir / f"{STAMP_NAME}.{os.getpid()}.tmp"
    partial.write_text(digest + "\n", encoding="ascii")
    partial.replace(stamp)
    return True


def cache_dir_of(dispatcher: Any) -> Path:
    """The folder Numba uses for ``dispatcher``'s cache (the same for the whole package)."""
    try:
        return Path(dispatcher._cache.cache_path)
    except AttributeError:  # Numba internals changed: its default in-tree location
        return PACKAGE_DIR / "__pycache__"


def guard(dispatcher: Any) -> bool:
    """Purge the package's cache if any kernel source or version changed (see module doc).

    Must run after the kernel modules are imported (which compiles nothing) and before
    any kernel function is called or :func:`is_cached` reads an index.
    """
    digest = sources_digest(kernel_sources(), runtime_versions())
    return ensure_fresh_cache(cache_dir_of(dispatcher), digest)


def is_cached(dispatcher: Any) -> bool:
    """Whether ``dispatcher`` runs without compiling first: it is already loaded in this
    process, or Numba's disk cache holds it for this source and this machine."""
    if dispatcher.signatures:
        return True
    try:
        # Numba has no public "is it cached?" call; the cache index it would consult is the
        # same one read here (empty when missing or stale after a source change).
        index = dispatcher._cache._cache_file._load_index()
        magic = dispatcher.targetctx.codegen().magic_tuple()
    except Exception:  # a Numba upgrade changed these internals: assume it compiles
        return False
    return any(key[1] == magic for key in index)
