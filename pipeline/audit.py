"""Audit checks: one row per document and check, driven by pipeline/data/audit_rules.toml.

The rules file says which checks run, their severity and thresholds; this module only knows how
to evaluate each kind of `test`. Checks work on the per-document record (DocResult.to_record()
or OUT/json/<doc_id>.json), so `vnplan audit` can recompute them from stored records."""
from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .resources import read_toml
from .rows import AuditRow

if TYPE_CHECKING:
    from .run import DocResult

SEVERITIES = ("error", "warning")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIST_SHOWN = 8  # offending rows named in a detail before "…"
UNREADABLE = "document could not be read"


class RulesError(ValueError):
    """The rules file cannot be read or names an unknown test/severity."""


@dataclass
class Finding:
    """One evaluated check, with the evidence spans (into the document text) behind it."""

    check: str
    passed: bool
    severity: str
    detail: str
    explain: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)

    def row(self, doc_id: str) -> AuditRow:
        return AuditRow(doc_id, self.check, self.passed, self.severity, self.detail)


@dataclass
class Outcome:
    passed: bool
    detail: str
    spans: list[tuple[int, int]] = field(default_factory=list)


# ---------------------------------------------------------------- rules

def load_rules(path: Path | None = None) -> dict[str, Any]:
    """The default rules, with the file at `path` (if any) merged over them key by key."""
    rules = copy.deepcopy(read_toml("audit_rules.toml"))
    if path is not None:
        try:
            with open(path, "rb") as f:
                user = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RulesError(f"cannot read rules file {path}: {exc}") from exc
        _merge(rules, user)
    _validate(rules)
    return rules


def _merge(base: dict, over: dict) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _validate(rules: dict) -> None:
    for name, spec in rules.get("checks", {}).items():
        if not isinstance(spec, dict):
            raise RulesError(f"check {name}: expected a table")
        if spec.get("test") not in TESTS:
            raise RulesError(f"check {name}: unknown test {spec.get('test')!r} (known: {', '.join(TESTS)})")
        if spec.get("severity", "error") not in SEVERITIES:
            raise RulesError(f"check {name}: severity must be error or warning")


def enabled_checks(rules: dict) -> list[tuple[str, dict]]:
    return [(n, s) for n, s in rules.get("checks", {}).items() if s.get("enabled", True)]


# ---------------------------------------------------------------- entry points

def run_audit(result: DocResult, rules: dict | None = None) -> list[AuditRow]:
    """One AuditRow per check for this document (rules from pipeline/data/audit_rules.toml)."""
    return [f.row(result.document.doc_id) for f in audit_record(result.to_record(), rules)]


@lru_cache(maxsize=1)
def _default_rules() -> dict[str, Any]:
    """load_rules() once per process: the checks only read the rules (callers of load_rules get
    their own copy)."""
    return load_rules()


def audit_record(record: dict[str, Any], rules: dict | None = None) -> list[Finding]:
    """Every enabled check that applies to this document, in rules order."""
    rules = rules if rules is not None else _default_rules()
    doc = record["document"]
    unreadable = doc.get("status") == "error"
    is_plan = _is_plan(record, rules)
    findings = []
    for name, spec in enabled_checks(rules):
        severity = spec.get("severity", "error")
        explain = spec.get("explain", "")
        if unreadable:
            detail = _read_error(record) if spec["test"] == "readable" else UNREADABLE
            findings.append(Finding(name, False, severity, detail, explain))
            continue
        if spec.get("plan_only", False) and not is_plan:
            continue
        out = TESTS[spec["test"]](record, spec, rules)
        findings.append(Finding(name, out.passed, severity, out.detail, explain, out.spans))
    return findings


def audit_rows(record: dict[str, Any], rules: dict | None = None) -> list[AuditRow]:
    doc_id = record["document"]["doc_id"]
    return [f.row(doc_id) for f in audit_record(record, rules)]


# ---------------------------------------------------------------- helpers

def _is_plan(record: dict, rules: dict) -> bool:
    """A plan by its type line; without one (lost header, OCR noise), by its plan-like parts."""
    spec = rules.get("plan", {})
    kind = record["document"].get("doc_type")
    if kind:
        return kind.casefold() in [t.casefold() for t in spec.get("doc_types", [])]
    signs = set(spec.get("untyped_plan_sections", []))
    return bool(record.get("assignments")) or any(s.get("kind") in signs for s in record.get("sections", []))


def _read_error(record: dict) -> str:
    errors = [e for e in record.get("errors", []) if e.get("error_type") != "warning"]
    if not errors:
        return UNREADABLE
    e = errors[0]
    return f"{UNREADABLE}: {e.get('stage')} failed ({e.get('error_type')}: {e.get('message')})"


def _span(row: dict) -> list[tuple[int, int]]:
    s, e = row.get("span_start"), row.get("span_end")
    return [(s, e)] if isinstance(s, int) and isinstance(e, int) else []


def _evidence(record: dict, name: str) -> list[tuple[int, int]]:
    span = (record.get("evidence") or {}).get(name)
    if span and len(span) == 2 and all(isinstance(x, int) for x in span):
        return [(span[0], span[1])]
    return []


def _label(a: dict) -> str:
    return a.get("section_no") or f"#{a.get('assignment_id')}"


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:LIST_SHOWN])
    return shown + (", …" if len(items) > LIST_SHOWN else "")


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and re.match(r"^\d{4}", iso) else None


# ---------------------------------------------------------------- tests

def _readable(record: dict, spec: dict, rules: dict) -> Outcome:
    doc = record["document"]
    pages = f", {doc['pages']} pages" if doc.get("pages") else ""
    ocr = f", OCR confidence {doc['ocr_confidence']:.0f}" if doc.get("ocr_confidence") is not None else ""
    chars = doc.get("text_chars", 0)
    return Outcome(True, f"{chars} characters read from {doc.get('file_format')}{pages}{ocr}")


def _extraction(record: dict, spec: dict, rules: dict) -> Outcome:
    failed = [e for e in record.get("errors", []) if e.get("stage") in ("extract", "segment")]
    if not failed:
        return Outcome(True, "every extractor ran without error")
    parts = [f"{e.get('error_type')}: {e.get('message')}" for e in failed]
    return Outcome(False, f"{len(failed)} extractor error(s): {_listed(parts)}")


def _plan_type(record: dict, spec: dict, rules: dict) -> Outcome:
    kind = record["document"].get("doc_type")
    spans = _evidence(record, "doc_type")
    if kind:
        if _is_plan(record, rules):
            return Outcome(True, f"document type {kind}", spans)
        return Outcome(False, f"document type is {kind}, not a plan: plan-only checks skipped", spans)
    if _is_plan(record, rules):
        return Outcome(True, "no document type line found; audited as a plan (it has plan sections or tasks)")
    return Outcome(False, "no document type line, no plan section and no assignment: not audited as a plan")


def _section(record: dict, spec: dict, rules: dict) -> Outcome:
    kind = spec["kind"]
    sections = record.get("sections", [])
    hits = [s for s in sections if s.get("kind") == kind and (s.get("level") or 1) == 1] or \
        [s for s in sections if s.get("kind") == kind]
    if hits:
        s = hits[0]
        page = f" (page {s['page']})" if s.get("page") else ""
        heading = " ".join(x for x in (s.get("number"), s.get("heading")) if x)
        return Outcome(True, f"section {heading}{page}".strip(), _span(s))
    found = list(dict.fromkeys(s.get("kind") for s in sections))
    return Outcome(False, f"no section of kind {kind} (found: {', '.join(found) or 'no sections'})")


def _field(record: dict, spec: dict, rules: dict) -> Outcome:
    doc = record["document"]
    name = spec["field"]
    value = doc.get(name)
    if value not in (None, "", []):
        return Outcome(True, f"{name} = {_value_text(value)}", _evidence(record, name))
    detail = f"no {spec.get('label', name)} found"
    ctx = spec.get("context_field")
    if ctx and doc.get(ctx):  # a related field that was found says why this one is empty
        note = f": {spec['context_note']}" if spec.get("context_note") else ""
        return Outcome(False, f"{detail} ({ctx} = {_value_text(doc[ctx])}{note})", _evidence(record, ctx))
    return Outcome(False, detail)


def _value_text(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def _full_date(record: dict, spec: dict, rules: dict) -> Outcome:
    date = record["document"].get("issue_date")
    spans = _evidence(record, "issue_date")
    if date and FULL_DATE.match(date):
        return Outcome(True, f"issued {date}", spans)
    if date:
        return Outcome(False, f"issue date {date} is not precise to the day (ngày left blank)", spans)
    return Outcome(False, "no issue date found (no 'ngày … tháng … năm …' line)")


def _legal_basis(record: dict, spec: dict, rules: dict) -> Outcome:
    refs = record.get("references", [])
    basis = [r for r in refs if r.get("is_basis")]
    if basis:
        names = [" ".join(x for x in (r.get("doc_kind"), r.get("number")) if x) +
                 (f" ({r['date']})" if r.get("date") else "") for r in basis]
        return Outcome(True, f"{len(basis)} legal basis: {_listed(names)}",
                       [s for r in basis for s in _span(r)])
    other = f"; {len(refs)} document(s) cited elsewhere" if refs else ""
    return Outcome(False, f"no document cited in the opening 'Căn cứ… / Thực hiện…' basis{other}")


def _share_test(rows: list[dict], missing: Callable[[dict], bool], spec: dict, what: str,
                lacks: str, has: str, label: Callable[[dict], str], none: Outcome) -> Outcome:
    """Fails when more than `max_missing_share` of `rows` miss the item; names the offenders."""
    if not rows:
        return none
    bad = [r for r in rows if missing(r)]
    spans = [s for r in bad for s in _span(r)]
    if not bad:
        return Outcome(True, f"all {len(rows)} {what} {has}")
    passed = len(bad) / len(rows) <= float(spec.get("max_missing_share", 0.0))
    return Outcome(passed, f"{len(bad)} of {len(rows)} {what} {lacks}: {_listed([label(r) for r in bad])}",
                   spans)


def _assignments_lead(record: dict, spec: dict, rules: dict) -> Outcome:
    return _share_test(record.get("assignments", []), lambda a: not a.get("lead_units"), spec,
                       "assignments", "have no lead unit", "name a lead unit", _label,
                       Outcome(False, "no assignments extracted: no lead unit to check"))


def _assignments_timing(record: dict, spec: dict, rules: dict) -> Outcome:
    return _share_test(record.get("assignments", []),
                       lambda a: not (a.get("timing") or "").strip() and not a.get("recurring"), spec,
                       "assignments", "have no timing", "say when", _label,
                       Outcome(False, "no assignments extracted: no timing to check"))


def _assignments_deadline(record: dict, spec: dict, rules: dict) -> Outcome:
    dated = {d.get("assignment_id") for d in record.get("deadlines", [])} - {None}
    return _share_test(record.get("assignments", []),
                       lambda a: a.get("assignment_id") not in dated and not a.get("recurring"), spec,
                       "assignments", "have no deadline and are not recurring",
                       "have a deadline or are recurring", _label,
                       Outcome(False, "no assignments extracted: no deadline to check"))


def _targets_year(record: dict, spec: dict, rules: dict) -> Outcome:
    targets = [s for s in record.get("scores", []) if s.get("kind") == "target"]
    return _share_test(targets, lambda s: s.get("year") is None, spec, "targets", "have no year",
                       "give their year", lambda s: (s.get("raw") or "")[:60],
                       Outcome(True, "no numeric targets stated"))


def _not_draft(record: dict, spec: dict, rules: dict) -> Outcome:
    doc = record["document"]
    signs = []
    if doc.get("doc_symbol") and not doc.get("doc_number"):
        signs.append(f"number left blank (Số: /{doc['doc_symbol']})")
    date = doc.get("issue_date")
    if date and not FULL_DATE.match(date):
        signs.append(f"day left blank in the date ({date})")
    spans = _evidence(record, "doc_symbol") + _evidence(record, "issue_date")
    if signs:
        return Outcome(False, "unsigned draft: " + "; ".join(signs), spans)
    if not doc.get("doc_symbol") and not date:
        return Outcome(True, "no header block (Số:, date line) to judge from")
    return Outcome(True, "number and full date filled in", spans)


def _period(record: dict, spec: dict, rules: dict) -> Outcome:
    doc = record["document"]
    start, end = doc.get("period_start_year"), doc.get("period_end_year")
    issued = _year(doc.get("issue_date"))
    spans = _evidence(record, "period_start_year") + _evidence(record, "issue_date")
    if start is None and end is None:
        return Outcome(True, "no plan period stated")
    if start is not None and end is not None and end < start:
        return Outcome(False, f"plan period ends ({end}) before it starts ({start})", spans)
    if issued is not None and end is not None and issued > end:
        return Outcome(False, f"issued in {issued}, after the plan period ends ({end})", spans)
    period = f"{start}–{end}" if start != end else str(start)
    return Outcome(True, f"period {period}" + (f", issued {issued}" if issued else ""), spans)


def _families_covered(record: dict, spec: dict, rules: dict) -> Outcome:
    from normalizers.indices import detect_families

    title = record["document"].get("title")
    if not title:
        return Outcome(True, "no title to read index families from")
    named = detect_families(title)
    if not named:
        return Outcome(True, "the title names no index family")
    have = {a.get("family") for a in record.get("assignments", [])}
    lacking = [f for f in named if f not in have]
    spans = _evidence(record, "title")
    if lacking:
        return Outcome(False, f"title names {', '.join(named)} but no assignment is for {', '.join(lacking)}",
                       spans)
    return Outcome(True, f"every family named in the title has assignments: {', '.join(named)}", spans)


TESTS: dict[str, Callable[[dict, dict, dict], Outcome]] = {
    "readable": _readable,
    "extraction": _extraction,
    "plan_type": _plan_type,
    "section": _section,
    "field": _field,
    "full_date": _full_date,
    "legal_basis": _legal_basis,
    "assignments_lead": _assignments_lead,
    "assignments_timing": _assignments_timing,
    "assignments_deadline": _assignments_deadline,
    "targets_year": _targets_year,
    "not_draft": _not_draft,
    "period": _period,
    "families_covered": _families_covered,
}


# ---------------------------------------------------------------- stored output folder

def audit_out_dir(out_dir: Path, rules: dict) -> list[tuple[dict, list[Finding]]]:
    """(document, findings) for every stored record of an output folder."""
    from .store import iter_records

    return [(r["document"], audit_record(r, rules)) for r in iter_records(out_dir)]


def format_audit(audited: list[tuple[dict, list[Finding]]]) -> str:
    """Per plan: failed checks with their detail; then per check: how many plans fail it."""
    lines = []
    per_check: dict[str, list[int]] = {}
    severity: dict[str, str] = {}
    for doc, findings in audited:
        failed = [f for f in findings if not f.passed]
        errors = sum(f.severity == "error" for f in failed)
        who = " — ".join(x for x in (doc.get("source_path"), doc.get("issuer")) if x)
        lines.append(f"{'FAIL' if errors else 'ok  '} {who}: {errors} error(s), {len(failed) - errors} "
                     f"warning(s), {len(findings) - len(failed)} passed")
        for f in failed:
            lines.append(f"     {'✗' if f.severity == 'error' else '!'} {f.check} [{f.severity}]: {f.detail}")
        for f in findings:
            per_check.setdefault(f.check, [0, 0])[f.passed] += 1
            severity[f.check] = f.severity
    width = max([len(c) for c in per_check] + [5])
    lines += ["", f"{'check'.ljust(width)}  severity  failed  passed"]
    for check, (fail, ok) in per_check.items():
        lines.append(f"{check.ljust(width)}  {severity[check].ljust(8)}  {fail:6d}  {ok:6d}")
    bad = sum(any(not f.passed and f.severity == "error" for f in fs) for _, fs in audited)
    lines.append(f"\n{bad} of {len(audited)} document(s) fail an error-severity check")
    return "\n".join(lines)


def audit_records_table(audited: list[tuple[dict, list[Finding]]]) -> tuple[list[str], list[tuple]]:
    columns = ["doc_id", "source_path", "check", "passed", "severity", "detail"]
    rows = [(d["doc_id"], d.get("source_path"), f.check, f.passed, f.severity, f.detail)
            for d, fs in audited for f in fs]
    return columns, rows
