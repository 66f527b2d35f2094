"""The one document model that flows through every stage.

Readers fill `Block`s; `assemble` normalizes them into one string (`PlanDoc.text`) and sets
each block's offsets; the segmenter adds the outline and sections; extractors read the
PlanDoc and never re-read the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BLOCK_KINDS = ("paragraph", "heading", "table", "header_cell", "page_break")


@dataclass
class Cell:
    text: str
    start: int = 0  # offsets into PlanDoc.text, set by assemble
    end: int = 0
    bold: bool = False


@dataclass
class Block:
    kind: str  # one of BLOCK_KINDS
    text: str = ""  # paragraph/heading/header_cell text; tables keep their text in rows
    page: int | None = None  # 1-based; None for formats without pages (DOCX/TXT)
    bold: bool = False  # style hints; bold = all (or nearly all) runs bold
    italic: bool = False
    centered: bool = False
    font_size: float | None = None
    rows: list[list[Cell]] | None = None  # tables only: rows x cells (merged cells repeated)
    column: int | None = None  # header_cell: 0 = left (issuer), 1 = right (motto, date)
    start: int = 0  # offsets into PlanDoc.text, set by assemble
    end: int = 0
    row_spans: list[tuple[int, int]] = field(default_factory=list)  # tables: offsets of each row


@dataclass
class ReadResult:
    """What a reader returns: blocks plus facts about the file."""

    blocks: list[Block]
    file_format: str  # pdf, docx, doc, txt, md, image
    pages: int | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    warnings: list[str] = field(default_factory=list)  # non-fatal problems -> errors rows
    lost_pages: list[int] = field(default_factory=list)  # pages whose text could not be read -> partial


@dataclass
class OutlineNode:
    """One numbered (or recognised unnumbered) heading and the text it governs."""

    level: int  # 1 = top part (I, II, Phần thứ...), 2 = 1., 3 = 1.1 / a), ...
    number: str | None  # as written: 'II', '1', '1.1', 'a', '(1)'
    heading: str  # the heading line as written (normalized text)
    start: int  # start of the heading line
    heading_end: int  # end of the heading line
    end: int  # end of the node's body (start of the next node at the same or a higher level)
    page: int | None
    path: str  # outline path: 'II.1.a'
    kind: str | None = None  # section kind for level-1 nodes


@dataclass
class Section:
    seq: int
    kind: str  # preamble, purpose, assignments, funding, implementation, closing, recipients,
    #            signature, appendix, other
    number: str | None
    heading: str
    start: int
    end: int
    page: int | None
    node: OutlineNode | None = None
    level: int = 1  # 2 for a required kind found only as a sub-heading (e.g. funding inside
    #                 implementation); such a section nests inside its level-1 section


@dataclass
class PlanDoc:
    doc_id: str
    source_path: str
    source_name: str
    file_sha256: str
    file_format: str
    blocks: list[Block]
    text: str = ""
    pages: int | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    outline: list[OutlineNode] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (offset, page), sorted
    # results of document-level analyses that several extractors ask for (header, signature),
    # computed once per document: see extractors.header.once_per_document
    analyses: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def page_at(self, offset: int) -> int | None:
        """1-based page of a text offset (None when the format has no pages)."""
        page = None
        for start, p in self.page_starts:
            if start > offset:
                break
            page = p
        return page

    def sections_of(self, *kinds: str) -> list[Section]:
        return [s for s in self.sections if s.kind in kinds]

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]
