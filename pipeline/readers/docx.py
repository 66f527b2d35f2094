"""DOCX reader: paragraphs and tables in body order, with style hints.

The borderless table at the top (issuing body | national motto) becomes header_cell Blocks;
other borderless layout tables (Nơi nhận | signature) become paragraphs, left cell first;
real tables become table Blocks with merged cells repeated so every row stands alone.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..model import Block, Cell, ReadResult
from . import MAX_PART_BYTES, ReadError
from .text import join_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_FOOTNOTE_MARK = re.compile(r"^\s*[(\[]?\s*[\d*]{1,3}\s*[)\]]?\s*$")
_MOTTO = re.compile(r"(?i)C[ỘO]NG\s*H[ÒO]A\s*X[ÃA]\s*H[ỘO]I")
_OFF = {"0", "false", "off", "none"}


@dataclass
class _Para:
    text: str
    bold: bool
    italic: bool
    centered: bool
    heading: bool
    size: float | None


def read_docx(path: Path) -> ReadResult:
    _check_parts(path)
    import docx  # python-docx parses with resolve_entities=False (no XXE)
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError("corrupt_file", f"{path.name} is a damaged Word file and cannot be opened; "
                        "open and re-save it in Word") from exc
    except Exception as exc:  # lxml XMLSyntaxError and friends
        raise ReadError("corrupt_file", f"{path.name}: the Word file's content is damaged ({exc})") from exc
    reader = _DocxReader(document)
    blocks = reader.read()
    return ReadResult(blocks=blocks, file_format="docx", warnings=reader.warnings)


def _check_parts(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size > MAX_PART_BYTES:
                    raise ReadError("too_large", f"{path.name}: part {info.filename} inflates to "
                                    f"{info.file_size // 2**20} MB; refusing to read it")
    except zipfile.BadZipFile as exc:
        raise ReadError("corrupt_file", f"{path.name} is damaged or incomplete") from exc


class _DocxReader:
    def __init__(self, document) -> None:
        self.doc = document
        self.warnings: list[str] = []
        self._style_cache: dict[tuple[str | None, str], bool | None] = {}
        self._styles = {s.style_id: s for s in document.styles}

    # -- body walk ---------------------------------------------------------------------------
    def read(self) -> list[Block]:
        blocks: list[Block] = []
        seen_text = False
        for el in _body_children(self.doc.element.body):
            if el.tag == W + "p":
                para = self._paragraph(el)
                if para.text.strip():
                    seen_text = True
                    blocks.append(Block("heading" if para.heading else "paragraph", para.text,
                                        bold=para.bold, italic=para.italic, centered=para.centered,
                                        font_size=para.size))
            elif el.tag == W + "tbl":
                blocks.extend(self._table(el, first=not seen_text))
                seen_text = seen_text or bool(blocks)
        return blocks

    def _table(self, tbl, first: bool) -> list[Block]:
        grid = self._grid(tbl)
        if not grid:
            return []
        ncols = max(len(r) for r in grid)
        text = " ".join(p.text for row in grid for cell in row for p in cell)
        if ncols <= 3 and len(grid) <= 4 and (first or _MOTTO.search(text)):
            return self._layout_cells(grid, "header_cell")
        if ncols <= 3 and len(grid) <= 3 and _borderless(tbl):
            return self._layout_cells(grid, "paragraph")
        rows = [[Cell(join_lines([p.text for p in cell]), bold=_mostly(cell, "bold")) for cell in row]
                for row in grid]
        for row in rows:  # ragged rows (gridBefore/After) padded so every row has every column
            row.extend(Cell("") for _ in range(ncols - len(row)))
        # a row made only of vertically merged continuations repeats the row above and has no
        # rulings of its own in a PDF: drop it so both formats give the same rows
        rows = [r for i, r in enumerate(rows) if not i or [c.text for c in r] != [c.text for c in rows[i - 1]]]
        return [Block("table", rows=rows)]

    def _layout_cells(self, grid: list[list[list[_Para]]], kind: str) -> list[Block]:
        """Layout table → one Block per non-empty paragraph, column by column (left first)."""
        blocks: list[Block] = []
        ncols = max(len(r) for r in grid)
        for col in range(ncols):
            seen: set[int] = set()
            for row in grid:
                if col >= len(row) or id(row[col]) in seen:
                    continue
                seen.add(id(row[col]))  # merged cells repeat the same list: read it once
                if col and col < len(row) and row[col] is row[col - 1]:
                    continue
                for p in row[col]:
                    if p.text.strip():
                        blocks.append(Block(kind, p.text, bold=p.bold, italic=p.italic, centered=p.centered,
                                            font_size=p.size, column=min(col, 1) if kind == "header_cell" else None))
        return blocks

    def _grid(self, tbl) -> list[list[list[_Para]]]:
        """Rows × grid columns of cell paragraphs; merged cells share (repeat) their content."""
        grid: list[list[list[_Para]]] = []
        for tr in tbl.iterchildren(W + "tr"):
            row: list[list[_Para]] = []
            trpr = tr.find(W + "trPr")
            before = _int_val(trpr, "gridBefore") if trpr is not None else 0
            row.extend([] for _ in range(before))
            for tc in tr.iterchildren(W + "tc", W + "sdt"):
                for cell in ([tc] if tc.tag == W + "tc" else tc.iter(W + "tc")):
                    tcpr = cell.find(W + "tcPr")
                    span = max(1, _int_val(tcpr, "gridSpan")) if tcpr is not None else 1
                    vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                    col = len(row)
                    if vmerge is not None and vmerge.get(W + "val", "continue") == "continue" and grid:
                        above = grid[-1][col] if col < len(grid[-1]) else []
                        content = above
                    else:
                        content = [self._paragraph(p) for p in _cell_paragraphs(cell)]
                    row.extend(content for _ in range(span))
            grid.append(row)
        return grid

    # -- paragraphs ----------------------------------------------------------------------------
    def _paragraph(self, p) -> _Para:
        ppr = p.find(W + "pPr")
        style_id = _val(ppr.find(W + "pStyle")) if ppr is not None and ppr.find(W + "pStyle") is not None else None
        parts: list[tuple[str, bool, bool, float | None]] = []
        for run in _runs(p):
            rpr = run.find(W + "rPr")
            text = _run_text(run)
            if not text:
                continue
            if rpr is not None and _val(rpr.find(W + "vertAlign")) == "superscript" and _FOOTNOTE_MARK.match(text):
                if any(t.strip() for t, *_ in parts):
                    continue  # footnote reference inside the sentence: noise for the task text
                text += " "
            bold = self._flag(rpr, style_id, "b")
            italic = self._flag(rpr, style_id, "i")
            size = _size(rpr)
            parts.append((text, bold, italic, size))
        text = re.sub(r"[ \t]*\n[ \t]*", " ", "".join(t for t, *_ in parts)).strip()
        chars = [(len(t.replace(" ", "")), b, i) for t, b, i, _ in parts]
        total = sum(n for n, _, _ in chars) or 1
        bold = sum(n for n, b, _ in chars if b) / total >= 0.6
        italic = sum(n for n, _, i in chars if i) / total >= 0.6
        sizes = [s for *_, s in parts if s]
        jc = _val(ppr.find(W + "jc")) if ppr is not None and ppr.find(W + "jc") is not None else None
        if jc is None:
            jc = self._style_jc(style_id)
        return _Para(text, bold, italic, jc == "center", self._is_heading(style_id, ppr),
                     max(sizes) if sizes else None)

    def _style(self, style_id: str | None):
        if style_id is None:
            return self.doc.styles.default(1)  # WD_STYLE_TYPE.PARAGRAPH
        return self._styles.get(style_id)

    def _flag(self, rpr, style_id: str | None, tag: str) -> bool:
        """Run bold/italic: direct formatting, then character style, then paragraph style chain."""
        if rpr is not None:
            el = rpr.find(W + tag)
            if el is not None:
                return _val(el) not in _OFF if el.get(W + "val") is not None else True
            rstyle = rpr.find(W + "rStyle")
            if rstyle is not None:
                flag = self._style_flag(_val(rstyle), tag)
                if flag is not None:
                    return flag
        return bool(self._style_flag(style_id, tag))

    def _style_flag(self, style_id: str | None, tag: str) -> bool | None:
        key = (style_id, tag)
        if key not in self._style_cache:
            value = None
            style = self._style(style_id)
            while style is not None and value is None:
                font = style.font
                value = font.bold if tag == "b" else font.italic
                style = style.base_style
            self._style_cache[key] = value
        return self._style_cache[key]

    def _style_jc(self, style_id: str | None) -> str | None:
        style = self._style(style_id)
        while style is not None:
            ppr = style.element.find(W + "pPr")
            if ppr is not None and ppr.find(W + "jc") is not None:
                return _val(ppr.find(W + "jc"))
            style = style.base_style
        return None

    def _is_heading(self, style_id: str | None, ppr) -> bool:
        if ppr is not None and ppr.find(W + "outlineLvl") is not None:
            return _val(ppr.find(W + "outlineLvl")) not in ("9", None)
        style = self._style(style_id) if style_id else None
        while style is not None:
            name = (style.name or "").lower()
            if name.startswith(("heading", "title")) or name in ("tiêu đề",):
                return True
            style = style.base_style
        return False


def _body_children(body):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for el in body.iterchildren():
        if el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                yield from _body_children(content)
        elif el.tag in (W + "p", W + "tbl"):
            yield el


def _cell_paragraphs(tc):
    for el in tc.iterchildren():
        if el.tag == W + "p":
            yield el
        elif el.tag == W + "tbl" or el.tag == W + "sdt":  # nested table: its paragraphs join the cell's text
            yield from el.iter(W + "p")


def _runs(p):
    """Runs of a paragraph in order, including hyperlinks/insertions, skipping deleted text and
    the VML fallback copy of drawings (which would duplicate text boxes)."""
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        if el.tag in (W + "del", MC_FALLBACK, W + "pPr", W + "moveFrom"):
            continue
        if el.tag == W + "r":
            yield el
            continue
        stack.extend(reversed(list(el)))


def _run_text(run) -> str:
    out = []
    for el in run.iterchildren():
        if el.tag == W + "t":
            out.append(el.text or "")
        elif el.tag in (W + "tab", W + "ptab"):
            out.append(" ")
        elif el.tag in (W + "br", W + "cr"):
            out.append("\n")
        elif el.tag == W + "noBreakHyphen":
            out.append("-")
        elif el.tag == W + "drawing":
            out.append(" ".join(t.text or "" for t in el.iter(W + "t")))
    return "".join(out)


def _val(el) -> str | None:
    return None if el is None else el.get(W + "val")


def _int_val(parent, tag: str) -> int:
    el = parent.find(W + tag)
    try:
        return int(_val(el) or 0) if el is not None else 0
    except ValueError:
        return 0


def _size(rpr) -> float | None:
    if rpr is None or rpr.find(W + "sz") is None:
        return None
    try:
        return int(_val(rpr.find(W + "sz")) or 0) / 2 or None
    except ValueError:
        return None


def _borderless(tbl) -> bool:
    tblpr = tbl.find(W + "tblPr")
    borders = tblpr.find(W + "tblBorders") if tblpr is not None else None
    if borders is None:
        return tblpr is None or tblpr.find(W + "tblStyle") is None
    return all((_val(b) or "none") in ("nil", "none") for b in borders)


def _mostly(paras: list[_Para], attr: str) -> bool:
    total = sum(len(p.text) for p in paras)
    return bool(total) and sum(len(p.text) for p in paras if getattr(p, attr)) / total >= 0.6
