"""report.html: one self-contained offline page (inline CSS/JS/SVG, data as one JSON blob).

The page shows the completeness matrix (plans x audit checks), a drill-down per plan with the
evidence text and page of every extracted row and every failed check, charts, and a search box.
Drill-downs are rendered lazily in the browser from the blob, so the page stays usable at
hundreds of plans."""
from __future__ import annotations

import json
from bisect import bisect_right
from datetime import datetime
from pathlib import Path
from typing import Any

from .audit import Finding, audit_record, enabled_checks, load_rules
from .store import atomic_write_bytes, iter_records

TEMPLATES = Path(__file__).parent / "templates"
EVIDENCE_MAX = 400  # characters of evidence kept per row (the full text is in text/<doc_id>.txt)
OPENING_CHARS = 300  # shown for a failed header check with no span: where the header should be
HEADER_TESTS = ("field", "full_date", "not_draft", "legal_basis", "plan_type")

# drill-down tables: name -> (record key, columns); each column is a row key or a computed one
COLUMNS: dict[str, list[str]] = {
    "sections": ["seq", "kind", "number", "heading", "page"],
    "assignments": ["assignment_id", "section_no", "index_code", "criterion", "lead_units", "support_units",
                    "timing", "recurring", "evidence", "page"],
    "deadlines": ["date", "kind", "assignment", "raw", "evidence", "page"],
    "scores": ["index_code", "indicator", "kind", "value", "unit", "comparator", "year", "rank", "evidence",
               "page"],
    "people": ["name", "title", "roles", "index_codes", "variants", "evidence", "page"],
    "references": ["doc_kind", "number", "date", "issuer", "is_basis", "evidence", "page"],
    "errors": ["stage", "error_type", "message"],
}
FACTS = ("title", "doc_type", "doc_number", "doc_symbol", "issuer", "admin_level", "locality", "district",
         "province", "issue_place", "issue_date", "period_start_year", "period_end_year", "index_families",
         "signer_name", "signer_title", "signing_authority", "funding_source", "file_format", "pages", "ocr",
         "ocr_confidence", "status")


def _clip(text: str) -> str:
    """`text` with its whitespace collapsed, cut at EVIDENCE_MAX characters. The collapsed head of
    a text is a prefix of the whole collapsed text, so a head whose collapse is already longer
    than EVIDENCE_MAX gives the clip: first a short head (most spans are longer than the clip),
    then 4 x EVIDENCE_MAX characters, then the whole text (a head of mostly spaces). (str.split()
    splits on the same Unicode spaces as a regex \\s+, several times faster.)"""
    for head in (EVIDENCE_MAX + EVIDENCE_MAX // 4, 4 * EVIDENCE_MAX, None):
        clipped = " ".join(text[:head].split())
        if len(clipped) > EVIDENCE_MAX:
            return clipped[: EVIDENCE_MAX - 1] + "…"
        if head is None or len(text) <= head:
            return clipped
    raise AssertionError("unreachable")


class _Doc:
    """Text and page lookup of one stored document."""

    def __init__(self, out_dir: Path, record: dict[str, Any]):
        path = out_dir / "text" / f"{record['document']['doc_id']}.txt"
        self.text = path.read_text(encoding="utf-8") if path.exists() else ""
        # pages are known only for the rows' starts: the page of an offset is that of the nearest
        # row starting at or before it
        marks = sorted({(r["span_start"], r["page"]) for key in ("sections", "assignments", "deadlines",
                                                                "scores", "references")
                        for r in record.get(key) or [] if r.get("page") is not None
                        and isinstance(r.get("span_start"), int)})
        self.offsets = [m[0] for m in marks]
        self.pages = [m[1] for m in marks]

    def evidence(self, start: Any, end: Any) -> str:
        if not isinstance(start, int) or not isinstance(end, int):
            return ""
        return _clip(self.text[start:end])

    def page_at(self, offset: int) -> int | None:
        i = bisect_right(self.offsets, offset)
        return self.pages[i - 1] if i else None


def _value(v: Any) -> Any:
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return v


def _rows(record: dict, name: str, doc: _Doc) -> list[list[Any]]:
    rows = record.get(name) or []
    if not rows:
        return []
    cols = COLUMNS[name]
    evidence, assignment, page = (cols.index(c) if c in cols else -1 for c in ("evidence", "assignment", "page"))
    labels = ({a.get("assignment_id"): a.get("section_no") or f"#{a.get('assignment_id')}"
               for a in record.get("assignments") or []} if assignment >= 0 else {})
    out = []
    for r in rows:
        # every cell as its value (lists joined), then the computed ones put in place
        row = [r.get(col) for col in cols]
        for i, v in enumerate(row):
            if isinstance(v, list):
                row[i] = "; ".join(map(str, v))
        if evidence >= 0:
            row[evidence] = doc.evidence(r.get("span_start"), r.get("span_end"))
        if assignment >= 0:
            row[assignment] = labels.get(r.get("assignment_id"))
        if page >= 0 and row[page] is None and isinstance(start := r.get("span_start"), int):
            row[page] = doc.page_at(start)
        out.append(row)
    return out


def _finding(f: Finding, spec: dict, record: dict, doc: _Doc) -> list[Any]:
    """[passed, detail, evidence list of [text, page]] for one check of one plan."""
    evidence = [[doc.evidence(s, e), doc.page_at(s)] for s, e in f.spans[:5]]
    if not f.passed and not evidence:
        if spec.get("test") == "section":
            found = [" ".join(str(x) for x in (s.get("number"), s.get("heading")) if x) +
                     (f" (p. {s['page']})" if s.get("page") else "") for s in record.get("sections") or []]
            evidence = [["sections found: " + (" · ".join(found) or "none"), None]]
        elif spec.get("test") in HEADER_TESTS and doc.text:
            evidence = [["document opening: " + _clip(doc.text[:OPENING_CHARS]), doc.page_at(0)]]
    return [int(f.passed), f.detail, evidence]


def _plan(record: dict, findings: list[Finding], rules: dict, doc: _Doc) -> dict[str, Any]:
    d = record["document"]
    specs = dict(enabled_checks(rules))
    span_of = record.get("evidence") or {}
    facts = []
    for name in FACTS:
        value = d.get(name)
        if value in (None, "", []):
            continue
        span = span_of.get(name) or [None, None]
        facts.append([name, _value(value), doc.evidence(*span), doc.page_at(span[0]) if span[0] else None])
    period = "–".join(str(y) for y in dict.fromkeys((d.get("period_start_year"), d.get("period_end_year")))
                      if y is not None)
    return {
        "id": d["doc_id"], "name": d.get("source_path") or d.get("source_name"), "title": d.get("title") or "",
        "issuer": d.get("issuer") or "", "level": d.get("admin_level") or "", "district": d.get("district") or "",
        "province": d.get("province") or "", "families": d.get("index_families") or [],
        "status": d.get("status"), "date": d.get("issue_date") or "", "period": period,
        "audit": {f.check: _finding(f, specs[f.check], record, doc) for f in findings},
        "facts": facts,
        **{name: _rows(record, name, doc) for name in COLUMNS},
    }


def report_data(out_dir: Path, rules: dict) -> dict[str, Any]:
    plans = []
    for record in iter_records(out_dir):
        findings = audit_record(record, rules)
        plans.append(_plan(record, findings, rules, _Doc(out_dir, record)))
    checks = [{"name": n, "severity": s.get("severity", "error"), "explain": s.get("explain", "")}
              for n, s in enabled_checks(rules)]
    return {"generated": datetime.now().isoformat(timespec="seconds"), "checks": checks,
            "columns": COLUMNS, "plans": plans}


def safe_json(data: Any) -> str:
    """JSON that cannot end the <script> element it is embedded in (no '<', '>', '&' as such)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_report(data: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    assets = {name: (TEMPLATES / name).read_text(encoding="utf-8") for name in ("report.css", "report.js")}
    if any("</" in text for text in assets.values()):
        raise ValueError("report assets must not contain '</' (it would end the inline element)")
    plans = data["plans"]
    failing = sum(any(not a[0] and c["severity"] == "error" for c in data["checks"]
                      for a in [p["audit"].get(c["name"], [1])]) for p in plans)
    return env.get_template("report.html.j2").render(
        data=Markup(safe_json(data)), css=Markup(assets["report.css"]), js=Markup(assets["report.js"]),
        generated=data["generated"], n_plans=len(plans), n_failing=failing, n_checks=len(data["checks"]))


def write_report(out_dir: Path, rules: dict | None = None) -> Path:
    """Render OUT/report.html from the stored records (atomically) and return its path."""
    html = render_report(report_data(out_dir, rules if rules is not None else load_rules()))
    path = out_dir / "report.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    path.chmod(0o644)  # a page to share, not a private temp file
    return path
