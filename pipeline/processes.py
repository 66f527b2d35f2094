"""Small process-level helpers for the batch (Linux glibc features; no-ops elsewhere)."""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc

PR_SET_NAME = 15  # prctl option: the name ps and top show (at most 15 bytes)


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def release_memory() -> None:
    """Collect cycles and hand freed heap pages back to the OS. Called by a worker between files:
    without it its RSS ratchets up to the high-water mark of the largest file it has met (glibc
    keeps freed memory), so memory would grow with the length of the batch, not with the file."""
    gc.collect()
    libc = _libc()
    with contextlib.suppress(AttributeError):  # not glibc (musl, macOS): nothing to trim
        if libc is not None:
            libc.malloc_trim(0)


def name_process(name: str) -> None:
    """Set this process's name as ps and top show it."""
    libc = _libc()
    with contextlib.suppress(AttributeError):
        if libc is not None:
            libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
