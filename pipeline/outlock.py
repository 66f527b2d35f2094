"""One ingest at a time per output folder (two staff members, or a scheduled job and a manual
run, loading into the same OUT_DIR would otherwise process the same files twice and interleave
their table rebuilds).

A POSIX record lock (lockf) on OUT_DIR/.vnplan.lock, held for the whole run. The kernel drops it
when the process ends, however it ends, so a killed run never leaves a stale lock behind. Unlike
flock, it belongs to the process alone: forked workers do not inherit it (a worker outliving a
killed parent keeps no folder locked), and it also works on NFS. Being per process, it does not
guard against a second ingest from the same Python process.)"""
from __future__ import annotations

import contextlib
import errno
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
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise OutputBusy(f"{out_dir} is being written by another vnplan ingest ({holder}); "
                             "run again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since "
                      f"{time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
