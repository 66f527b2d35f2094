"""Imported once by the worker server (the forkserver every worker is forked from; see
executors.worker_context): vocabularies, catalogs and lazy imports are loaded here once, so each
worker starts warm and shares these pages with the server instead of loading them itself."""
from __future__ import annotations

import gc

from .processes import name_process
from .run import warm_up

SERVER_PROCESS_NAME = "vnplan-server"  # how the worker server shows in ps/top (and to benchmarks/bulk.py)

name_process(SERVER_PROCESS_NAME)
warm_up()
# what the workers inherit stays put: their collector no longer walks it (fast gc.collect between
# files) nor writes to its pages (they stay shared with the server, copy-on-write)
gc.freeze()
