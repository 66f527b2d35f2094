"""Ruled tables, shared by the text-PDF reader (rulings from path objects, in points) and the OCR
reader (rulings found on the page image, in pixels): rulings → grids (one per set of touching
lines) → cells, where a missing line segment merges two cells; and a table that a page break cut
joined to its first part (repeated header rows dropped, a split row re-joined).

Conventions of the table Blocks: a merged cell's text is repeated in every position it covers;
rows with no text at all are dropped.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from ..model import Block, Cell
from .text import join_lines

T = TypeVar("T")
SAME_ROW = 90  # fuzzy ratio at which a row on the next page repeats a header row


@dataclass
class Ruling:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.y1 - self.y0)


def cluster(values: list[float], tol: float = 2.0) -> list[float]:
    """Sorted distinct positions: values within `tol` of the previous kept one are the same line."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _union_find(n: int) -> tuple[list[int], Callable[[int], int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return parent, find


def components(hs: list[Ruling], vs: list[Ruling], tol: float = 2.0) -> list[tuple[list[Ruling], list[Ruling]]]:
    """Groups of horizontal and vertical rulings that touch each other (one grid each)."""
    parent, find = _union_find(len(hs) + len(vs))
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if v.x0 - tol <= h.x1 and h.x0 - tol <= v.x1 and h.y0 - tol <= v.y1 and v.y0 - tol <= h.y1:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Ruling], list[Ruling]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


class Grid:
    """Cell grid of one ruled table: column edges `xs`, row edges `ys`; two neighbouring cells
    are one (merged) cell where the line between them is missing."""

    def __init__(self, xs: list[float], ys: list[float], hs: list[Ruling], vs: list[Ruling], tol: float = 2.0):
        self.xs, self.ys = xs, ys
        self.rulings = hs + vs
        nr, nc = len(ys) - 1, len(xs) - 1
        slack = tol / 2

        # the rulings along each inner column (row) edge, found once rather than for every cell
        on_x = [[v for v in vs if abs((v.x0 + v.x1) / 2 - x) <= tol] for x in xs[1:-1]]
        on_y = [[h for h in hs if abs((h.y0 + h.y1) / 2 - y) <= tol] for y in ys[1:-1]]

        def has_v(c: int, y: float) -> bool:  # a line along the right edge of column c at height y
            return any(v.y0 - slack <= y <= v.y1 + slack for v in on_x[c])

        def has_h(r: int, x: float) -> bool:  # a line along the bottom edge of row r at x
            return any(h.x0 - slack <= x <= h.x1 + slack for h in on_y[r])

        parent, find = _union_find(nr * nc)
        for r in range(nr):
            ym = (ys[r] + ys[r + 1]) / 2
            for c in range(nc):
                xm = (xs[c] + xs[c + 1]) / 2
                if c + 1 < nc and not has_v(c, ym):
                    parent[find(r * nc + c + 1)] = find(r * nc + c)
                if r + 1 < nr and not has_h(r, xm):
                    parent[find((r + 1) * nc + c)] = find(r * nc + c)
        self._nr, self._nc = nr, nc
        self._ids = [find(i) for i in range(nr * nc)]  # merged cell id of each raw cell, looked up per word

    @property
    def y0(self) -> float:
        return self.ys[0]

    def contains(self, cx: float, cy: float, slack: float = 1.0) -> bool:
        return self.xs[0] - slack <= cx <= self.xs[-1] + slack and self.ys[0] - slack <= cy <= self.ys[-1] + slack

    def cell(self, cx: float, cy: float) -> int | None:
        """The (merged) cell id of a point inside the grid, else None."""
        xs, ys = self.xs, self.ys
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            return None
        nr, nc = self._nr, self._nc
        # the first column (row) whose right (bottom) line is at or past the point; xs, ys are sorted
        c = min(bisect.bisect_left(xs, cx, 1) - 1, nc - 1)
        r = min(bisect.bisect_left(ys, cy, 1) - 1, nr - 1)
        return self._ids[r * nc + c]

    def rows(self, values: dict[int, T], empty: T, has_text: Callable[[T], bool]) -> list[list[T]]:
        """Rows × columns of cell values (merged cells repeated); rows without text dropped."""
        nr, nc, ids = self._nr, self._nc, self._ids
        rows = [[values.get(ids[r * nc + c], empty) for c in range(nc)] for r in range(nr)]
        return [row for row in rows if any(has_text(v) for v in row)]


def find_grids(rulings: list[Ruling], tol: float = 2.0, min_len: float = 5.0) -> list[Grid]:
    """Grids of the touching horizontal/vertical rulings on a page (at least two cells each)."""
    hs = [r for r in rulings if r.horizontal and r.x1 - r.x0 > min_len]
    vs = [r for r in rulings if not r.horizontal and r.y1 - r.y0 > min_len]
    if len(hs) < 2 or len(vs) < 2:
        return []
    grids = []
    for comp_h, comp_v in components(hs, vs, tol):
        xs = cluster([(v.x0 + v.x1) / 2 for v in comp_v], tol)
        ys = cluster([(h.y0 + h.y1) / 2 for h in comp_h], tol)
        if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) < 2:
            continue
        grids.append(Grid(xs, ys, comp_h, comp_v, tol))
    return grids


# --- across pages ----------------------------------------------------------------------------


def same_columns(a: Block, b: Block) -> bool:
    return bool(a.rows and b.rows) and len(a.rows[0]) == len(b.rows[0])


def _same_row(a: list[str], b: list[str]) -> bool:
    """Same row text, tolerating OCR noise (a header repeated on the next page is read anew)."""
    return a == b or fuzz.ratio(" | ".join(a), " | ".join(b)) >= SAME_ROW


def _continues_row(prev: list[Cell], cont: list[Cell]) -> bool:
    """The next page's first row (first cell empty) goes on with the row above: a cell of it starts in
    lowercase, or every filled cell continues a cell above left open by a list mark ("Sở X;" then
    "Sở Y"); else it is a row of its own beside vertically merged cells."""
    filled = [(pc.text.rstrip(), cc.text) for pc, cc in zip(prev, cont, strict=False) if cc.text]
    return bool(filled) and (any(c[:1].islower() for _, c in filled)
                             or all(p.endswith((";", ",")) for p, _ in filled))


def append_table(table: Block, more: Block) -> None:
    """Continue `table` with the rows of its next-page part: drop the repeated header rows,
    join a row that the page break split (first cell empty), fill vertically merged cells."""
    rows = list(more.rows or [])
    head = [[c.text for c in r] for r in (table.rows or [])[:3]]
    while rows and head and any(_same_row([c.text for c in rows[0]], h) for h in head):
        rows.pop(0)
    assert table.rows is not None
    if rows and table.rows and not rows[0][0].text:
        cont, prev = rows.pop(0), table.rows[-1]
        if _continues_row(prev, cont):
            for pc, cc in zip(prev, cont, strict=False):
                if cc.text:
                    pc.text = join_lines([pc.text, cc.text])
        else:
            table.rows.append([Cell(cc.text or pc.text, bold=cc.bold) for pc, cc in zip(prev, cont, strict=False)])
    table.rows.extend(rows)
