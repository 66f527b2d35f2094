"""Typed rows of the output tables (see SCHEMA.md). Extra columns may be added; contracted
columns are never renamed or dropped. `doc_id` is filled by the pipeline, not by extractors."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocumentRow:
    doc_id: str
    source_path: str
    source_name: str
    file_sha256: str
    file_format: str | None  # None only for a file whose type we do not take (xlsx, exe…)
    pages: int | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    text_chars: int = 0
    title: str | None = None
    doc_type: str | None = None
    doc_number: str | None = None
    doc_symbol: str | None = None
    issuer: str | None = None
    admin_level: str | None = None
    locality_type: str | None = None
    locality: str | None = None
    district: str | None = None
    province: str | None = None
    admin_code: str | None = None
    issue_place: str | None = None
    issue_date: str | None = None
    period_start_year: int | None = None
    period_end_year: int | None = None
    index_families: list[str] = field(default_factory=list)
    signer_name: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    funding_source: str | None = None
    missing_sections: list[str] = field(default_factory=list)
    status: str = "ok"
    admin_code_2025: str | None = None  # code of the unit that took the issuer over on 2025-07-01
    unit_2025: str | None = None  # that unit: "xã Đồng Đăng" (null for districts, abolished)
    province_2025: str | None = None  # the province after the 2025 merger
    place_note: str | None = None  # why admin_code is null: "ambiguous: …", "not in the gazetteer: …"


@dataclass
class SectionRow:
    doc_id: str
    seq: int
    kind: str
    number: str | None
    heading: str
    span_start: int
    span_end: int
    page: int | None
    level: int = 1


@dataclass
class AssignmentRow:
    assignment_id: int
    section_no: str | None
    family: str | None
    index_code: str | None
    index_name_raw: str | None
    index_match_score: float | None
    criterion: str | None
    lead_units: list[str]
    support_units: list[str]
    task: str
    timing: str | None
    recurring: bool
    span_start: int
    span_end: int
    page: int | None = None
    lead_units_raw: list[str] = field(default_factory=list)  # as written, before canonicalisation
    source: str = "prose"  # prose | table
    leader: str | None = None  # the block's "Lãnh đạo phụ trách" line as written
    doc_id: str = ""


@dataclass
class DeadlineRow:
    assignment_id: int | None
    date: str | None  # None for a recurring deadline that names no single last day
    kind: str  # by_date, by_quarter, by_month, recurring
    raw: str
    span_start: int
    span_end: int
    page: int | None = None
    doc_id: str = ""


@dataclass
class ScoreRow:
    family: str | None
    index_code: str | None
    indicator: str | None
    kind: str  # target, result, weight
    value: float
    unit: str  # điểm, %
    comparator: str | None
    year: int | None
    rank: int | None
    rank_of: int | None
    change: float | None
    raw: str
    span_start: int
    span_end: int
    page: int | None = None
    doc_id: str = ""


@dataclass
class PersonRow:
    name: str
    title: str | None
    roles: list[str]
    index_codes: list[str]
    variants: list[str]
    span_start: int
    span_end: int
    doc_id: str = ""


@dataclass
class ReferenceRow:
    doc_kind: str
    number: str | None
    date: str | None
    issuer: str | None
    is_basis: bool
    raw: str
    span_start: int
    span_end: int
    doc_id: str = ""


@dataclass
class AuditRow:
    doc_id: str
    check: str
    passed: bool
    severity: str  # error, warning
    detail: str


@dataclass
class ErrorRow:
    source_path: str
    doc_id: str | None
    stage: str  # read, ocr, segment, extract, write
    error_type: str
    message: str
