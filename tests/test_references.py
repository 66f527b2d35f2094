"""References (documents cited by a plan) on the corpus plans and on synthetic citation forms."""
from __future__ import annotations

import pytest

from extractors.references import extract_references
from pipeline.model import PlanDoc
from pipeline.rows import ReferenceRow
from tests.conftest import plan, text_plan


def _refs(doc: PlanDoc) -> list[ReferenceRow]:
    rows = extract_references(doc)
    for r in rows:
        assert doc.text[r.span_start:r.span_end] == r.raw
    return rows




def _by_number(rows: list[ReferenceRow]) -> dict[str | None, tuple]:
    return {r.number: (r.doc_kind, r.date, r.issuer, r.is_basis) for r in rows if r.number}


@pytest.mark.parametrize("name", ["hong-phong-2023.md", "hong-phong-2023.docx"])
def test_hong_phong(name: str) -> None:
    rows = _refs(plan(name))
    got = _by_number(rows)
    assert got["49/KH-UBND"] == ("Kế hoạch", "2023-02-13", "UBND huyện Cao Lộc", True)
    assert got["61/2018/NĐ-CP"] == ("Nghị định", "2018-04-23", "Chính phủ", False)
    assert got["35/NQ-CP"] == ("Nghị quyết", "2016-05-16", "Chính phủ", False)
    assert got["08/2019/NQ-HĐND"] == ("Nghị quyết", "2019-12-10", "HĐND tỉnh", False)
    assert got["43/NQ-TU"] == ("Nghị quyết", "2021-08-23", "Ban Chấp hành Đảng bộ tỉnh", False)
    laws = [r.raw for r in rows if r.doc_kind == "Luật"]
    assert laws == ["Luật Hỗ trợ doanh nghiệp nhỏ và vừa", "Luật Đất đai"]
    assert len(rows) == 7  # "Kế hoạch này" and "Quyết định, Thông báo" are not citations


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau(name: str) -> None:
    rows = _refs(plan(name))
    assert [(r.doc_kind, r.number, r.date, r.issuer, r.is_basis) for r in rows] == [
        ("Kế hoạch", "49/KH-UBND", "2023-02-13", "UBND huyện Cao Lộc", True)]


@pytest.mark.parametrize("name", ["phu-son-2023.txt", "phu-son-2023.docx", "phu-son-2023.pdf"])
def test_phu_son(name: str) -> None:
    got = _by_number(_refs(plan(name)))
    assert got["4032/KH-UBND"] == ("Kế hoạch", "2023-11-28", "UBND thị xã Bỉm Sơn", True)
    assert got["02/QĐUBND"] == ("Quyết định", "2023-01-03", "UBND phường", False)
    assert got["42/2022/NĐ-CP"] == ("Nghị định", "2022-06-24", None, False)


def test_chi_lang() -> None:
    rows = _refs(plan("chi-lang-2025.txt"))
    got = _by_number(rows)
    assert got["94/KH-UBND"] == ("Kế hoạch", "2025-03-29", "UBND tỉnh", True)
    assert got["75-KH/HU"] == ("Kế hoạch", "2021-12-30", "Huyện ủy Chi Lăng", False)
    assert got["43-NQ/TU"] == ("Nghị quyết", "2021-08-23", "Ban Chấp hành Đảng bộ tỉnh", False)
    assert got["1889/HDLN-HTĐT"] == ("Hướng dẫn", "2022-09-14", None, False)
    assert [r.number for r in rows if r.is_basis] == ["94/KH-UBND"]


SYNTHETIC = """
KẾ HOẠCH
Cải thiện Chỉ số PAPI năm 2024
Căn cứ Nghị quyết số 43-NQ/TU ngày 23/8/2021 của Tỉnh ủy Bắc Kạn;
Thực hiện Kế hoạch số 75-KH/HU ngày 30/12/2021 của Huyện ủy Chi Lăng và Hướng dẫn liên ngành số 1889/HDLN-HTĐT;
Căn cứ Thông tư liên tịch số 01/2020/TT-BNV ngày 5 tháng 3 năm 2020 của Bộ Lao động - Thương binh và Xã hội;
I. MỤC ĐÍCH
Thực hiện Kế hoạch này theo Công văn số 215/UBND-VP và Luật Tiếp cận thông tin năm 2016.
Theo kế hoạch số 12/KH-UBND của UBND tỉnh; Quyết định 1234/QĐ-UBND.
"""


def test_synthetic_citation_forms() -> None:
    rows = _refs(text_plan(SYNTHETIC))
    got = {r.number: (r.doc_kind, r.date, r.issuer, r.is_basis) for r in rows}
    assert got["43-NQ/TU"] == ("Nghị quyết", "2021-08-23", "Tỉnh ủy Bắc Kạn", True)
    assert got["75-KH/HU"] == ("Kế hoạch", "2021-12-30", "Huyện ủy Chi Lăng", True)
    assert got["1889/HDLN-HTĐT"] == ("Hướng dẫn", None, None, True)
    assert got["01/2020/TT-BNV"] == (
        "Thông tư", "2020-03-05", "Bộ Lao động - Thương binh và Xã hội", True)
    assert got["215/UBND-VP"] == ("Công văn", None, None, False)
    assert got["12/KH-UBND"] == ("Kế hoạch", None, "UBND tỉnh", False)
    assert got["1234/QĐ-UBND"][0] == "Quyết định"
    assert got[None] == ("Luật", None, None, False)
    assert [r.raw for r in rows if r.number is None] == ["Luật Tiếp cận thông tin"]


def test_repeated_citation_is_one_row() -> None:
    rows = _refs(text_plan("""
Căn cứ Kế hoạch số 5/KH-UBND ngày 01/02/2024 của UBND huyện Mai Sơn;
I. MỤC ĐÍCH
Triển khai Kế hoạch số 5/KH-UBND đúng tiến độ.
"""))
    assert len(rows) == 1 and rows[0].is_basis and rows[0].issuer == "UBND huyện Mai Sơn"


def test_law_named_with_a_stop_word_inside_its_name() -> None:
    rows = _refs(text_plan("""
I. MỤC ĐÍCH
Thực hiện tốt Luật Thực hiện dân chủ ở cơ sở ngày 10/11/2022; áp dụng Luật Đất đai hiện hành.
"""))
    laws = {r.raw: (r.date, r.number, r.is_basis) for r in rows if r.doc_kind == "Luật"}
    assert laws == {"Luật Thực hiện dân chủ ở cơ sở ngày 10/11/2022": ("2022-11-10", None, False),
                    "Luật Đất đai": (None, None, False)}


def test_a_symbol_cut_at_a_line_end_and_a_short_form_of_a_cited_plan() -> None:
    doc = text_plan("""
KẾ HOẠCH
Điều chỉnh, bổ sung Kế hoạch số 24/KH-UBND ngày 29/01/2024 của UBND huyện
Căn cứ Kế hoạch số 24/KH-UBND ngày 29/01/2024 của UBND huyện Bố Trạch (sau đây gọi tắt là Kế hoạch số 24);
I. NỘI DUNG
1. Bổ sung vào Mục II Kế hoạch số 24 các nhiệm vụ sau; Kế hoạch số 31 của Sở Nội vụ.
| 1 | Thực hiện theo Nghị định số 168/2025/N Đ-CP ngày 30/6/2025 của Chính phủ | Quý IV/2025 | Sở Tài chính |
| 2 | Thực hiện Quyết định số 12/QĐ- UBND ngày 02/3/2025 | Quý IV/2025 | Sở Tài chính |
""")
    got = _by_number(_refs(doc))
    assert got == {
        "24/KH-UBND": ("Kế hoạch", "2024-01-29", "UBND huyện Bố Trạch", True),
        "31": ("Kế hoạch", None, "Sở Nội vụ", False),  # no full citation of a plan 31: kept
        "168/2025/NĐ-CP": ("Nghị định", "2025-06-30", "Chính phủ", False),
        "12/QĐ-UBND": ("Quyết định", "2025-03-02", None, False),
    }
