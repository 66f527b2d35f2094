"""Assignments from prose index blocks and appendix tables: corpus values and synthetic plans."""
from __future__ import annotations

import pytest

from extractors.assignments import extract_assignments
from pipeline.assemble import assemble
from pipeline.model import Block, Cell, PlanDoc
from pipeline.segment import segment
from tests.conftest import plan


def rows_of(name: str):
    return _rows(name)


_CACHE: dict[str, list] = {}


def _rows(name: str) -> list:
    if name not in _CACHE:
        _CACHE[name] = extract_assignments(plan(name))
    return _CACHE[name]


def _synthetic(paragraphs: list[str], tables: list[list[list[str]]] = ()) -> PlanDoc:
    blocks = [Block("paragraph", text=p) for p in paragraphs]
    for table in tables:
        blocks.append(Block("table", rows=[[Cell(c, bold=c.isupper() or c.isdigit()) for c in r] for r in table]))
    doc = PlanDoc("x", "x.txt", "x.txt", "0" * 64, "txt", blocks)
    return segment(assemble(doc))


def _check_spans(doc: PlanDoc, rows: list) -> None:
    assert [r.assignment_id for r in rows] == list(range(1, len(rows) + 1))
    for r in rows:
        assert 0 <= r.span_start < r.span_end <= len(doc.text)


@pytest.mark.parametrize("name", ["hong-phong-2023.md", "hong-phong-2023.docx"])
def test_hong_phong_lettered_blocks(name: str) -> None:
    rows = rows_of(name)
    doc = plan(name)
    _check_spans(doc, rows)
    codes = {r.index_code for r in rows}
    assert codes == {"DDCI.TRANSPARENCY", "DDCI.TIME_COST", "DDCI.INFORMAL_COST", "DDCI.EQUAL_COMPETITION",
                     "DDCI.BUSINESS_SUPPORT", "DDCI.LEGAL_INSTITUTIONS", "DDCI.LEADERSHIP", "DDCI.LAND_ACCESS"}
    by_no = {r.section_no: r for r in rows}
    first = by_no["II.1.a"]
    assert first.index_name_raw == "Tính minh bạch và tiếp cận thông tin"
    assert first.lead_units == ["Công chức Văn hóa - Xã hội"]
    assert first.leader.startswith("Đồng chí Hoàng Văn Mẫn, Phó Chủ tịch UBND xã")
    assert first.timing.startswith("Ngay từ đầu năm, thực hiện xong trước ngày 15/03/2023")
    assert first.recurring
    assert doc.text[first.span_start:first.span_end].startswith("a) Giao Công chức Văn hóa - xã hội")
    assert by_no["II.1.b"].lead_units == ["Công chức Địa chính - Xây dựng"]
    assert by_no["II.2.c"].lead_units == ["Lãnh đạo UBND xã"]
    assert by_no["II.3.b"].lead_units == ["Công chức Văn hóa - Xã hội", "Công chức Tư pháp - Hộ tịch",
                                          "Công chức Tài chính - Kế toán", "Công chức Địa chính - Xây dựng"]
    assert by_no["II.6.c"].lead_units == ["Công an xã"]
    assert by_no["II.8.a"].support_units[:2] == ["Trung tâm Phát triển quỹ đất", "Phòng Tài nguyên và Môi trường"]
    assert not by_no["II.3.a"].recurring  # "… thực hiện kịp thời khi có phát sinh; … trước ngày 31/3/2023"


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau_label_lines(name: str) -> None:
    rows = rows_of(name)
    assert len(rows) == 8
    assert [r.section_no for r in rows] == [f"II.{i}" for i in range(1, 9)]
    assert rows[0].lead_units == ["Công chức Văn phòng - Thống kê", "Công chức Văn hóa - Xã hội"]
    assert rows[2].lead_units == ["Các công chức chuyên môn bộ phận Một cửa xã"]
    assert rows[5].lead_units == ["Công chức Tư pháp - Hộ tịch", "Công an xã"]
    assert rows[6].lead_units == []  # "Vai trò của người đứng đầu" names no lead
    assert rows[7].index_code == "DDCI.LAND_ACCESS" and rows[7].lead_units == ["Công chức Địa chính - Xây dựng"]
    assert rows[0].timing.startswith("Ngay từ đầu năm, thực hiện xong trước ngày 28/02/2023")
    assert "Công chức phụ trách" not in rows[0].task


@pytest.mark.parametrize("name", ["phu-son-2023.docx", "phu-son-2023.pdf", "phu-son-2023.txt"])
def test_phu_son_prose_and_tables(name: str) -> None:
    rows = rows_of(name)
    _check_spans(plan(name), rows)
    prose = [r for r in rows if r.source == "prose"]
    table = [r for r in rows if r.source == "table"]
    assert len(prose) == 22 and len(table) == 86
    assert prose[0].section_no == "II.1.1.(1)" and prose[0].index_code == "PAR_INDEX"
    assert prose[0].lead_units == ["Công chức Văn phòng - Thống kê"]
    assert prose[0].support_units == ["Công chức Tư pháp - Hộ tịch", "Công chức Văn hóa - Xã hội",
                                      "Công chức Kế toán - Ngân sách"]
    assert prose[6].lead_units == ["Công chức Văn phòng - Thống kê", "Công chức Kế toán - Ngân sách"]
    assert {r.family for r in prose} == {"PAR_INDEX", "PAPI", "PCI"}
    by_no = {r.section_no: r for r in table}
    r = by_no["Phụ lục 1/1.4"]
    assert (r.index_code, r.criterion, r.lead_units, r.timing) == (
        "PAR_INDEX.DIRECTION", "Công tác tuyên truyền CCHC", ["Công chức Văn hóa - Xã hội"], "Thường xuyên")
    assert by_no["Phụ lục 1/5.3"].support_units == ["Các công chức", "Đơn vị có liên quan"]  # split row joined
    assert by_no["Phụ lục 2/2"].criterion == "Tiếp nhận phản ánh kiến nghị"  # unnumbered sub-row
    assert by_no["Phụ lục 3/2.4"].lead_units == ["Công chức Địa chính - Xây dựng"]  # "Công chức ĐCXĐ"
    assert by_no["Phụ lục 3/2.2"].lead_units == ["Công chức Văn hóa - Xã hội"]
    assert by_no["Phụ lục 4/1.1"].index_code == "PCI.MARKET_ENTRY"
    assert by_no["Phụ lục 4/8.1"].index_code == "PCI.BUSINESS_SUPPORT"
    assert by_no["Phụ lục 1/8.1"].timing == "Quý IV hàng năm" and by_no["Phụ lục 1/8.1"].recurring


def test_phu_son_same_rows_from_every_format() -> None:
    def key(rows: list) -> list:
        return [(r.section_no, r.index_code, r.criterion, r.lead_units, r.support_units, r.timing) for r in rows]

    assert key(rows_of("phu-son-2023.docx")) == key(rows_of("phu-son-2023.pdf")) == key(rows_of("phu-son-2023.txt"))


def test_chi_lang_trailing_lead_lines() -> None:
    rows = rows_of("chi-lang-2025.txt")
    # part II lists remedies 1-11; items 5-9 give a task to a named unit ("6. Phòng Tài chính - Kế
    # hoạch chủ trì, phối hợp với đơn vị tư vấn DDCI …", "9. Thanh tra huyện, các cơ quan, đơn vị tăng
    # cường rà soát …"); the others exhort everyone ("1. Thủ trưởng các phòng, ban …", "11. Đề nghị …")
    assert [(r.section_no, r.index_code, r.lead_units[0]) for r in rows[:5]] == [
        ("II.5", "DDCI", "Trung tâm Văn hóa - Thông tin và Thể thao"),
        ("II.6", "DDCI", "Phòng Tài chính - Kế hoạch"), ("II.7", "DDCI", "Phòng Nội vụ"),
        ("II.8", "DDCI", "Văn phòng HĐND và UBND"), ("II.9", "DDCI", "Thanh tra huyện")]
    assert rows[1].support_units == ["Đơn vị tư vấn DDCI", "Các cơ quan, đơn vị liên quan"]
    index_rows = rows[5:]  # part III: one block per component index
    assert len(index_rows) == 8
    assert index_rows[0].lead_units == ["Văn phòng HĐND và UBND"]
    assert index_rows[0].support_units == ["Các phòng, ban, đơn vị", "UBND các xã, thị trấn"]
    assert index_rows[5].lead_units == ["Phòng Tư pháp", "Công an xã"]
    assert index_rows[7].lead_units == ["Phòng Nông nghiệp và Môi trường"]


def test_synthetic_district_plan_with_other_numbering() -> None:
    doc = _synthetic([
        "UỶ BAN NHÂN DÂN HUYỆN NAM TRÀ",
        "KẾ HOẠCH Nâng cao Chỉ số năng lực cạnh tranh cấp huyện (DCCI) năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP",
        "1. Chỉ số thành phần “Chi phí không chính thức”",
        "- Lãnh đạo phụ trách: Đồng chí Lê Văn Tám, Phó Chủ tịch UBND huyện",
        "a) Giao Thanh tra huyện chủ trì, phối hợp với Phòng Nội vụ huyện kiểm tra công vụ.",
        "- Thời gian thực hiện: Hằng quý.",
        "b) Phòng TC-KH tham mưu công khai các khoản phí, lệ phí.",
        "- Thời gian thực hiện: Trước ngày 30/6/2026.",
        "2. Chỉ số thành phần “Tiếp cận đất đai”",
        "Công khai quy hoạch sử dụng đất trên cổng thông tin điện tử.",
        "Đơn vị đầu mối: Phòng Tài nguyên và Môi trường huyện",
        "Đơn vị phối hợp: Chi nhánh Văn phòng đăng ký đất đai; UBND các xã, thị trấn",
        "Thời hạn: Thường xuyên",
        "III. KINH PHÍ THỰC HIỆN",
        "Ngân sách huyện.",
    ])
    rows = extract_assignments(doc)
    _check_spans(doc, rows)
    assert [(r.section_no, r.index_code) for r in rows] == [
        ("II.1.a", "DDCI.INFORMAL_COST"), ("II.1.b", "DDCI.INFORMAL_COST"), ("II.2", "DDCI.LAND_ACCESS")]
    a, b, c = rows
    assert a.lead_units == ["Thanh tra huyện"] and a.support_units == ["Phòng Nội vụ"]
    assert a.timing == "Hằng quý" and a.recurring and a.leader.startswith("Đồng chí Lê Văn Tám")
    assert b.lead_units == ["Phòng Tài chính - Kế hoạch"] and not b.recurring
    assert c.lead_units == ["Phòng Tài nguyên và Môi trường"]
    assert c.support_units == ["Chi nhánh Văn phòng Đăng ký đất đai", "UBND các xã, thị trấn"]
    assert c.task == "Công khai quy hoạch sử dụng đất trên cổng thông tin điện tử."
    assert c.recurring


def test_synthetic_table_with_plan_abbreviations() -> None:
    doc = _synthetic([
        "KẾ HOẠCH Nâng cao Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI) xã Tân An",
        "Giao công chức Quản lý đô thị - Môi trường (QLĐTMT) theo dõi chung.",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "Phụ lục",
        "NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI",
    ], tables=[[
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
        ["1", "Công khai, minh bạch", "", "", ""],
        ["1.1", "Danh sách hộ nghèo", "Công chức QLĐTMT", "Công chức VHXH", "Hàng quý"],
        ["", "công khai tại nhà văn hóa", "", "", ""],
        ["2", "Quản trị môi trường", "Công chức ĐCXD", "MTTQ", "Năm 2026"],
    ]])
    rows = extract_assignments(doc)
    _check_spans(doc, rows)
    assert len(rows) == 2
    first, second = rows
    assert first.index_code == "PAPI.TRANSPARENCY" and first.section_no == "Phụ lục/1.1"
    assert first.criterion == "Danh sách hộ nghèo công khai tại nhà văn hóa"  # continuation row joined
    assert first.lead_units == ["Công chức Quản lý đô thị - Môi trường"]  # the plan's own abbreviation
    assert first.support_units == ["Công chức Văn hóa - Xã hội"] and first.recurring
    assert second.index_code == "PAPI.ENVIRONMENT" and second.criterion is None  # group row with a lead
    assert second.lead_units == ["Công chức Địa chính - Xây dựng"] and not second.recurring
