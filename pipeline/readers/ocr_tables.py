"""Ruled tables on page images: ruling lines found by run lengths of dark pixels, grids built by
the shared table code (pipeline/readers/tables.py), lines erased before OCR, OCR words put into
cells by their box centres.

A ruling is a run of dark pixels much longer than any letter stroke (1/40 of the page width,
~6 mm on A4) along a row (horizontal) or a column (vertical); consecutive rows/columns with such
runs are one line (its thickness). Thick bands (filled areas, photos) are not lines. Only the
lines of a grid (at least two horizontal and two vertical lines touching) are erased and used:
an underline or a long dash in the text stays text.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein

from ..model import Block, Cell
from .tables import Grid, Ruling, find_grids
from .text import join_lines

RUN_SHARE = 1 / 40  # minimum ruling length as a share of the page width
MAX_THICK_SHARE = 1 / 200  # thicker bands are filled areas, not lines (~12 px at 300 dpi on A4)
TOL_SHARE = 1 / 250  # positions within this share of the width are the same line (~10 px)
ERASE_PAD = 2  # pixels around a ruling painted over too (anti-aliased edges)
SHORT_CELL = 6  # cells with at most this many characters are read again on their own
DOUBTFUL_CONF = 75.0  # ... and so are cells whose mean word confidence is below this
CROP_BLUR = 0.8  # Gaussian radius against speckle before a cell crop is binarized


@dataclass
class PageGrid:
    """A table found on a page image: its grid (pixel coordinates), the lines to erase, and the
    words of cells read again on their own (cell id -> words in page coordinates)."""

    grid: Grid
    rulings: list[Ruling]
    reread: dict[int, list] = field(default_factory=dict)


def dark_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels by Otsu's threshold on the grey histogram (print vs paper)."""
    return gray <= otsu_threshold(gray)


def otsu_threshold(gray: np.ndarray) -> int:
    if gray.dtype == np.uint8 and gray.ndim == 2:  # PIL counts 8-bit pixels ~5x faster than bincount
        hist = np.asarray(Image.fromarray(gray).histogram(), dtype=np.float64)
    else:
        hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    total, mean = w0[-1], m0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * w0 - total * m0) ** 2 / (w0 * w1)
    between = between[:-1]
    if np.isnan(between).all():  # one grey level only (a blank page): nothing is print
        return -1
    return int(np.nanargmax(between))


def long_runs(mask: np.ndarray, k: int) -> np.ndarray:
    """Pixels that lie in a run of at least k consecutive True values along axis 1."""
    h, w = mask.shape
    out = np.zeros_like(mask)
    if k > w:
        return out
    rows = _run_rows(mask, k)
    if rows.size:
        out[rows] = _long_runs(mask[rows], k)
    return out


def _run_rows(mask: np.ndarray, k: int) -> np.ndarray:
    """Rows that may hold a run of k: a run covers at least k // step consecutive samples of
    every step-th column (exact pre-filter; on text pages few rows pass, so the full-resolution
    pass below runs on a handful of rows instead of the whole page)."""
    step = max(1, k // 8)
    n = k // step
    sub = mask[:, ::step]
    if n > sub.shape[1]:
        return np.flatnonzero(np.zeros(mask.shape[0], dtype=bool))
    c = np.zeros((sub.shape[0], sub.shape[1] + 1), dtype=np.int32)
    np.cumsum(sub, axis=1, out=c[:, 1:])
    return np.flatnonzero(((c[:, n:] - c[:, :-n]) == n).any(axis=1))


def _long_runs(mask: np.ndarray, k: int) -> np.ndarray:
    h, w = mask.shape
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=c[:, 1:])
    full = (c[:, k:] - c[:, :-k]) == k  # window [x, x+k) all dark; shape (h, w-k+1)
    f = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=f[:, 1 : w - k + 2])
    f[:, w - k + 2 :] = f[:, w - k + 1 : w - k + 2]
    # pixel x is covered when a full window starts in [x-k+1, x]
    lo = np.clip(np.arange(w) - k + 1, 0, None)
    return (f[:, np.arange(w) + 1] - f[:, lo]) > 0


def _segments(runs: np.ndarray, max_thick: int, min_len: int) -> list[tuple[int, int, int, int]]:
    """(a0, b0, a1, b1) boxes of lines along axis 1: bands of consecutive rows that have runs,
    each band's runs or-ed together; a = position along axis 1, b = across."""
    out: list[tuple[int, int, int, int]] = []
    rows = np.flatnonzero(runs.any(axis=1))
    if rows.size == 0:
        return out
    breaks = np.flatnonzero(np.diff(rows) > 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks], [rows[-1]]))
    for b0, b1 in zip(starts, ends, strict=True):
        if b1 - b0 + 1 > max_thick:
            continue
        line = runs[b0 : b1 + 1].any(axis=0).astype(np.int8)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], line, [0]))))
        for a0, a1 in zip(edges[::2], edges[1::2], strict=True):
            if a1 - a0 >= min_len:
                out.append((int(a0), int(b0), int(a1 - 1), int(b1)))
    return out


def find_page_grids(gray: Image.Image) -> list[PageGrid]:
    """Ruled tables of a grey page image (deskewed: rulings must be near axis-parallel)."""
    a = np.asarray(gray.convert("L"))
    h, w = a.shape
    dark = dark_mask(a)
    k = max(20, int(w * RUN_SHARE))
    thick = max(4, int(w * MAX_THICK_SHARE))
    rulings = [Ruling(x0, y0, x1, y1) for x0, y0, x1, y1 in _segments(long_runs(dark, k), thick, k)]
    across = long_runs(np.ascontiguousarray(dark.T), k)  # vertical runs, as rows of the transposed page
    rulings += [Ruling(x0, y0, x1, y1) for y0, x0, y1, x1 in _segments(across, thick, k)]
    tol = max(3.0, w * TOL_SHARE)
    # only lines touching the grid are erased: a bold "TT" has a 6 mm bar too
    return [PageGrid(grid, grid.rulings) for grid in find_grids(rulings, tol=tol, min_len=k)]


def erase_rulings(gray: Image.Image, grids: list[PageGrid]) -> Image.Image:
    """The page with the grids' lines painted over, so that OCR sees only the cell text."""
    if not grids:
        return gray
    a = np.array(gray.convert("L"))
    paper = int(np.percentile(a, 90))  # fill with the paper's grey: a white stripe would be an edge
    for pg in grids:
        for r in pg.rulings:
            y0, y1 = max(0, int(r.y0) - ERASE_PAD), int(r.y1) + ERASE_PAD + 1
            x0, x1 = max(0, int(r.x0) - ERASE_PAD), int(r.x1) + ERASE_PAD + 1
            a[y0:y1, x0:x1] = paper
    return Image.fromarray(a)


def cell_words(grid: Grid, words: list) -> dict[int, list]:
    """OCR words (with text/left/top/right/bottom) by the cell that holds their box centre."""
    out: dict[int, list] = {}
    for w in words:
        cell = grid.cell((w.left + w.right) / 2, (w.top + w.bottom) / 2)
        if cell is not None:
            out.setdefault(cell, []).append(w)
    return out


def _doubtful(words: list) -> bool:
    """A cell worth a second reading: short text (lone numbers such as "2.3" are where the
    page-level reading fails: taken for noise or read as letters) or low confidence."""
    chars = sum(len(w.text) for w in words)
    return chars <= SHORT_CELL or statistics.fmean(w.conf for w in words) < DOUBTFUL_CONF


def reread_cells(gray: Image.Image, page_grid: PageGrid, words: list,
                 read: Callable[[Image.Image], list]) -> None:
    """Read doubtful and seemingly empty cells again: their crops, binarized (page threshold,
    after a light blur against speckle), are stacked into one strip that `read` OCRs at once;
    the strip's words are mapped back to page coordinates into `page_grid.reread`."""
    grid = page_grid.grid
    a = np.asarray(gray.convert("L"))
    threshold = otsu_threshold(a)
    found = cell_words(grid, words)
    inset = int(max(3.0, gray.width * TOL_SHARE)) // 2 + ERASE_PAD
    boxes: dict[int, list[int]] = {}
    nr, nc = len(grid.ys) - 1, len(grid.xs) - 1
    for r in range(nr):
        for c in range(nc):
            cell = grid.cell((grid.xs[c] + grid.xs[c + 1]) / 2, (grid.ys[r] + grid.ys[r + 1]) / 2)
            box = [int(grid.xs[c]), int(grid.ys[r]), int(grid.xs[c + 1]), int(grid.ys[r + 1])]
            if cell in boxes:  # a merged cell: the union of its grid cells
                old = boxes[cell]
                boxes[cell] = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3])]
            else:
                boxes[cell] = box
    crops: list[tuple[int, tuple[int, int], Image.Image]] = []
    for cell, (x0, y0, x1, y1) in boxes.items():
        if cell in found and not _doubtful(found[cell]):
            continue
        x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
        if x1 - x0 < 8 or y1 - y0 < 8 or not (a[y0:y1, x0:x1] <= threshold).any():
            continue
        crop = gray.crop((x0, y0, x1, y1)).filter(ImageFilter.GaussianBlur(CROP_BLUR))
        crops.append((cell, (x0, y0), crop.point(lambda v: 0 if v <= threshold else 255)))
    if not crops:
        return
    gap = max(40, max(c.height for _, _, c in crops) // 4)
    strip = Image.new("L", (max(c.width for _, _, c in crops) + 2 * gap,
                            sum(c.height + gap for _, _, c in crops) + gap), 255)
    spans: list[tuple[int, int, int, tuple[int, int]]] = []  # strip y range -> cell, page origin
    y = gap
    for cell, origin, crop in crops:
        strip.paste(crop, (gap, y))
        spans.append((y, y + crop.height, cell, origin))
        y += crop.height + gap
    page_grid.reread = {cell: [] for _, _, cell, _ in spans}
    for w in read(strip):
        cy = (w.top + w.bottom) / 2
        for top, bottom, cell, (ox, oy) in spans:
            if top <= cy <= bottom:
                dx, dy = ox - gap, oy - top
                page_grid.reread[cell].append(replace(w, left=w.left + dx, right=w.right + dx,
                                                      top=w.top + dy, bottom=w.bottom + dy))
                break
    # a second reading that finds nothing keeps the first one
    page_grid.reread = {cell: ws for cell, ws in page_grid.reread.items() if ws}


def table_block(page_grid: PageGrid, words: list, page: int, clean: Callable[[str], str]) -> Block:
    """A table Block from the OCR words whose centres fall in the grid's cells (re-read cells
    take their second reading); `clean` repairs a cell's text like a paragraph's."""
    grid = page_grid.grid
    first_reading = cell_words(grid, words)
    kept = roman_group_cells(grid, first_reading)
    cell_words_ = {**first_reading, **{c: ws for c, ws in page_grid.reread.items() if c not in kept}}
    cell_words_.update({c: [w for w in first_reading[c] if _printed(w.text)] for c in kept})
    texts = {cell: clean(join_lines(_cell_lines(ws))) for cell, ws in cell_words_.items()}
    rows = grid.rows(texts, "", bool)
    return Block("table", page=page, rows=[[Cell(t) for t in row] for row in rows])


_ROMAN_NUMERAL = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
# numerals of two or more strokes that show a column numbers its groups so: on one page part of a
# table (a page may hold only "I" and "II"), and in the whole table (numbering repairs)
MIN_ROMAN_ON_PAGE = 1
MIN_ROMAN_GROUPS = 2


def _printed(text: str) -> bool:
    """Holds a letter or digit (not only marks such as a lone "ˆ", a modifier letter read from a speck)."""
    return any(unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Nd") for ch in text)


def _roman(text: str) -> bool:
    return bool(text) and _ROMAN_NUMERAL.fullmatch(text) is not None


def roman_group_cells(grid: Grid, page: dict[int, list]) -> set[int]:
    """First-column cells whose page-level reading is a Roman group numeral ("I", "II", "VI"), in
    a column that numbers its groups so (one such numeral of several strokes): their
    reading is kept over the cell's second reading, which takes lone strokes for digits or
    letters ("I" -> "1", "II" -> "H", "VI" -> "VỊ"): the binarized crop thins the serifs."""
    nr = len(grid.ys) - 1
    x = (grid.xs[0] + grid.xs[1]) / 2
    first = {grid.cell(x, (grid.ys[r] + grid.ys[r + 1]) / 2) for r in range(nr)}
    texts = {c: "".join(w.text for w in page[c] if _printed(w.text)) for c in first if c in page}
    romans = {c for c, t in texts.items() if _roman(t)}
    return romans if sum(len(texts[c]) > 1 for c in romans) >= MIN_ROMAN_ON_PAGE else set()


def _cell_lines(words: list) -> list[str]:
    """Words of one cell as visual lines (by vertical centre), each left to right."""
    words = sorted(words, key=lambda w: (w.top + w.bottom) / 2)
    height = statistics.median(w.bottom - w.top for w in words)
    lines: list[list] = []
    ref = None
    for w in words:
        cy = (w.top + w.bottom) / 2
        if ref is not None and abs(cy - ref) < 0.5 * height:
            lines[-1].append(w)
            continue
        lines.append([w])
        ref = cy
    return [" ".join(x.text for x in sorted(line, key=lambda w: w.left)) for line in lines]


# --- the number column --------------------------------------------------------------------------

_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,2}\.?$")
# shapes the vie model gives lone digits in a narrow cell ("7.1" read "Z1", "5.1" read "S.1")
_DIGIT_LOOKALIKES = str.maketrans({"Z": "7", "z": "7", "S": "5", "s": "5", "O": "0", "o": "0", "l": "1",
                                   "I": "1", "|": "1", "B": "8", "g": "9", ",": "."})
MAX_NUMBER_EDITS = 1


def _next_numbers(prev: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Numbers that may follow `prev` in a numbered table: next sibling, first child, next
    item of any parent level."""
    out = [(*prev[:-1], prev[-1] + 1)]
    if len(prev) < 3:
        out.append((*prev, 1))
    for depth in range(len(prev) - 1, 0, -1):
        out.append((*prev[: depth - 1], prev[depth - 1] + 1))
        out.append((*prev[: depth - 1], prev[depth - 1] + 1, 1))
    return list(dict.fromkeys(out))


def repair_numbering(table: Block) -> None:
    """Fix OCR misreadings in the first column of a numbered table ("TT": 1, 1.1, 1.2, 2, ...):
    a cell that is not a number the sequence allows, but is one edit away from exactly one
    such number (after mapping digit look-alikes), is read as that number. Only when the column
    is mostly numbers already; empty cells (continued rows) stay empty."""
    rows = table.rows or []
    firsts = [r[0] for r in rows if r and r[0].text.strip()]
    if len(firsts) < 3 or sum(bool(_NUMBER.match(c.text.strip())) for c in firsts) < 0.6 * len(firsts):
        return
    roman_groups = sum(_roman(c.text.strip()) and len(c.text.strip()) > 1 for c in firsts) >= MIN_ROMAN_GROUPS
    prev: tuple[int, ...] | None = None
    last: tuple[str, str] = ("", "")  # the previous number as read and as repaired
    for row in rows:
        cell = row[0]
        text = cell.text.strip()
        if not text:
            continue
        if roman_groups and _roman(text):  # a group ("II"): its items are numbered from 1 again
            prev, last = None, (text, text)
            continue
        if text == last[0]:  # sub-rows repeat a vertically merged number cell
            cell.text = last[1]
            continue
        options = {".".join(map(str, n)): n for n in _next_numbers(prev)} if prev else {}
        guess = text.translate(_DIGIT_LOOKALIKES).replace(" ", "").rstrip(".")
        close = [s for s in options if s.replace(".", "") == guess.replace(".", "")]  # a lost dot
        if len(close) != 1:
            close = [s for s in options if Levenshtein.distance(guess, s) <= MAX_NUMBER_EDITS]
        if prev and text.rstrip(".") not in options and len(close) == 1 and len(text) <= 6:
            cell.text = close[0]
        if _NUMBER.match(cell.text.strip()):
            prev = tuple(int(p) for p in cell.text.strip().rstrip(".").split("."))
        last = (text, cell.text)
