"""Scores (placeholder; the scores owner replaces it)."""
from __future__ import annotations

from pipeline.model import PlanDoc
from pipeline.rows import ScoreRow


def extract_scores(doc: PlanDoc) -> list[ScoreRow]:
    return []
