"""Audit checks: the results a person reading the corpus plans would give, synthetic edge cases
(other places, numbering, officers), rules as configuration, and `vnplan audit` exit codes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import corpus_file, processed

from pipeline.audit import UNREADABLE, RulesError, audit_record, load_rules
from pipeline.cli import main
from pipeline.store import save_record

CONTRACTED = {"has_purpose", "has_assignments", "has_funding", "has_implementation", "has_doc_number",
              "has_full_issue_date", "has_signer", "has_legal_basis", "assignments_have_lead",
              "assignments_have_timing"}
CORPUS_TEXTS = ("cao-lau-2023.txt", "chi-lang-2025.txt", "hong-phong-2023.md", "phu-son-2023.txt")


def findings(name: str, rules: dict | None = None) -> dict:
    return {f.check: f for f in audit_record(processed(name).to_record(), rules)}


# ---------------------------------------------------------------- corpus, as a reader sees it

def test_chi_lang_has_no_funding_section():
    f = findings("chi-lang-2025.txt")
    assert not f["has_funding"].passed and f["has_funding"].severity == "error"
    assert "no section of kind funding" in f["has_funding"].detail
    assert f["has_purpose"].passed and f["has_assignments"].passed


def test_phu_son_has_no_funding_section_but_implementation():
    f = findings("phu-son-2023.txt")
    assert not f["has_funding"].passed
    assert f["has_implementation"].passed
    assert "TỔ CHỨC THỰC HIỆN" in f["has_implementation"].detail


def test_hong_phong_has_all_sections_and_a_blank_number():
    f = findings("hong-phong-2023.md")
    for check in ("has_purpose", "has_assignments", "has_funding", "has_implementation"):
        assert f[check].passed, f[check].detail
    assert not f["has_doc_number"].passed
    assert "left blank" in f["has_doc_number"].detail
    assert not f["has_full_issue_date"].passed and "2023-03" in f["has_full_issue_date"].detail
    assert not f["not_draft"].passed


def test_cao_lau_has_no_header_so_no_number():
    f = findings("cao-lau-2023.txt")
    assert not f["has_doc_number"].passed
    assert "left blank" not in f["has_doc_number"].detail  # no Số: line at all, not a blank one
    assert f["has_funding"].passed and f["has_implementation"].passed
    assert f["has_legal_basis"].passed  # "Thực hiện Kế hoạch số 49/KH-UBND …"


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_every_contracted_check_for_every_plan(name):
    rows = processed(name).audit
    checks = [r.check for r in rows]
    assert set(checks) >= CONTRACTED
    assert len(checks) == len(set(checks))
    assert all(r.severity in ("error", "warning") and r.detail for r in rows)


# ---------------------------------------------------------------- synthetic records

def record(**document) -> dict:
    """A complete plan of an imaginary commune that passes every default check."""
    text = "Số: 12/KH-UBND\nKẾ HOẠCH Nâng cao Chỉ số PAPI năm 2031\nCăn cứ Kế hoạch số 7/KH-UBND ...\n" * 3
    doc = {"doc_id": "f" * 16, "source_path": "x.txt", "source_name": "x.txt", "file_sha256": "f" * 64,
           "file_format": "txt", "text_chars": len(text), "title": "Nâng cao Chỉ số PAPI năm 2031",
           "doc_type": "Kế hoạch", "doc_number": "12", "doc_symbol": "KH-UBND", "issuer": "UBND xã Tân Lập",
           "admin_code": "99999", "issue_date": "2031-02-03", "period_start_year": 2031, "period_end_year": 2031,
           "index_families": ["PAPI"], "signer_name": "Đinh Thị Ngọc", "status": "ok", "missing_sections": []}
    doc.update(document)
    sections = [{"seq": i, "kind": k, "number": n, "heading": h, "span_start": 0, "span_end": 5, "page": None,
                 "level": 1}
                for i, (k, n, h) in enumerate([("purpose", "1", "Mục đích"), ("assignments", "2", "Nhiệm vụ"),
                                               ("funding", "3", "Kinh phí"), ("implementation", "4", "Tổ chức")])]
    assignment = {"assignment_id": 1, "section_no": "2.1", "family": "PAPI", "index_code": "PAPI",
                  "lead_units": ["Công chức Tư pháp - Hộ tịch"], "support_units": [], "task": "t",
                  "timing": "Quý II", "recurring": False, "span_start": 10, "span_end": 20, "page": None}
    return {"document": doc, "text": text, "sections": sections, "assignments": [assignment],
            "deadlines": [{"assignment_id": 1, "date": "2031-06-30", "kind": "by_quarter", "raw": "Quý II",
                           "span_start": 10, "span_end": 16}],
            "scores": [{"kind": "target", "value": 42.5, "year": 2031, "raw": "đạt 42,5 điểm",
                        "span_start": 20, "span_end": 30}],
            "people": [],
            "references": [{"doc_kind": "Kế hoạch", "number": "7/KH-UBND", "is_basis": True, "raw": "x",
                            "span_start": 40, "span_end": 60}],
            "errors": [], "evidence": {"doc_number": [4, 6]}}


def by_check(rec: dict, rules: dict | None = None) -> dict:
    return {f.check: f for f in audit_record(rec, rules)}


def test_complete_synthetic_plan_passes_everything():
    failed = [(f.check, f.detail) for f in by_check(record()).values() if not f.passed]
    assert failed == []


def test_unreadable_document_fails_every_check_with_one_reason():
    rec = record(status="error")
    rec["errors"] = [{"source_path": "x", "doc_id": "f", "stage": "read", "error_type": "encrypted_pdf",
                      "message": "password required"}]
    f = by_check(rec)
    assert set(f) >= CONTRACTED
    assert not f["readable"].passed and "encrypted_pdf" in f["readable"].detail
    assert all(not x.passed for x in f.values())
    assert f["has_funding"].detail == UNREADABLE


def test_not_a_plan_skips_plan_only_checks():
    rec = record(doc_type="Quyết định")
    rec["sections"] = []
    f = by_check(rec)
    assert not f["is_plan"].passed and f["is_plan"].severity == "warning"
    assert set(f) == {"readable", "extraction_complete", "is_plan"}  # a stray non-plan is no audit error
    untyped = record(doc_type=None)
    assert by_check(untyped)["is_plan"].passed  # a lost type line: its sections still make it a plan
    untyped["sections"], untyped["assignments"] = [], []
    assert not by_check(untyped)["is_plan"].passed


def test_assignments_without_lead_are_named():
    rec = record()
    base = rec["assignments"][0]
    rec["assignments"] = [dict(base, assignment_id=i, section_no=s, lead_units=lead)
                          for i, (s, lead) in enumerate([("A.1", ["Văn phòng"]), ("A.2", []), ("B.(3)", [])], 1)]
    f = by_check(rec)
    assert not f["assignments_have_lead"].passed
    assert f["assignments_have_lead"].detail == "2 of 3 assignments have no lead unit: A.2, B.(3)"
    assert not f["assignments_have_deadline"].passed  # only #1 has a dated deadline
    relaxed = load_rules()
    relaxed["checks"]["assignments_have_lead"]["max_missing_share"] = 0.7
    assert by_check(rec, relaxed)["assignments_have_lead"].passed


def test_recurring_assignment_needs_no_date():
    rec = record()
    rec["deadlines"] = []
    rec["assignments"][0].update(recurring=True, timing="Thường xuyên")
    assert by_check(rec)["assignments_have_deadline"].passed


def test_period_and_draft_and_targets():
    f = by_check(record(issue_date="2032-01-05", period_start_year=2029, period_end_year=2031))
    assert not f["period_consistent"].passed and "after the plan period ends (2031)" in f["period_consistent"].detail
    f = by_check(record(period_start_year=2031, period_end_year=2030))
    assert not f["period_consistent"].passed
    f = by_check(record(doc_number=None, issue_date="2031-02"))
    assert not f["not_draft"].passed and "Số: /KH-UBND" in f["not_draft"].detail
    rec = record()
    rec["scores"][0]["year"] = None
    assert "1 of 1 targets have no year" in by_check(rec)["targets_have_year"].detail


def test_family_in_title_without_assignment():
    f = by_check(record(title="Cải thiện Chỉ số PAPI và Chỉ số hài lòng (SIPAS) giai đoạn 2031 - 2035"))
    assert not f["families_covered"].passed
    assert "SIPAS" in f["families_covered"].detail and "PAPI" not in f["families_covered"].detail.split("for")[-1]


# ---------------------------------------------------------------- rules and CLI

def write_out(tmp: Path, rec: dict) -> Path:
    save_record(tmp, rec)
    return tmp


def test_rules_file_makes_funding_optional(tmp_path, capsys):
    rec = record()
    rec["sections"] = [s for s in rec["sections"] if s["kind"] != "funding"]
    out = write_out(tmp_path / "out", rec)
    assert main(["audit", str(out)]) == 1
    rules = tmp_path / "rules.toml"
    rules.write_text('[checks.has_funding]\nseverity = "warning"\n', encoding="utf-8")
    assert main(["audit", str(out), "--rules", str(rules)]) == 0
    rules.write_text("[checks.has_funding]\nenabled = false\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["audit", str(out), "--rules", str(rules), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert "has_funding" not in {r["check"] for r in rows} and "has_purpose" in {r["check"] for r in rows}


def test_bad_usage_exits_2(tmp_path):
    assert main(["audit", str(tmp_path / "missing")]) == 2
    out = write_out(tmp_path / "out", record())
    assert main(["audit", str(out), "--rules", str(tmp_path / "nope.toml")]) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[checks.x]\ntest = "no_such_test"\n', encoding="utf-8")
    with pytest.raises(RulesError):
        load_rules(bad)
    assert main(["audit", str(out), "--rules", str(bad)]) == 2
    assert main(["audit", str(out)]) == 0


def test_audit_cli_on_corpus_run(tmp_path, capsys):
    inp = tmp_path / "in"
    inp.mkdir()
    for name in ("chi-lang-2025.txt", "hong-phong-2023.md"):
        shutil.copy(corpus_file(name), inp / name)
    from pipeline.ingest import ingest

    ingest(inp, tmp_path / "out", workers=1, progress=False)
    capsys.readouterr()
    assert main(["audit", str(tmp_path / "out")]) == 1
    text = capsys.readouterr().out
    assert "chi-lang-2025.txt" in text and "has_funding [error]: no section of kind funding" in text
    assert main(["audit", str(tmp_path / "out"), "--format", "csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "doc_id,source_path,check,passed,severity,detail"
    assert any(",has_doc_number,false,error," in line and "hong-phong" in line for line in lines)
