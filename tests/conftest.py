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


def text_plan(text: str):
    """A segmented PlanDoc with one paragraph per non-empty line (an unreflowed TXT), for
    synthetic plans written in the tests."""
    from pipeline.assemble import assemble
    from pipeline.model import Block, PlanDoc
    from pipeline.segment import segment

    blocks = [Block("paragraph", ln) for ln in text.strip().splitlines() if ln.strip()]
    return segment(assemble(PlanDoc("t", "t.txt", "t.txt", "0" * 64, "txt", blocks)))


def synthetic_plan(paragraphs: list[str], tables: list[list[list[str]]] = (), after: list[str] = ()):
    """A segmented PlanDoc of paragraphs, then tables (rows of cell texts), then more paragraphs:
    the small plans of other layouts that the rule tests write."""
    from pipeline.assemble import assemble
    from pipeline.model import Block, Cell, PlanDoc
    from pipeline.segment import segment

    blocks = [Block("paragraph", text=p) for p in paragraphs]
    blocks += [Block("table", rows=[[Cell(c) for c in r] for r in table]) for table in tables]
    blocks += [Block("paragraph", text=p) for p in after]
    return segment(assemble(PlanDoc("x", "x.txt", "x.txt", "0" * 64, "txt", blocks)))


def ingest_corpus(base: Path, names: tuple[str, ...]) -> Path:
    """Ingest copies of some corpus files into base/out (one worker) and return base/out."""
    import shutil

    from pipeline.ingest import ingest

    (base / "in").mkdir()
    for name in names:
        shutil.copy(corpus_file(name), base / "in" / name)
    ingest(base / "in", base / "out", workers=1, progress=False)
    return base / "out"
