"""Deadlines (placeholder; the deadlines owner replaces it)."""
from __future__ import annotations

from pipeline.model import PlanDoc
from pipeline.rows import AssignmentRow, DeadlineRow


def extract_deadlines(doc: PlanDoc, assignments: list[AssignmentRow]) -> list[DeadlineRow]:
    """Every dated commitment; `assignment_id` is the assignment whose span contains it."""
    return []
