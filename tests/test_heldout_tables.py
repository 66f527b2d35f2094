"""Assignment-table rules found by the seventh and eighth held-out authors: unit cells with role labels,
officer columns, leads written in the task cell, rows for two indices, capitalised verbs inside unit
names, and table rows split by a page break. Small synthetic plans of other localities."""
from __future__ import annotations

from extractors.assignments import _subject_of, extract_assignments
from pipeline.model import Block, Cell, PlanDoc
from pipeline.readers.tables import append_table
from tests.conftest import synthetic_plan as _doc


def _rows(doc: PlanDoc) -> list[tuple]:
    return [(r.section_no, r.index_code, r.lead_units, r.support_units) for r in extract_assignments(doc)]


def test_unit_cell_with_role_labels() -> None:
    # one "Đơn vị thực hiện" cell holds the lead and the support, each after its label (either case);
    # "Văn phòng HĐND và UBND phường" is one unit, not two at "và"
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số cải cách hành chính phường Tân Mai năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN",
    ], tables=[[
        ["TT", "Lĩnh vực", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"],
        ["1", "Cải cách tài chính công", "Công khai dự toán ngân sách phường",
         "Chủ trì: Phòng Kinh tế; phối hợp: Văn phòng HĐND và UBND phường", "Quý I/2026"],
        ["2", "Cải cách chế độ công vụ", "Đánh giá, xếp loại công chức",
         "Cơ quan chủ trì: Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND phường; Đơn vị phối hợp: Công an phường",
         "Tháng 12/2026"],
        ["3", "Cải cách thủ tục hành chính", "Số hóa hồ sơ thủ tục hành chính",
         "Bộ phận Một cửa; phối hợp: Phòng Kinh tế", "Thường xuyên"],
    ]])
    assert _rows(doc) == [
        ("II/1", "PAR_INDEX.PUBLIC_FINANCE", ["Phòng Kinh tế"], ["Văn phòng HĐND và UBND"]),
        ("II/2", "PAR_INDEX.CIVIL_SERVICE", ["Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND"], ["Công an xã"]),
        ("II/3", "PAR_INDEX.ADMIN_PROCEDURES", ["Bộ phận Tiếp nhận và Trả kết quả"], ["Phòng Kinh tế"]),
    ]


def test_officer_column_is_people_and_the_task_names_lead_and_component() -> None:
    # no unit column: the "tham mưu" column names officials; the task cell says who leads and who
    # supports, and names the component in brackets; a row for two indices is one row per index
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số DDCI và Chỉ số SIPAS huyện Yên Thành năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ",
    ], tables=[[
        ["TT", "Chỉ số", "Nhiệm vụ", "Lãnh đạo phụ trách", "Công chức/viên chức tham mưu", "Thời gian"],
        ["1", "Chỉ số DDCI", "Phòng Tư pháp chủ trì, phối hợp với Công an huyện rà soát thủ tục"
         " (chỉ số thành phần Chi phí thời gian)", "Ông Hồ Văn Lâm - Phó Chủ tịch UBND huyện",
         "Bà Trần Thị Na - Chuyên viên Phòng Tư pháp", "Quý II/2026"],
        ["2", "Chỉ số DDCI và Chỉ số SIPAS", "Văn phòng HĐND và UBND huyện chủ trì khảo sát doanh nghiệp",
         "Ông Hồ Văn Lâm - Phó Chủ tịch UBND huyện", "Ông Lê Văn Tú - Chuyên viên Văn phòng", "Quý III/2026"],
    ]])
    assert _rows(doc) == [
        ("II/1", "DDCI.TIME_COST", ["Phòng Tư pháp"], ["Công an huyện"]),
        ("II/2", "DDCI", ["Văn phòng HĐND và UBND"], []),
        ("II/2", "SIPAS", ["Văn phòng HĐND và UBND"], []),
    ]


def test_unit_column_with_posts_stays_the_lead() -> None:
    # a "Công chức thực hiện" column holding posts (no honorific, no name) still names the lead
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PAPI xã Hòa Bình năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ",
    ], tables=[[
        ["STT", "Nội dung công việc", "Công chức thực hiện", "Thời gian hoàn thành"],
        ["1", "Niêm yết công khai thủ tục hành chính", "Công chức Văn phòng - Thống kê", "Thường xuyên"],
    ]])
    assert [r[2] for r in _rows(doc)] == [["Công chức Văn phòng - Thống kê"]]


def test_capitalised_verb_inside_a_unit_name_does_not_end_the_list() -> None:
    lead, support = _subject_of("Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính, Sở Xây dựng, UBND"
                                " các huyện nâng cao chất lượng chợ nông thôn")
    assert lead == ["Sở Công Thương"]
    assert support == ["Sở Tài chính", "Sở Xây dựng", "UBND các huyện"]


def test_row_split_by_page_break_after_a_list_mark_is_joined() -> None:
    # the next page goes on with the last row's support list ("Sở A;" then "Sở B"): one row, not a
    # second row beside repeated cells; a row with its own content stays a row
    def table(*rows: list[str]) -> Block:
        return Block("table", rows=[[Cell(c) for c in r] for r in rows])

    head = ["STT", "Nội dung", "Chủ trì", "Phối hợp"]
    first = table(head, ["7", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "Sở Tài chính;"])
    append_table(first, table(["", "", "", "Sở Nội vụ"], ["8", "Đào tạo lao động", "Sở Nội vụ", "Sở Y tế"]))
    assert [[c.text for c in r] for r in first.rows[1:]] == [
        ["7", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "Sở Tài chính; Sở Nội vụ"],
        ["8", "Đào tạo lao động", "Sở Nội vụ", "Sở Y tế"]]
    merged = table(head, ["7", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "Sở Tài chính"])
    append_table(merged, table(["", "", "Sở Nội vụ", "Sở Y tế"]))
    assert [c.text for c in merged.rows[-1]] == ["7", "Hỗ trợ doanh nghiệp", "Sở Nội vụ", "Sở Y tế"]
