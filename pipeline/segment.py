"""Segmenter: fills PlanDoc.outline (numbered headings and their bodies) and PlanDoc.sections
(top-level parts with SCHEMA kinds). First version: no outline, the whole text as preamble."""
from __future__ import annotations

from .model import PlanDoc, Section


def segment(doc: PlanDoc) -> PlanDoc:
    doc.outline = []
    doc.sections = [Section(1, "preamble", None, "", 0, len(doc.text), doc.page_at(0))] if doc.text else []
    return doc
