"""TXT/MD reader (first version: one paragraph per non-empty line).

The readers owner replaces this with hard-wrap reflow and markdown tables."""
from __future__ import annotations

from pathlib import Path

from ..model import Block, ReadResult


def read_text(path: Path, fmt: str) -> ReadResult:
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    blocks = [Block("paragraph", line) for line in raw.splitlines() if line.strip()]
    return ReadResult(blocks=blocks, file_format=fmt)
