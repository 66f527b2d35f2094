"""Header fields of the documents table (placeholder; the header owner replaces it)."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import PlanDoc


@dataclass
class Field:
    """One extracted document-level value with its evidence span in PlanDoc.text."""

    value: object
    start: int | None = None
    end: int | None = None


def extract_header(doc: PlanDoc) -> dict[str, Field]:
    """Values for DocumentRow fields (title, doc_type, doc_number, doc_symbol, issuer,
    admin_level, locality_type, locality, district, province, issue_place, issue_date,
    period_start_year, period_end_year, index_families, signer_name, signer_title,
    signing_authority, funding_source), keyed by DocumentRow field name."""
    return {}
