"""Builds the PlanText: normalizes every block and joins them into one string.

Each block becomes one or more lines of `PlanDoc.text`; blocks are separated by a newline,
table rows by a newline and cells by " | ". Offsets of blocks, rows and cells are recorded so
that every later span points into this one string (written as text/<doc_id>.txt).
"""
from __future__ import annotations

from functools import lru_cache

from normalizers.legacy import convert_legacy, detect_legacy_encoding
from normalizers.text import normalize_text
from normalizers.units import plan_abbreviations
from normalizers.vocab import repair_text

from .model import Block, PlanDoc

CELL_SEP = " | "
# Texts up to this length share their normalized and repaired forms across documents (plans of one
# district copy whole sentences, headers and signature lines from each other): two bounded caches
# of SHARED_ENTRIES entries each, so a worker's memory stays flat (typically ~1 MB; at most
# 2 caches x 2048 x (key + value) x 1000 characters x 2 bytes = 16 MB).
SHARED_MAX_CHARS = 1000
SHARED_ENTRIES = 2048


@lru_cache(maxsize=SHARED_ENTRIES)
def _normalized(raw: str) -> str:
    return normalize_text(raw)


@lru_cache(maxsize=SHARED_ENTRIES)
def _repaired(text: str, keep: frozenset[str]) -> str:
    # repair_text reads `keep` only for tokens of the text, so keep ∩ substrings is a sound key
    return repair_text(text, keep)


def assemble(doc: PlanDoc) -> PlanDoc:
    parts: list[str] = []
    pos = 0
    page_starts: list[tuple[int, int]] = []
    kept: list[Block] = []

    def emit(s: str) -> tuple[int, int]:
        nonlocal pos
        start = pos
        parts.append(s)
        pos += len(s)
        return start, pos

    _decode_legacy(doc.blocks)
    # Per document: headers, footers and cells repeat, and each text is normalized once.
    normalized: dict[str, str] = {}
    cleaned: dict[str, str] = {}

    def norm(raw: str) -> str:
        if raw not in normalized:
            normalized[raw] = _normalized(raw) if len(raw) <= SHARED_MAX_CHARS else normalize_text(raw)
        return normalized[raw]

    # A plan's own abbreviation ("Văn phòng - Tổng hợp (VPTH)") is not a typo of a known one.
    defined = frozenset(plan_abbreviations("\n".join(norm(b.text) for b in doc.blocks if b.text)))

    def clean(raw: str) -> str:
        if raw not in cleaned:
            text = norm(raw)
            if len(text) <= SHARED_MAX_CHARS:  # only the plan's abbreviations in this text matter
                cleaned[raw] = _repaired(text, frozenset(a for a in defined if a in text))
            else:
                cleaned[raw] = repair_text(text, defined)
        return cleaned[raw]

    for block in doc.blocks:
        if block.page is not None and (not page_starts or page_starts[-1][1] != block.page):
            page_starts.append((pos, block.page))
        if block.kind == "page_break":
            continue
        if block.kind != "table":
            block.text = clean(block.text)
            if not block.text:
                continue
        elif not block.rows:
            continue
        if kept:
            emit("\n")
        if block.kind == "table":
            block.start = pos
            block.row_spans = []
            for r, row in enumerate(block.rows or []):
                if r:
                    emit("\n")
                row_start = pos
                for c, cell in enumerate(row):
                    if c:
                        emit(CELL_SEP)
                    cell.text = clean(cell.text)
                    cell.start, cell.end = emit(cell.text)
                block.row_spans.append((row_start, pos))
            block.end = pos
            block.text = ""
        else:
            block.start, block.end = emit(block.text)
        kept.append(block)
    doc.blocks = kept
    doc.text = "".join(parts)
    doc.page_starts = page_starts
    return doc


def _decode_legacy(blocks: list[Block]) -> None:
    """Text typed in the old TCVN3 (ABC) or VNI fonts becomes Unicode first: normalize_text would
    otherwise delete characters those encodings use for letters (TCVN3's 'ư' is a soft hyphen)."""
    texts = [b.text for b in blocks if b.text] + [c.text for b in blocks for row in b.rows or [] for c in row]
    encoding = detect_legacy_encoding("\n".join(texts))
    if not encoding:
        return
    for b in blocks:
        b.text = convert_legacy(b.text, encoding) if b.text else b.text
        for row in b.rows or []:
            for cell in row:
                cell.text = convert_legacy(cell.text, encoding)
