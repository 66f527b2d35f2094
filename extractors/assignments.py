"""Assignments (placeholder; the assignments owner replaces it)."""
from __future__ import annotations

from pipeline.model import PlanDoc
from pipeline.rows import AssignmentRow


def extract_assignments(doc: PlanDoc) -> list[AssignmentRow]:
    return []
