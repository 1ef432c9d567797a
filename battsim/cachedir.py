"""The disk cache every battsim process shares: ``$BATTSIM_CACHE_DIR``, else
``$XDG_CACHE_HOME/battsim``, else ``~/.cache/battsim``.

Entries are keyed by what they depend on (battsim and PyBaMM versions included), written to a
temporary name and renamed, so workers and cluster nodes that share the folder read whole
entries or none; a damaged or unwritable cache only costs a recomputation.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import time
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """The cache folder (not created)."""
    base = os.environ.get("BATTSIM_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "battsim")
    return Path(base)


def write_text_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (a user's file, not the cache: errors are raised), replacing an earlier
    file only once the new one is complete."""
    path = Path(path)
    _write_then_rename(path, path.with_name(f".{path.name}.partial"), lambda partial: partial.write_text(text))


def write_atomic(path: Path, data: bytes | Callable[[Path], None]) -> bool:
    """Write ``path`` through a temporary file (same suffix) and a rename: ``data`` is the bytes,
    or a function writing the temporary file; ``False`` if the cache cannot be written."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        _write_then_rename(path, tmp, data if callable(data) else lambda t: t.write_bytes(data))
    except OSError:
        return False
    return True


def _write_then_rename(path: Path, tmp: Path, write: Callable[[Path], None]) -> None:
    """``write(tmp)``, then rename ``tmp`` to ``path`` (its folder made first): readers see the old
    file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write(tmp)
    os.replace(tmp, path)


@functools.cache
def code_digest() -> str:
    """16 hex digits that change with battsim's source code and the PyBaMM version: cached
    results keyed by it are never read by a different battsim."""
    digest = hashlib.sha256(importlib.metadata.version("pybamm").encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: cache entries of another battsim (another code digest) older than this are removed
STALE_AFTER_S = 24 * 3600.0


def prune_stale(folder: Path, current: str) -> int:
    """Remove the files of ``folder`` whose name lacks ``current`` (entries of another battsim
    or PyBaMM, which this one never reads) and that are older than :data:`STALE_AFTER_S`
    (another version running beside this one keeps its fresh entries); returns how many."""
    removed, cutoff = 0, time.time() - STALE_AFTER_S
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for path in entries:
        try:
            if current not in path.name and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue  # another process removed it, or the cache is read-only
    return removed
