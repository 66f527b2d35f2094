"""People (placeholder; the people owner replaces it)."""
from __future__ import annotations

from pipeline.model import PlanDoc
from pipeline.rows import AssignmentRow, PersonRow


def extract_people(doc: PlanDoc, assignments: list[AssignmentRow]) -> list[PersonRow]:
    return []
