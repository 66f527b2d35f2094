"""Runs every stage on one file and collects all its rows. Never raises: each failure becomes
an ErrorRow with its stage, and the document's status says what happened."""
from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from extractors.assignments import extract_assignments
from extractors.deadlines import extract_deadlines, fill_timings
from extractors.header import extract_header
from extractors.people import extract_people
from extractors.references import extract_references
from extractors.scores import extract_scores

from .assemble import assemble
from .audit import run_audit
from .guards import check_file
from .identity import display_name, doc_id_of, file_sha256, format_from_suffix, relative_name
from .model import PlanDoc
from .readers import ReadError, read_file
from .rows import (
    AssignmentRow,
    AuditRow,
    DeadlineRow,
    DocumentRow,
    ErrorRow,
    PersonRow,
    ReferenceRow,
    ScoreRow,
    SectionRow,
)
from .segment import segment

REQUIRED_SECTION_KINDS = ("purpose", "assignments", "funding", "implementation")


@dataclass
class DocResult:
    """Everything one input file produced: the per-document record stored as json/<doc_id>.json."""

    document: DocumentRow
    text: str = ""
    sections: list[SectionRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    scores: list[ScoreRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    references: list[ReferenceRow] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    evidence: dict[str, list[int | None]] = field(default_factory=dict)  # header field -> span

    def to_record(self) -> dict[str, Any]:
        """The record as plain dicts and lists (what asdict gives, without its deep copy: every
        row is a flat dataclass of scalars and lists of scalars, and the record is only read,
        pickled or encoded)."""
        record: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if is_dataclass(value):
                value = dict(vars(value))
            elif isinstance(value, list):
                value = [dict(vars(v)) if is_dataclass(v) else v for v in value]
            record[f.name] = value
        return record


def process_file(path: Path, input_dir: Path, ocr: str = "auto", sha256: str | None = None) -> DocResult:
    """Read, normalize, segment, extract and audit one file. Never raises."""
    result = _process(path, input_dir, ocr, sha256)
    try:
        result.audit = run_audit(result)
    except Exception as exc:  # an audit bug must not lose the document
        result.errors.append(ErrorRow(result.document.source_path, result.document.doc_id, "extract",
                                      type(exc).__name__, _message(exc)))
    return result


def _process(path: Path, input_dir: Path, ocr: str, sha256: str | None) -> DocResult:
    rel = relative_name(path, input_dir)
    sha = sha256 or file_sha256(path)
    doc_id = doc_id_of(sha)
    row = DocumentRow(doc_id=doc_id, source_path=rel, source_name=display_name(path.name), file_sha256=sha,
                      file_format=format_from_suffix(path))
    result = DocResult(document=row)

    def fail(stage: str, exc: BaseException, error_type: str | None = None) -> None:
        result.errors.append(ErrorRow(rel, doc_id, stage, error_type or type(exc).__name__,
                                      _message(exc)))

    try:
        notes = check_file(path)  # resource limits and lying extensions, before any parser runs
        read = read_file(path, ocr=ocr)
        read.warnings[:0] = notes
    except ReadError as exc:
        fail(exc.stage, exc, exc.error_type)
        row.status = "error"
        return result
    except Exception as exc:  # a reader bug must not stop the batch
        fail("read", exc)
        row.status = "error"
        return result
    row.file_format, row.pages, row.ocr, row.ocr_confidence = (
        read.file_format, read.pages, read.ocr, read.ocr_confidence)
    for warning in read.warnings:
        result.errors.append(ErrorRow(rel, doc_id, "ocr" if read.ocr else "read", "warning", warning))

    doc = PlanDoc(doc_id=doc_id, source_path=rel, source_name=path.name, file_sha256=sha,
                  file_format=read.file_format, blocks=read.blocks, pages=read.pages, ocr=read.ocr,
                  ocr_confidence=read.ocr_confidence)
    try:
        assemble(doc)
        segment(doc)
    except Exception as exc:
        fail("segment", exc)
        row.status = "error"
        return result
    result.text = doc.text
    row.text_chars = len(doc.text)
    if not doc.text.strip():
        result.errors.append(ErrorRow(rel, doc_id, "read", "empty_document", "no text could be read"))
        row.status = "error"
        return result
    result.sections = [
        SectionRow(doc_id, s.seq, s.kind, s.number, s.heading, s.start, s.end, s.page,
                   s.level)
        for s in doc.sections
    ]
    _extract_all(doc, result, fail)
    present = {s.kind for s in doc.sections}
    row.missing_sections = [k for k in REQUIRED_SECTION_KINDS if k not in present]
    if read.lost_pages or any(e.stage in ("extract", "segment") for e in result.errors):
        row.status = "partial"
    return result


def _extract_all(doc: PlanDoc, result: DocResult, fail: Callable[[str, BaseException], None]) -> None:
    row = result.document

    def attempt(fn: Callable[[], Any], default: Any) -> Any:
        try:
            return fn()
        except Exception as exc:
            fail("extract", exc)
            return default

    header = attempt(lambda: extract_header(doc), {})
    for name, value in header.items():
        if hasattr(row, name) and name not in ("doc_id", "status"):
            setattr(row, name, value.value)
            result.evidence[name] = [value.start, value.end]
    result.assignments = attempt(lambda: extract_assignments(doc), [])
    result.deadlines = attempt(lambda: extract_deadlines(doc, result.assignments), [])
    attempt(lambda: fill_timings(result.assignments, result.deadlines), None)
    result.scores = attempt(lambda: extract_scores(doc), [])
    result.people = attempt(lambda: extract_people(doc, result.assignments), [])
    result.references = attempt(lambda: extract_references(doc), [])
    families = list(row.index_families or [])
    for a in result.assignments:
        if a.family and a.family not in families:
            families.append(a.family)
    row.index_families = families
    for rows in (result.assignments, result.deadlines, result.scores, result.people, result.references):
        for r in rows:
            r.doc_id = doc.doc_id
            if hasattr(r, "page") and r.page is None:
                r.page = doc.page_at(r.span_start)


def _message(exc: BaseException) -> str:
    """The message for the errors table: a ReadError speaks to the clerk as it is; any other
    exception is a bug, so its location is added for the developers."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, ReadError):
        return text[:500]
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return (text + where)[:500]


def load_plan(path: Path, ocr: str = "auto") -> PlanDoc:
    """Read, assemble and segment one file into a PlanDoc (for extractors' tests and tools).
    Unlike process_file it raises on failure."""
    sha = file_sha256(path)
    read = read_file(path, ocr=ocr)
    doc = PlanDoc(doc_id=doc_id_of(sha), source_path=path.name, source_name=path.name, file_sha256=sha,
                  file_format=read.file_format, blocks=read.blocks, pages=read.pages, ocr=read.ocr,
                  ocr_confidence=read.ocr_confidence)
    return segment(assemble(doc))


WARM_UP_TEXT = """UBND XÃ MẪU
Số: 01/KH-UBND
KẾ HOẠCH
Thực hiện cải thiện chỉ số DDCI năm 2024
Căn cứ Kế hoạch số 02/KH-UBND ngày 01/02/2024 của UBND huyện Mẫu.
I. MỤC ĐÍCH, YÊU CẦU
II. NỘI DUNG VÀ PHÂN CÔNG NHIỆM VỤ
1. Chỉ số "Tính minh bạch và tiếp cận thông tin" đạt 8,25 điểm trở lên
- Công chức phụ trách: Văn hóa - xã hội. Thời gian thực hiện: trước ngày 15/03/2024.
III. KINH PHÍ
IV. TỔ CHỨC THỰC HIỆN
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn Mẫu
"""


def warm_up() -> None:
    """Load every vocabulary, catalog and lazy import once (about a second), so that worker
    processes forked afterwards start with warm caches instead of paying it per worker."""
    from .model import Block

    doc = PlanDoc(doc_id="warm-up", source_path="", source_name="", file_sha256="", file_format="txt",
                  blocks=[Block("paragraph", line) for line in WARM_UP_TEXT.splitlines()])
    try:
        segment(assemble(doc))
        _extract_all(doc, DocResult(document=DocumentRow("warm-up", "", "", "", "txt")), lambda *a: None)
        import docx  # noqa: F401  (python-docx and lxml: shared by the forked workers, not loaded by each)
        import pypdfium2  # noqa: F401

        import pipeline.readers.docx  # noqa: F401
        import pipeline.readers.pdf  # noqa: F401
    except Exception:  # only an optimisation: a failure here shows up again on real files
        pass
