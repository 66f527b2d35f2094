"""References (placeholder; the references owner replaces it)."""
from __future__ import annotations

from pipeline.model import PlanDoc
from pipeline.rows import ReferenceRow


def extract_references(doc: PlanDoc) -> list[ReferenceRow]:
    return []
