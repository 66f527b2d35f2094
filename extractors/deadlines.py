"""Deadlines: every dated commitment of the plan (SCHEMA `deadlines`).

`normalizers.dates.find_dates` finds every date expression; a date is a commitment when a
commitment word ends right before it ("xong trước ngày 15/03/2023", "trong Quý I năm 2023",
"chậm nhất …"), when a timing label opens its clause ("Thời gian thực hiện: Quý II/2023"), or when
it stands in the timing column of a table. Dates of cited documents, issue dates, years and
periods ("năm 2023", "giai đoạn 2023 - 2025") and undated recurrences ("thường xuyên", "định kỳ")
are not deadlines. A bare "Quý I" takes the plan's first year.

Recurring deadlines ("trước ngày 20 tháng cuối Quý", "Quý IV hàng năm") have kind `recurring`
and date None: they name no single last day.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.scores import plan_years
from normalizers.dates import DateMatch, find_dates
from normalizers.text import fold_same_length
from pipeline.model import Cell, PlanDoc
from pipeline.resources import read_toml
from pipeline.rows import AssignmentRow, DeadlineRow

_LOOKBACK = 160  # characters searched before a date for its cue or label
_KINDS = ("by_date", "by_quarter", "by_month", "recurring")


@dataclass(frozen=True)
class _Phrases:
    cue: re.Pattern[str]
    not_cue: re.Pattern[str]
    start_date: re.Pattern[str]
    timing_label: re.Pattern[str]
    citation: re.Pattern[str]
    clause_end: re.Pattern[str]
    recurring_dated: re.Pattern[str]
    recurring_cue: re.Pattern[str]
    label_before: re.Pattern[str]
    label_after: re.Pattern[str]
    day_month_cue: re.Pattern[str]


@lru_cache(maxsize=1)
def _phrases() -> _Phrases:
    return _Phrases(**{k: re.compile(v) for k, v in read_toml("deadline_phrases.toml").items()})


def _clause_start(key: str, pos: int) -> int:
    """Start of the clause that contains `pos` (bounded by _LOOKBACK)."""
    lo = max(0, pos - _LOOKBACK)
    ends = [m.end() for m in _phrases().clause_end.finditer(key, lo, pos)]
    return ends[-1] if ends else lo


def _timing_cell(doc: PlanDoc, pos: int) -> bool:
    """Whether `pos` is in a table cell under a timing header ("Thời gian thực hiện")."""
    table = next((b for b in doc.blocks if b.kind == "table" and b.start <= pos < b.end), None)
    if table is None or not table.rows:
        return False
    for row in table.rows:
        for col, cell in enumerate(row):
            if cell.start <= pos < cell.end:
                return any(_is_timing_header(r, col) for r in table.rows[:3])
    return False


def _is_timing_header(row: list[Cell], col: int) -> bool:
    return col < len(row) and bool(_phrases().timing_label.search(fold_same_length(row[col].text)))


def _evidence_start(doc: PlanDoc, key: str, m: DateMatch) -> int | None:
    """Where the evidence of a committed date starts (its cue, or the date itself); None when
    the date is no commitment."""
    p = _phrases()
    start = _clause_start(key, m.start)
    before = key[start:m.start]
    if p.citation.search(before) or p.start_date.search(before):
        return None
    if m.form == "day_month":  # "trước 15/10": only right after a cue (else a ratio or a rank)
        cue = p.day_month_cue.search(before)
        if cue:
            return start + cue.start()
        return m.start if _timing_cell(doc, m.start) and not before.strip() else None
    cue = p.cue.search(before)
    if cue and not p.not_cue.search(before[:cue.start()]):
        return start + cue.start()
    if m.kind == "recurring" and (cue := p.recurring_cue.search(before)):
        return start + cue.start()
    if p.timing_label.search(before) or _timing_cell(doc, m.start) or _line_label(key, m):
        return m.start
    return None


def _line_label(key: str, m: DateMatch) -> bool:
    """Whether the date is the label that opens its line: "3. Tháng 4 - 5/2025: Sắp xếp lại…"."""
    line_start = key.rfind("\n", 0, m.start) + 1
    p = _phrases()
    return bool(p.label_before.match(key, line_start, m.start) and p.label_after.match(key, m.end))


def _assignment_of(pos: int, assignments: list[AssignmentRow]) -> int | None:
    """The innermost assignment whose span contains `pos`."""
    inside = [a for a in assignments if a.span_start <= pos < a.span_end]
    return min(inside, key=lambda a: a.span_end - a.span_start).assignment_id if inside else None


def extract_deadlines(doc: PlanDoc, assignments: list[AssignmentRow]) -> list[DeadlineRow]:
    """Every dated commitment; `assignment_id` is the assignment whose span contains it."""
    if not doc.text:
        return []
    p = _phrases()
    key = fold_same_length(doc.text)
    first_year, _ = plan_years(doc)
    rows: list[DeadlineRow] = []
    for m in find_dates(doc.text, default_year=first_year):
        if m.kind not in _KINDS:
            continue
        if m.kind == "recurring" and not p.recurring_dated.search(key, m.start, m.end):
            continue
        if m.kind == "by_date" and m.precision != "day":
            continue  # a draft's blank day ("ngày … tháng 03 năm 2023") is an issue date
        start = _evidence_start(doc, key, m)
        if start is None:
            continue
        rows.append(DeadlineRow(assignment_id=_assignment_of(start, assignments), date=m.iso or None,
                                kind=m.kind, raw=doc.text[start:m.end], span_start=start, span_end=m.end))
    return rows



def fill_timings(assignments: list[AssignmentRow], deadlines: list[DeadlineRow]) -> None:
    """An assignment without a timing label takes the commitments written in its own task ("…;
    hoàn thành trước ngày 30/9/2024") and the recurrences that close a clause of it ("…; thực hiện
    thường xuyên.", "định kỳ 6 tháng một lần"), as written and in the task's order: the timing an
    analyst reads in the plan."""
    for a in assignments:
        if a.timing:
            continue
        found = _task_timings(a.task, [d for d in deadlines if d.assignment_id == a.assignment_id])
        if found:
            a.timing = "; ".join(dict.fromkeys(raw for _, _, raw, _ in found))
            a.recurring = a.recurring or any(rec for _, _, _, rec in found)


@lru_cache(maxsize=1)
def _recurring_timing() -> re.Pattern[str]:
    return re.compile(read_toml("assignment_labels.toml")["recurring_timing"])


def _task_timings(task: str, own: list[DeadlineRow]) -> list[tuple[int, int, str, bool]]:
    """(start, end, raw, recurring) of the task's deadlines and clause-closing recurrences, in the
    task's order; a recurrence inside a deadline's text ("trước ngày 20 hằng tháng") is that deadline."""
    found: list[tuple[int, int, str, bool]] = []
    for k, d in enumerate(own):
        at = task.find(d.raw)
        start = at if at >= 0 else len(task) + k  # not in the task text: after it, in document order
        found.append((start, start + len(d.raw) if at >= 0 else start, d.raw, d.kind == "recurring"))
    for m in _recurring_timing().finditer(fold_same_length(task)):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if not any(s < m.end() and start < e for s, e, _, _ in found):
            found.append((start, m.end(), task[start:m.end()], True))
    return sorted(found)
