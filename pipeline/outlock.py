"""One ingest at a time per output folder (two staff members, or a scheduled job and a manual
run, loading into the same OUT_DIR would otherwise process the same files twice and interleave
their table rebuilds).

An advisory lock (flock) on OUT_DIR/.vnplan.lock, held for the whole run. The kernel drops it
when the process ends, however it ends, so a killed run never leaves a stale lock behind."""
from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".vnplan.lock"


class OutputBusy(RuntimeError):
    """Another ingest holds the output folder."""


@contextlib.contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    path = out_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise OutputBusy(f"{out_dir} is being written by another vnplan ingest ({holder}); "
                             "run again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since "
                      f"{time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
