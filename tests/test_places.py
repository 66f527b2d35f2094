"""Issuers → official units (the `vietnamadminunits` gazetteer): corpus plans, the 2025 reform,
disambiguation by context, notes instead of guesses; unit names canonical across plans."""
from __future__ import annotations

import pytest

from extractors.header import extract_header
from normalizers.places import candidates, resolve, successor_2025, unresolved_note
from normalizers.units import canonical_unit
from pipeline.audit import audit_record
from pipeline.model import PlanDoc
from tests.conftest import plan, text_plan

PLACE_FIELDS = ("issuer", "district", "province", "admin_code", "unit_2025", "admin_code_2025",
                "province_2025", "place_note")


def _fields(doc: PlanDoc) -> dict[str, object]:
    out = extract_header(doc)
    return {k: (out[k].value if k in out else None) for k in PLACE_FIELDS}




def _package_code(sql: str) -> str:
    from vietnamadminunits.database import query

    rows = query(sql)
    assert len(rows) == 1
    return next(iter(rows[0].values()))


# --- corpus -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["hong-phong-2023.md", "hong-phong-2023.docx"])
def test_hong_phong_resolves_to_its_code_and_2025_commune(name: str) -> None:
    v = _fields(plan(name))
    code = _package_code("select wardCode from admin_units_legacy where wardShort = 'Hồng Phong' "
                         "and districtShort = 'Cao Lộc'")
    assert (v["issuer"], v["district"], v["province"], v["admin_code"]) == (
        "UBND xã Hồng Phong", "Cao Lộc", "Lạng Sơn", code)
    # merged on 2025-07-01 with thị trấn Đồng Đăng and others into xã Đồng Đăng (package tables)
    assert (v["unit_2025"], v["admin_code_2025"], v["province_2025"]) == ("xã Đồng Đăng", "06184", "Lạng Sơn")
    assert v["place_note"] is None


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau_district_comes_from_the_cited_plan(name: str) -> None:
    doc = plan(name)
    out = extract_header(doc)
    v = _fields(doc)
    assert (v["issuer"], v["district"], v["province"], v["admin_code"]) == (
        "UBND xã Cao Lâu", "Cao Lộc", "Lạng Sơn", "06196")
    district = out["district"]
    assert district.start is not None and district.end is not None
    evidence_line = doc.text[doc.text.rfind("\n", 0, district.start) + 1:doc.text.find("\n", district.end)]
    assert "Kế hoạch số 49/KH-UBND" in evidence_line and "huyện Cao Lộc" in doc.text[district.start:district.end]
    assert (v["unit_2025"], v["admin_code_2025"], v["province_2025"]) == ("xã Ba Sơn", "06196", "Lạng Sơn")


@pytest.mark.parametrize("name", ["phu-son-2023.txt", "phu-son-2023.docx"])
def test_phu_son_ward_of_a_town(name: str) -> None:
    v = _fields(plan(name))
    assert (v["issuer"], v["district"], v["province"], v["admin_code"]) == (
        "UBND phường Phú Sơn", "Bỉm Sơn", "Thanh Hóa", "14823")
    assert (v["unit_2025"], v["admin_code_2025"], v["province_2025"]) == ("phường Quang Trung", "14818", "Thanh Hóa")


def test_chi_lang_district_has_no_2025_unit_but_its_province() -> None:
    v = _fields(plan("chi-lang-2025.txt"))
    code = _package_code("select distinct districtCode from admin_units_legacy where districtShort = 'Chi Lăng'")
    assert (v["issuer"], v["province"], v["admin_code"]) == ("UBND huyện Chi Lăng", "Lạng Sơn", code)
    assert (v["unit_2025"], v["admin_code_2025"], v["province_2025"]) == (None, None, "Lạng Sơn")


# --- disambiguation (synthetic) -----------------------------------------------------------------

BARE = """
KẾ HOẠCH
Cải thiện Chỉ số DDCI năm 2024
{basis}
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chỉ số.
Trên đây là Kế hoạch của UBND xã Hồng Phong./.
"""


def test_bare_ambiguous_commune_stays_null_with_a_note() -> None:
    v = _fields(text_plan(BARE.format(basis="Căn cứ Luật Tổ chức chính quyền địa phương;")))
    assert v["issuer"] == "UBND xã Hồng Phong"
    assert v["admin_code"] is None and v["district"] is None and v["unit_2025"] is None
    note = str(v["place_note"])
    assert note.startswith("ambiguous: ") and "communes named xã Hồng Phong" in note
    assert "huyện Cao Lộc, Lạng Sơn" in note and "huyện Bình Gia, Lạng Sơn" in note


def test_cited_district_plan_decides() -> None:
    v = _fields(text_plan(BARE.format(basis="Thực hiện Kế hoạch số 5/KH-UBND ngày 10/01/2024 của UBND huyện Cao Lộc;")))
    assert (v["district"], v["province"], v["admin_code"], v["place_note"]) == ("Cao Lộc", "Lạng Sơn", "06205", None)


def test_province_alone_is_not_enough_when_two_communes_share_the_name() -> None:
    v = _fields(text_plan(BARE.format(basis="Căn cứ Nghị quyết số 3/NQ-HĐND của HĐND tỉnh Lạng Sơn;")))
    assert v["admin_code"] is None and v["province"] == "Lạng Sơn"
    assert str(v["place_note"]).startswith("ambiguous: 2 communes named xã Hồng Phong in tỉnh Lạng Sơn")


def test_header_district_decides_and_a_split_commune_has_no_single_2025_unit() -> None:
    doc = text_plan("UBND HUYỆN BÌNH GIA\nỦY BAN NHÂN DÂN\nXÃ HỒNG PHONG\nSố: 3/KH-UBND\n" + BARE.format(basis=""))
    v = _fields(doc)
    code = _package_code("select wardCode from admin_units_legacy where wardShort = 'Hồng Phong' "
                         "and districtShort = 'Bình Gia'")
    assert (v["district"], v["admin_code"], v["place_note"]) == ("Bình Gia", code, None)
    assert (v["unit_2025"], v["admin_code_2025"], v["province_2025"]) == (None, None, "Lạng Sơn")
    place = resolve("xã", "Hồng Phong", "Bình Gia")
    assert place is not None
    successor = successor_2025(place)
    assert successor is not None and len(successor.split_into) == 2


def test_a_commune_the_named_district_does_not_contain_is_not_guessed() -> None:
    v = _fields(text_plan(BARE.format(basis="Thực hiện Kế hoạch số 5/KH-UBND của UBND huyện Văn Lãng;")))
    assert v["admin_code"] is None and v["district"] == "Văn Lãng"
    assert v["place_note"] == "not in the gazetteer: xã Hồng Phong (huyện Văn Lãng)"


def test_plan_after_the_reform_names_a_2025_commune() -> None:
    doc = text_plan("""
UBND TỈNH LẠNG SƠN
ỦY BAN NHÂN DÂN
XÃ ĐỒNG ĐĂNG
Số: 15/KH-UBND
Đồng Đăng, ngày 12 tháng 9 năm 2025
KẾ HOẠCH
Nâng cao Chỉ số PAPI năm 2025
I. MỤC ĐÍCH
""")
    v = _fields(doc)
    code = _package_code("select wardCode from admin_units where wardShort = 'Đồng Đăng' "
                         "and provinceShort = 'Lạng Sơn'")
    assert (v["issuer"], v["province"], v["admin_code"]) == ("UBND xã Đồng Đăng", "Lạng Sơn", code)
    assert (v["unit_2025"], v["admin_code_2025"]) == ("xã Đồng Đăng", code)


def test_gazetteer_api_on_other_provinces() -> None:
    bac_giang = resolve("tỉnh", "Bắc Giang")
    assert bac_giang is not None
    merged = successor_2025(bac_giang)
    assert merged is not None and (merged.unit, merged.province) == ("tỉnh Bắc Ninh", "Bắc Ninh")
    assert len(candidates("phường", "Phú Sơn")) == 2 and resolve("phường", "Phú Sơn") is None
    assert unresolved_note("xã", "Chưa Có Tên").startswith("not in the gazetteer")


def test_audit_warns_on_an_unresolved_place() -> None:
    doc = {"doc_id": "x", "doc_type": "Kế hoạch", "admin_code": None,
           "place_note": "ambiguous: 7 communes named xã Hồng Phong"}
    findings = {f.check: f for f in audit_record({"document": doc, "sections": [], "assignments": []})}
    check = findings["place_resolved"]
    assert (check.passed, check.severity) == (False, "warning") and "ambiguous: 7 communes" in check.detail
    doc.update(admin_code="06205", place_note=None)
    findings = {f.check: f for f in audit_record({"document": doc, "sections": [], "assignments": []})}
    assert findings["place_resolved"].passed


# --- units vocabulary: one canonical name per unit across plans ----------------------------------

@pytest.mark.parametrize("level,spellings,canonical", [
    ("commune", ["Công chức VHXH", "Công chức Văn hóa - Xã hôi", "Các công chức Văn hoá - xã hội"],
     "Công chức Văn hóa - Xã hội"),
    ("commune", ["Công chức ĐC-XD", "Công chức Địa chinh - xây dựng", "Công chức Địa chính - Xây dựng xã"],
     "Công chức Địa chính - Xây dựng"),
    ("district", ["Phòng TN&MT", "Phòng Tài nguyên và Môi truờng", "Phòng Tài nguyên và Môi trường huyện"],
     "Phòng Tài nguyên và Môi trường"),
    ("district", ["VP HĐND&UBND", "Văn phòng HĐND - UBND", "Văn phòng HĐND và UBND huyện"], "Văn phòng HĐND và UBND"),
    ("commune", ["UB MTTQ xã", "Uỷ ban Mặt trận Tổ quốc Việt Nam xã", "Ủy ban MTTQ"],
     "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("commune", ["Đoàn TN", "Đoàn Thanh niên", "Đoàn thanh niên xã"], "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
])
def test_one_unit_spelled_three_ways_groups_to_one_name(level: str, spellings: list[str], canonical: str) -> None:
    assert {canonical_unit(s, level) for s in spellings} == {canonical}
