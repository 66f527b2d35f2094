from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


@cache
def plan(name: str):
    """The segmented PlanDoc of a corpus file (cached across tests)."""
    from pipeline.run import load_plan

    return load_plan(corpus_file(name))


@cache
def processed(name: str):
    """The full DocResult of a corpus file (cached across tests)."""
    from pipeline.run import process_file

    path = corpus_file(name)
    return process_file(path, path.parent)
