"""Deadlines extractor: real corpus deadlines plus synthetic plans of other places and years."""
from __future__ import annotations

import pytest

from extractors.deadlines import extract_deadlines
from pipeline.model import Block, Cell, PlanDoc
from pipeline.rows import AssignmentRow
from tests.conftest import plan, processed

HONG_PHONG = [
    ("2023-03-15", "by_date", "xong trước ngày 15/03/2023"),
    ("2023-03-15", "by_date", "xong trước ngày 15/3/2023"),
    ("2023-03-31", "by_date", "hoàn thành trước ngày 31/3/2023"),
    ("2023-03-31", "by_quarter", "hoàn thành trong Quý I năm 2023"),
    ("2023-04-30", "by_date", "trước ngày 30/4/2023"),
    ("2023-03-31", "by_quarter", "trong Quý I năm 2023"),
    ("2023-03-31", "by_quarter", "trong Quý I năm 2023"),
    ("2023-03-31", "by_quarter", "trong Quý I"),  # no year written: the plan's year
    (None, "recurring", "trước ngày 20 tháng cuối Quý"),
]


def synthetic(text: str, blocks: list[Block] | None = None) -> PlanDoc:
    return PlanDoc("t", "t.txt", "t.txt", "", "txt", blocks or [], text=text)


def assignment(aid: int, start: int, end: int) -> AssignmentRow:
    return AssignmentRow(aid, None, None, None, None, None, None, [], [], "task", None, False, start, end)


def triples(rows):
    return [(r.date, r.kind, r.raw) for r in rows]


@pytest.mark.parametrize("name", ["hong-phong-2023.docx", "hong-phong-2023.md"])
def test_hong_phong(name):
    doc = plan(name)
    rows = extract_deadlines(doc, [])
    assert triples(rows) == HONG_PHONG
    for r in rows:
        assert doc.text[r.span_start:r.span_end] == r.raw
    # the cited plan "Kế hoạch số 49/KH-UBND ngày 13/02/2023" and the issue date are no deadlines
    assert "2023-02-13" not in {r.date for r in rows}


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau(name):
    rows = extract_deadlines(plan(name), [])
    assert triples(rows) == [("2023-02-28", "by_date", "xong trước ngày 28/02/2023")]


def test_phu_son_table_timing_column():
    doc = plan("phu-son-2023.docx")
    rows = extract_deadlines(doc, [])
    assert triples(rows) == [(None, "recurring", "Quý IV hàng năm")]  # no cited-document dates


def test_linked_to_the_assignment_that_contains_it():
    text = ("1. Chỉ số Chi phí thời gian\na) Văn phòng: rà soát TTHC, xong trước ngày 10/5/2024.\n"
            "b) Tư pháp: tuyên truyền pháp luật hoàn thành trong Quý III/2024.\n"
            "IV. TỔ CHỨC THỰC HIỆN\nCác bộ phận báo cáo kết quả trước ngày 15/12/2024.")
    a_end = text.index("b)")
    b_end = text.index("IV.")
    outer = assignment(9, 0, b_end)  # a wider block around both; the innermost one wins
    rows = extract_deadlines(synthetic(text), [outer, assignment(1, 0, a_end), assignment(2, a_end, b_end)])
    assert [(r.assignment_id, r.date, r.kind) for r in rows] == [
        (1, "2024-05-10", "by_date"), (2, "2024-09-30", "by_quarter"), (None, "2024-12-15", "by_date")]


def test_commitments_only():
    text = ("KẾ HOẠCH\nCải thiện chỉ số PAPI phường Đông Hải giai đoạn 2024 - 2025\n"
            "Căn cứ Quyết định số 1234/QĐ-UBND ngày 05/01/2024 của UBND tỉnh;\n"
            "Số liệu tính đến ngày 31/12/2023 cho thấy; giai đoạn 2021 - 2025; năm 2024.\n"
            "- Hoàn thành rà soát chậm nhất ngày 30/6/2024; họp định kỳ hằng tháng.\n"
            "- Thời gian thực hiện: tháng 8/2024.\n"
            "- Thời gian thực hiện: từ ngày 01/9/2024 đến ngày 30/9/2024.\n"
            "- Nộp báo cáo trong tháng 11 năm 2025; tổng hợp trước ngày 25 hằng tháng.\n"
            "- Tổ chức tuyên truyền thường xuyên; kiểm tra trong Quý II.\n")
    rows = extract_deadlines(synthetic(text), [])
    assert triples(rows) == [
        ("2024-06-30", "by_date", "chậm nhất ngày 30/6/2024"),
        ("2024-08-31", "by_month", "tháng 8/2024"),
        ("2024-09-30", "by_date", "đến ngày 30/9/2024"),
        ("2025-11-30", "by_month", "trong tháng 11 năm 2025"),
        (None, "recurring", "trước ngày 25 hằng tháng"),
        ("2024-06-30", "by_quarter", "trong Quý II"),  # bare quarter: the plan's first year
    ]


def test_table_cells_under_a_timing_header_only():
    header = [Cell("TT"), Cell("Nhiệm vụ"), Cell("Văn bản"), Cell("Thời gian hoàn thành")]
    row = [Cell("1"), Cell("Rà soát quy hoạch"), Cell("Công văn 12/UBND 03/02/2024"), Cell("30/9/2024")]
    text, pos = "", 0
    for r, cells in enumerate([header, row]):
        if r:
            text += "\n"
        for c, cell in enumerate(cells):
            if c:
                text += " | "
            cell.start = len(text)
            text += cell.text
            cell.end = len(text)
    table = Block("table", rows=[header, row], start=pos, end=len(text))
    rows = extract_deadlines(synthetic(text, [table]), [])
    assert triples(rows) == [("2024-09-30", "by_date", "30/9/2024")]


def test_end_to_end_links_to_assignments():
    result = processed("hong-phong-2023.docx")
    assert triples(result.deadlines) == HONG_PHONG
    if not result.assignments:
        pytest.skip("assignments extractor yields nothing yet")
    index_of = {a.assignment_id: a.index_code for a in result.assignments}
    assert [index_of.get(d.assignment_id) for d in result.deadlines] == [
        "DDCI.TRANSPARENCY", "DDCI.TRANSPARENCY", "DDCI.INFORMAL_COST", "DDCI.INFORMAL_COST",
        "DDCI.INFORMAL_COST", "DDCI.LEGAL_INSTITUTIONS", "DDCI.LEADERSHIP", "DDCI.LEADERSHIP",
        None,  # the quarterly report of the implementation section belongs to no assignment
    ]


def test_a_day_without_year_or_ngay_takes_the_plans_year_only_after_a_cue() -> None:
    from tests.conftest import text_plan

    doc = text_plan("KẾ HOẠCH\nNâng cao Chỉ số SIPAS xã Suối Tiên năm 2025\n"
                    "I. NHIỆM VỤ\n"
                    "1. Văn phòng chủ trì đối thoại với Nhân dân. Thời hạn: trước 15/10.\n"
                    "2. Trung tâm chủ trì bố trí khu vực chờ. Thời hạn: 30/9.\n"
                    "3. Năm 2024, chỉ số xếp thứ 3/11; có 5/12 xã đạt chuẩn trong 4/6 tháng.")
    got = [(d.date, d.kind, d.raw) for d in extract_deadlines(doc, [])]
    assert got == [("2025-10-15", "by_date", "trước 15/10"), ("2025-09-30", "by_date", "Thời hạn: 30/9")]
