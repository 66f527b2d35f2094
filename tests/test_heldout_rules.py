"""Generalization rules found by the held-out evaluation (benchmarks/evaluate.py), on small
synthetic plans of other localities and layouts than the corpus."""
from __future__ import annotations

from extractors.assignments import extract_assignments
from extractors.deadlines import extract_deadlines, fill_timings
from extractors.header import find_signature
from extractors.people import extract_people
from extractors.references import extract_references
from extractors.scores import extract_scores
from normalizers.units import canonical_unit, split_units
from pipeline.assemble import assemble
from pipeline.model import Block, PlanDoc
from pipeline.segment import segment
from tests.conftest import synthetic_plan as _doc


def test_units_keep_a_level_the_catalog_name_does_not_have() -> None:
    assert canonical_unit("Công an tỉnh") == "Công an tỉnh"  # not the commune police
    assert canonical_unit("Bảo hiểm xã hội tỉnh") == "Bảo hiểm xã hội tỉnh"
    assert canonical_unit("Công an phường") == "Công an xã"  # same level: the catalog name
    assert canonical_unit("Bộ phận Một cửa thành phố") == "Bộ phận Tiếp nhận và Trả kết quả"
    assert split_units("Sở Thông tin và Truyền thông, các sở, ban, ngành") == [
        "Sở Thông tin và Truyền thông", "các sở, ban, ngành"]
    assert split_units("UBND các huyện, thị xã, thành phố") == ["UBND các huyện, thị xã, thành phố"]


def test_prose_lead_part_numbers_and_body_table() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số DDCI huyện Kim Sơn năm 2026",
        "PHẦN I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "PHẦN II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Chỉ số Chi phí thời gian",
        "Lãnh đạo phụ trách: Đồng chí Mai Văn Tùng, Phó Chủ tịch UBND huyện.",
        "Giao Phòng Nội vụ chủ trì, phối hợp với Thanh tra huyện, các phòng, ban liên quan rà soát quy trình.",
        "Thời gian thực hiện: Quý II/2026.",
        "2. Đối với Chỉ số PCI",
        "Giao Phòng Tài chính - Kế hoạch chủ trì theo dõi các nhiệm vụ tỉnh giao.",
        "3. Đối với Chỉ số DDCI",
        "Các cơ quan thực hiện các nhiệm vụ sau:",
    ], tables=[[
        ["ST T", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
        ["1", "Tính minh bạch và tiếp cận thông tin", "", "", ""],
        ["1.1", "Công khai danh mục dự án", "Phòng Văn hóa và Thông tin", "Phòng Nội vụ", "Hằng quý"],
    ]])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code) for r in rows] == [
        ("II.1", "DDCI.TIME_COST"), ("II.2", "PCI"), ("II.3/1.1", "DDCI.TRANSPARENCY")]
    first = rows[0]
    assert first.lead_units == ["Phòng Nội vụ"]
    assert first.support_units == ["Thanh tra huyện", "Các phòng, ban liên quan"]
    assert rows[1].lead_units == ["Phòng Tài chính - Kế hoạch"]
    assert rows[2].lead_units == ["Phòng Văn hóa và Thông tin"] and rows[2].recurring


def test_nested_authority_signature_and_own_number() -> None:
    doc = _doc([
        "ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
        "Số: 27/KH-UBND",
        "KẾ HOẠCH Cải cách hành chính năm 2026",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Báo cáo về Văn phòng - Thống kê trước ngày 20 tháng cuối mỗi quý; họp giao ban hằng quý.",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lò Văn Pọm",
        "Phụ lục",
        "(Kèm theo Kế hoạch số 27/KH-UBND của UBND xã)",
    ])
    sig = find_signature(doc)
    assert (sig.authority.value, sig.title.value, sig.name.value) == ("KT. Chủ tịch", "Phó Chủ tịch", "Lò Văn Pọm")
    refs = extract_references(doc)
    assert [(r.doc_kind, r.number, r.date) for r in refs] == [("Luật", None, "2015-06-19")]  # not itself
    assert [(d.kind, d.date) for d in extract_deadlines(doc, [])] == [("recurring", None)]  # not "hằng quý"


def test_unnamed_ranked_score_is_the_total_and_carries_to_the_next_sentence() -> None:
    doc = _doc([
        "KẾ HOẠCH Cải thiện chỉ số DDCI thị trấn Nông Cống năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Năm 2025 thị trấn đạt 70,5 điểm, xếp thứ 4/27 xã, thị trấn. Phấn đấu năm 2026 đạt 72 điểm trở lên.",
    ])
    got = [(s.kind, s.index_code, s.value, s.rank, s.year) for s in extract_scores(doc)]
    assert got == [("result", "DDCI.TOTAL", 70.5, 4, 2025), ("target", "DDCI.TOTAL", 72.0, None, 2026)]


# --- second held-out author: scores in %, weights in parentheses, result tables, marked leads ----

def _scores(doc: PlanDoc) -> list[tuple]:
    return [(s.kind, s.index_code, s.value, s.unit, s.year, s.rank, s.rank_of, s.change, s.comparator)
            for s in extract_scores(doc)]


def test_percent_scores_only_for_families_scored_in_percent() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số CCHC và Chỉ số SIPAS huyện Tam Nông năm 2026",
        "I. KẾT QUẢ NĂM 2025",
        "Chỉ số SIPAS năm 2025 của huyện đạt 83,9%, đứng thứ 7/12 huyện, thành phố, tăng 0,8% so với năm 2024;"
        " còn 14% người dân chưa hài lòng với thời gian chờ đợi.",
        "Chỉ số DDCI của huyện đạt 72% số điểm tối đa.",
        "II. MỤC TIÊU",
        "Năm 2026, Chỉ số cải cách hành chính không thấp hơn 90%; kiểm tra tối thiểu 40% cơ quan, đơn vị;"
        " tỷ lệ hồ sơ trực tuyến đạt 60% trở lên.",
    ])
    got = _scores(doc)
    assert ("result", "SIPAS", 83.9, "%", 2025, 7, 12, 0.8, None) in got
    assert ("target", "PAR_INDEX", 90.0, "%", 2026, None, None, None, ">=") in got
    # the "tỷ lệ …" goal is one row (not also a PAR INDEX score); shares and DDCI percentages are none
    assert [s[2] for s in got] == [83.9, 90.0, 60.0]


def test_weights_in_parentheses_and_targets_under_a_component_heading() -> None:
    doc = _doc([
        "KẾ HOẠCH",
        "Cải thiện Chỉ số DDCI thị xã Quảng Yên năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Ưu tiên các chỉ số: Cạnh tranh bình đẳng (chiếm tỷ trọng 5%), Thiết chế pháp lý và an ninh trật tự"
        " (trọng số 10%). Thương mại chiếm tỷ trọng 30% GRDP của thị xã.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Chỉ số Tính năng động và hiệu lực của địa phương (trọng số 20%)",
        "Mục tiêu năm 2026: tối thiểu 6,9 điểm.",
        "2. Các chỉ số khác",
        "Phấn đấu không có chỉ số thành phần nào dưới 5 điểm.",
    ])
    got = _scores(doc)
    assert got == [
        ("weight", "DDCI.EQUAL_COMPETITION", 5.0, "%", 2026, None, None, None, None),
        ("weight", "DDCI.LEGAL_INSTITUTIONS", 10.0, "%", 2026, None, None, None, None),
        ("weight", "DDCI.PROACTIVITY", 20.0, "%", 2026, None, None, None, None),
        ("target", "DDCI.PROACTIVITY", 6.9, "điểm", 2026, None, None, None, ">="),
    ]


def test_result_table_rank_and_change_belong_to_the_latest_year() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PAPI phường Đông Hải năm 2026",
        "Kết quả các nội dung của tỉnh như sau:",
    ], tables=[[
        ["TT", "Nội dung", "Điểm năm 2024", "Điểm năm 2025", "Tăng (+), giảm (-)", "Thứ hạng năm 2025"],
        ["1", "Trách nhiệm giải trình với người dân", "4,21", "3,81", "-0,40", "51/63"],
        ["2", "Cung ứng dịch vụ công", "7,02", "7,35", "+0,33", "12"],
    ]])
    got = [(s.index_code, s.value, s.year, s.rank, s.rank_of, s.change) for s in extract_scores(doc)]
    assert got == [
        ("PAPI.ACCOUNTABILITY", 4.21, 2024, None, None, None),
        ("PAPI.ACCOUNTABILITY", 3.81, 2025, 51, 63, -0.4),
        ("PAPI.PUBLIC_SERVICES", 7.02, 2024, None, None, None),
        ("PAPI.PUBLIC_SERVICES", 7.35, 2025, 12, None, 0.33),
    ]


def test_result_table_takes_its_year_from_the_caption_and_skips_the_maximum() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số CCHC huyện Bảo Lâm năm 2026",
        "Bảng 1. Điểm Chỉ số CCHC năm 2025 theo từng lĩnh vực",
    ], tables=[[
        ["STT", "Lĩnh vực", "Điểm tối đa", "Điểm đạt được", "Xếp hạng"],
        ["1", "Cải cách tổ chức bộ máy hành chính", "8", "6,75", "3/14"],
    ]])
    got = [(s.kind, s.index_code, s.value, s.year, s.rank, s.rank_of) for s in extract_scores(doc)]
    assert got == [("result", "PAR_INDEX.ORGANIZATION", 6.75, 2025, 3, 14)]


def test_labels_run_together_and_role_marks() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số CCHC và Chỉ số SIPAS huyện Mường Khương năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Cải cách tổ chức bộ máy hành chính",
        "- Rà soát chức năng, nhiệm vụ các cơ quan chuyên môn.",
        "- Cơ quan chủ trì: Phòng Nội vụ; Cơ quan phối hợp: Phòng Tư pháp. Thời gian thực hiện: trước ngày 31/8/2026.",
        "2. Cải cách tài chính công",
        "- Phòng Tài chính - Kế hoạch (chủ trì), Kho bạc Nhà nước huyện (phối hợp).",
        "- Công khai dự toán, quyết toán ngân sách.",
        "- Thời gian: 6 tháng cuối năm 2026.",
        "3. Cải thiện Chỉ số SIPAS",
        "Mục tiêu: nâng cao sự hài lòng.",
        "Giao Văn phòng HĐND và UBND huyện chủ trì, phối hợp Trung tâm Văn hóa - Thông tin và Thể thao huyện"
        " khảo sát sự hài lòng; các phòng phối hợp cung cấp thông tin.",
        "Thời gian: Quý IV/2026.",
    ])
    rows = extract_assignments(doc)
    got = [(r.section_no, r.index_code, r.lead_units, r.support_units, r.timing) for r in rows]
    assert got == [
        ("II.1", "PAR_INDEX.ORGANIZATION", ["Phòng Nội vụ"], ["Phòng Tư pháp"], "trước ngày 31/8/2026"),
        ("II.2", "PAR_INDEX.PUBLIC_FINANCE", ["Phòng Tài chính - Kế hoạch"], ["Kho bạc Nhà nước huyện"],
         "6 tháng cuối năm 2026"),
        ("II.3", "SIPAS", ["Văn phòng HĐND và UBND"], ["Trung tâm Văn hóa - Thông tin và Thể thao"], "Quý IV/2026"),
    ]
    assert [(d.kind, d.date) for d in extract_deadlines(doc, rows)] == [
        ("by_date", "2026-08-31"), ("by_month", "2026-12-31"), ("by_quarter", "2026-12-31")]


def test_table_with_roman_groups_and_one_unit_column_with_marks() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PAPI xã Nghĩa Lâm năm 2026",
        "PHỤ LỤC",
    ], tables=[[
        ["STT", "Nội dung công việc", "Đơn vị thực hiện", "Thời hạn"],
        ["I", "Công khai, minh bạch", "", ""],
        ["1", "Niêm yết danh sách hộ nghèo", "Công chức Văn hóa - Xã hội (chủ trì); Trưởng các thôn (phối hợp)",
         "Tháng 9/2026"],
        ["2", "Công khai quy hoạch sử dụng đất", "Công chức Địa chính - Xây dựng", "Thường xuyên"],
        ["II", "Quản trị môi trường", "", ""],
        ["3", "Thu gom rác thải tại các thôn", "Hội Nông dân (chủ trì); Đoàn Thanh niên (phối hợp)", "Hằng tháng"],
    ]])
    got = [(r.index_code, r.lead_units, r.support_units) for r in extract_assignments(doc)]
    assert got == [
        ("PAPI.TRANSPARENCY", ["Công chức Văn hóa - Xã hội"], ["Trưởng các thôn"]),
        ("PAPI.TRANSPARENCY", ["Công chức Địa chính - Xây dựng"], []),
        ("PAPI.ENVIRONMENT", ["Hội Nông dân"], ["Đoàn Thanh niên Cộng sản Hồ Chí Minh"]),
    ]


def test_year_columns_are_results_before_the_plan_and_targets_from_it() -> None:
    doc = _doc(["KẾ HOẠCH", "Nâng cao Chỉ số CCHC và Chỉ số SIPAS huyện Si Ma Cai năm 2026"], tables=[[
        ["TT", "Chỉ số", "Năm 2025 (%)", "Năm 2026 (%)", "Xếp hạng"],
        ["1", "Chỉ số hài lòng", "82,7", "86", "9/9"],
    ]])
    got = [(s.kind, s.index_code, s.value, s.unit, s.year, s.rank) for s in extract_scores(doc)]
    assert got == [("result", "SIPAS", 82.7, "%", 2025, 9), ("target", "SIPAS", 86.0, "%", 2026, None)]


# --- third author's layouts (session 4) ----------------------------------------------------------

def test_tasks_grouped_under_the_unit_that_carries_them() -> None:
    """A province plan lists tasks per unit ("1. Sở X:" then "- …" items): one row per item, led by
    the unit, support from "phối hợp với", index from the component the item names, timing from its
    label or from the commitment it writes."""
    doc = _doc([
        "KẾ HOẠCH Cải thiện Chỉ số PCI tỉnh Lào Cai năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ CỤ THỂ CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "1. Sở Tài chính:",
        "- Chủ trì, phối hợp với Cục Thuế tỉnh rút ngắn thời gian đăng ký doanh nghiệp, cải thiện chỉ số "
        "Gia nhập thị trường. Thời gian hoàn thành: trước ngày 30/9/2025.",
        "- Phối hợp với Văn phòng UBND tỉnh tổ chức đối thoại doanh nghiệp, giảm Chi phí không chính thức.",
        "- Chủ trì tổng hợp kết quả thực hiện Kế hoạch, hoàn thành trước ngày 15/12/2025.",
        "2. Thanh tra tỉnh:",
        "- Chủ trì kiểm tra công vụ, xử lý cán bộ gây phiền hà. Thời gian: định kỳ 6 tháng.",
        "3. Các nhiệm vụ trọng tâm: rà soát thủ tục hành chính.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các sở triển khai.",
    ])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code, r.lead_units) for r in rows] == [
        ("II.1", "PCI.MARKET_ENTRY", ["Sở Tài chính"]),
        ("II.1", "PCI.INFORMAL_COST", ["Sở Tài chính"]),
        ("II.1", "PCI", ["Sở Tài chính"]),
        ("II.2", "PCI", ["Thanh tra tỉnh"])]
    assert rows[0].support_units == ["Cục Thuế tỉnh"] and rows[0].timing == "trước ngày 30/9/2025"
    assert rows[1].support_units == ["Văn phòng UBND tỉnh"]
    assert rows[3].timing == "định kỳ 6 tháng" and rows[3].recurring
    # the commitment written in a task without a timing label becomes its timing (run.py fills it)
    fill_timings(rows, extract_deadlines(doc, rows))
    assert rows[2].timing == "hoàn thành trước ngày 15/12/2025"


def test_family_group_heading_with_component_topics_and_acronyms() -> None:
    """"1. Nhóm nhiệm vụ nâng cao Chỉ số CCHC" heads a family block; its items name their component
    before a colon ("Cải cách TTHC:") and their lead after it, abbreviated ("VP HĐND-UBND")."""
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số cải cách hành chính (PAR INDEX) huyện Mường Khương năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Nhóm nhiệm vụ nâng cao Chỉ số CCHC",
        "a) Cải cách TTHC: VP HĐND-UBND huyện chủ trì, phối hợp Phòng Tư pháp rà soát, công bố TTHC. "
        "Thời gian: Quý 3/2025.",
        "b) Cải cách chế độ công vụ: Phòng Nội vụ chủ trì, phối hợp với Thanh tra huyện kiểm tra kỷ luật.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các cơ quan triển khai.",
    ])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code) for r in rows] == [
        ("II.1.a", "PAR_INDEX.ADMIN_PROCEDURES"), ("II.1.b", "PAR_INDEX.CIVIL_SERVICE")]
    assert rows[0].lead_units == ["Văn phòng HĐND và UBND"] and rows[0].support_units == ["Phòng Tư pháp"]
    assert rows[0].timing == "Quý 3/2025"
    assert rows[1].support_units == ["Thanh tra huyện"]


def test_unnumbered_paragraphs_that_assign_and_a_support_ended_by_its_verb() -> None:
    """Paragraphs whose subject is a unit leading a task are assignments even without numbering; a
    support unit ends before its verb even when no verb list knows it ("đăng tải")."""
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số DDCI huyện Bảo Thắng năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "Tăng cường tuyên truyền về Chỉ số DDCI; các cơ quan thực hiện các nhiệm vụ sau:",
        "Phòng Văn hóa và Thông tin chủ trì, phối hợp với Trung tâm Văn hóa - Thông tin và Thể thao huyện "
        "đăng tải đầy đủ quy hoạch, kế hoạch (chỉ số Tính minh bạch và tiếp cận thông tin); thời gian thực "
        "hiện: hằng quý.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các cơ quan triển khai.",
    ])
    rows = extract_assignments(doc)
    assert [(r.index_code, r.lead_units, r.support_units, r.timing) for r in rows] == [
        ("DDCI.TRANSPARENCY", ["Phòng Văn hóa và Thông tin"], ["Trung tâm Văn hóa - Thông tin và Thể thao"],
         "hằng quý")]


def test_table_groups_per_index_with_restarting_numbers_and_partial_role_marks() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PAPI, Chỉ số SIPAS phường Cốc Lếu năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "PHỤ LỤC",
        "NHIỆM VỤ, GIẢI PHÁP",
    ], tables=[[
        ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["A", "CHỈ SỐ PAPI", "", "", ""],
        ["1", "Tuyên truyền về Chỉ số PAPI", "Công chức Văn hóa - Xã hội", "", "Quý I/2025"],
        ["2", "Đối thoại với nhân dân (Trách nhiệm giải trình với người dân)",
         "Văn phòng; Công an phường (phối hợp)", "", "Hằng quý"],
        ["B", "CHỈ SỐ SIPAS", "", "", ""],
        ["1", "Lấy ý kiến đánh giá sự hài lòng", "Công chức Văn phòng - Thống kê", "", "Quý IV/2025"],
    ]])
    rows = extract_assignments(doc)
    assert [(r.section_no.split("/")[-1], r.index_code) for r in rows] == [
        ("A.1", "PAPI"), ("A.2", "PAPI.ACCOUNTABILITY"), ("B.1", "SIPAS")]
    assert rows[1].lead_units == ["Văn phòng"] and rows[1].support_units == ["Công an xã"]


def test_a_leader_column_is_the_rows_leader_not_its_lead() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PAPI xã Bản Lầu năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
    ], tables=[[
        ["TT", "Chỉ số nội dung", "Lãnh đạo phụ trách", "Công chức phụ trách", "Thời gian hoàn thành"],
        ["1", "Quản trị môi trường", "Đồng chí Lò Văn Sình - Phó Chủ tịch UBND xã",
         "Công chức Địa chính - Xây dựng", "Quý II/2025"],
    ]])
    (row,) = extract_assignments(doc)
    assert row.index_code == "PAPI.ENVIRONMENT"
    assert row.lead_units == ["Công chức Địa chính - Xây dựng"]
    assert row.leader == "Đồng chí Lò Văn Sình - Phó Chủ tịch UBND xã"


def test_a_unit_heading_whose_number_ocr_misread() -> None:
    """In a scan "5." comes out as "S."; the outline reads it as 5 and the unit's tasks follow it."""
    blocks = [Block("paragraph", text=p) for p in [
        "KẾ HOẠCH Cải thiện Chỉ số PCI tỉnh Lai Châu năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ CỤ THỂ CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "1. Sở Tư pháp:", "- Chủ trì trợ giúp pháp lý cho doanh nghiệp. Thời gian: hằng năm.",
        "2. Sở Nội vụ:", "- Chủ trì kiểm tra công vụ. Thời gian: Quý II/2025.",
        "3. Sở Công Thương:", "- Chủ trì xúc tiến thương mại. Thời gian: Quý III/2025.",
        "4. Sở Xây dựng:", "- Chủ trì cấp phép xây dựng đúng hạn. Thời gian: thường xuyên.",
        "S. Thanh tra tỉnh:", "- Chủ trì thanh tra công vụ, giảm Chi phí không chính thức. Thời gian: định kỳ 6 tháng.",
        "III. TỔ CHỨC THỰC HIỆN", "Các sở triển khai.",
    ]]
    doc = segment(assemble(PlanDoc("x", "x.pdf", "x.pdf", "0" * 64, "pdf", blocks, ocr=True)))
    last = extract_assignments(doc)[-1]
    assert (last.section_no, last.lead_units, last.index_code) == ("II.5", ["Thanh tra tỉnh"], "PCI.INFORMAL_COST")


# --- fifth author's layouts (session 4) ----------------------------------------------------------

def test_items_under_a_bold_component_line_and_numbered_items_led_by_a_named_unit() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số DDCI huyện Sìn Hồ năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "Chỉ số Chi phí thời gian",
        "1. Văn phòng HĐND và UBND huyện chủ trì rà soát quy trình nội bộ. Thời gian: Quý II/2025.",
        "2. UBND các xã, thị trấn tiếp nhận, giải quyết hồ sơ đúng hạn. Thời gian: thường xuyên.",
        "Chỉ số Tính minh bạch và tiếp cận thông tin",
        "3. Phòng Văn hóa, Khoa học và Thông tin chủ trì cập nhật quy hoạch trên Trang thông tin điện tử.",
        "4. Các cơ quan, đơn vị tăng cường tuyên truyền.",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Giao Thanh tra huyện chủ trì kiểm tra công vụ (chỉ số Chi phí không chính thức); hoàn thành "
        "trong Quý III/2025.",
        "2. Phòng Tài chính - Kế hoạch là cơ quan thường trực, tổng hợp kết quả.",
    ])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code, r.lead_units) for r in rows] == [
        ("II.1", "DDCI.TIME_COST", ["Văn phòng HĐND và UBND"]),
        ("II.2", "DDCI.TIME_COST", ["UBND các xã, thị trấn"]),
        ("II.3", "DDCI.TRANSPARENCY", ["Phòng Văn hóa, Khoa học và Thông tin"]),
        ("III.1", "DDCI.INFORMAL_COST", ["Thanh tra huyện"])]  # a general duty naming no index is no task


def test_bracketed_items_open_with_their_component() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số SIPAS xã Tả Van năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Nhóm nội dung cung ứng dịch vụ hành chính công (Ông Lò Văn Dụng, Chủ tịch UBND xã phụ trách)",
        "(1) Tiếp cận dịch vụ: Trung tâm Phục vụ hành chính công xã chủ trì bố trí khu vực chờ. "
        "Thời hạn: trong tháng 9.",
        "(2) Cơ hội của người dân tham gia ý kiến đối với chính sách: Phòng Văn hóa - Xã hội chủ trì đăng tải "
        "dự thảo chính sách.",
    ])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code, r.lead_units) for r in rows] == [
        ("II.1.(1)", "SIPAS.SERVICE_ACCESS", ["Trung tâm Phục vụ hành chính công xã"]),
        ("II.1.(2)", "SIPAS.POLICY_PARTICIPATION", ["Phòng Văn hóa - Xã hội"])]


def test_a_blank_index_cell_beside_a_task_is_the_index_above() -> None:
    doc = _doc([
        "KẾ HOẠCH Cải thiện Chỉ số PCI tỉnh Điện Biên năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
    ], tables=[[
        ["TT", "Chỉ số thành phần", "Nhiệm vụ", "Thời hạn", "Chủ trì", "Phối hợp"],
        ["1", "Gia nhập thị trường", "Rút ngắn thời gian đăng ký doanh nghiệp", "Quý IV/2025", "Sở Tài chính", ""],
        ["2", "", "Hỗ trợ hộ kinh doanh chuyển đổi lên doanh nghiệp", "Năm 2026", "UBND các xã, phường", ""],
    ]])
    rows = extract_assignments(doc)
    assert [(r.index_code, r.task) for r in rows] == [
        ("PCI.MARKET_ENTRY", "Rút ngắn thời gian đăng ký doanh nghiệp"),
        ("PCI.MARKET_ENTRY", "Hỗ trợ hộ kinh doanh chuyển đổi lên doanh nghiệp")]


def test_dated_bullet_items_of_an_index_block_are_tasks_of_their_own() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PAPI xã Mường Chiềng năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "II. NỘI DUNG VÀ PHÂN CÔNG NHIỆM VỤ",
        "1. Công khai, minh bạch trong việc ra quyết định",
        "Lãnh đạo phụ trách: Phó Chủ tịch UBND xã Đinh Công Sơn.",
        "Công chức phụ trách: Địa chính - Xây dựng.",
        "+ Niêm yết kế hoạch sử dụng đất tại trụ sở UBND xã. Thời hạn: trước ngày 15/4/2025.",
        "+ Công khai danh sách hộ được hỗ trợ làm nhà ở. Thời hạn: Quý III/2025.",
        "2. Quản trị môi trường",
        "Công chức phụ trách: Địa chính - Xây dựng.",
        "+ Thu gom rác thải tại các xóm.",
        "+ Kiểm tra các cơ sở chăn nuôi. Thời hạn: thường xuyên.",
    ])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code, r.timing) for r in rows] == [
        ("II.1", "PAPI.TRANSPARENCY", "trước ngày 15/4/2025"), ("II.1", "PAPI.TRANSPARENCY", "Quý III/2025"),
        ("II.2", "PAPI.ENVIRONMENT", "thường xuyên")]  # one undated item: the block stays one task
    assert rows[0].lead_units == rows[1].lead_units == ["Công chức Địa chính - Xây dựng"]
    people = extract_people(doc, rows)
    assert [(p.name, p.roles, p.title) for p in people] == [("Đinh Công Sơn", ["leader"], "Phó Chủ tịch UBND xã")]


def test_task_headings_numbered_by_a_label_word_head_index_blocks() -> None:
    """"Nhiệm vụ 1. <component>" sub-headings (a label word numbering them) head index blocks numbered
    "<part>.<n>"; "+" items that each name their own lead and deadline are one assignment each; a heading
    that names its component in brackets ("(tiêu chí …)") gets that component."""
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số cải cách hành chính của huyện Tân Hồng năm 2026",
        "Căn cứ Quyết định số 20/QĐ-UBND ngày 05/01/2026 của UBND tỉnh về Kế hoạch cải cách hành chính.",
        "Phần I", "MỤC ĐÍCH, YÊU CẦU", "Nâng cao Chỉ số cải cách hành chính của huyện.",
        "Phần II", "NHIỆM VỤ TRỌNG TÂM",
        "Nhiệm vụ 1. Cải cách tổ chức bộ máy hành chính",
        "Rà soát chức năng, nhiệm vụ của các phòng chuyên môn thuộc UBND huyện.",
        "- Đơn vị chủ trì: Phòng Nội vụ. Đơn vị phối hợp: Phòng Tư pháp.",
        "- Thời hạn: trong Quý II/2026.",
        "Nhiệm vụ 2. Cải cách thủ tục hành chính",
        "+ Công khai thủ tục hành chính tại Bộ phận Một cửa. Chủ trì: Văn phòng HĐND và UBND huyện. "
        "Thời hạn: trước ngày 30/4/2026.",
        "+ Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính. Chủ trì: Phòng Văn hóa và Thông tin; phối hợp: "
        "Phòng Nội vụ. Thời hạn: trước ngày 30/9/2026.",
        "Nhiệm vụ 3. Nâng cao chất lượng phục vụ (tiêu chí Tác động của cải cách hành chính)",
        "Khảo sát mức độ hài lòng của người dân đối với dịch vụ hành chính công.",
        "- Đơn vị chủ trì: Phòng Nội vụ.",
        "- Thời hạn: trong tháng 11/2026.",
        "Phần III", "TỔ CHỨC THỰC HIỆN", "Các cơ quan, đơn vị triển khai thực hiện./.",
    ])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code, r.lead_units, r.timing) for r in rows] == [
        ("II.1", "PAR_INDEX.ORGANIZATION", ["Phòng Nội vụ"], "trong Quý II/2026"),
        ("II.2", "PAR_INDEX.ADMIN_PROCEDURES", ["Văn phòng HĐND và UBND"], "trước ngày 30/4/2026"),
        ("II.2", "PAR_INDEX.ADMIN_PROCEDURES", ["Phòng Văn hóa và Thông tin"], "trước ngày 30/9/2026"),
        ("II.3", "PAR_INDEX.IMPACT", ["Phòng Nội vụ"], "trong tháng 11/2026")]
    assert rows[0].support_units == ["Phòng Tư pháp"] and rows[2].support_units == ["Phòng Nội vụ"]


def test_component_headings_of_a_two_family_plan_take_the_family_the_part_names() -> None:
    """Sentence-case parts above Roman component headings in a PCI + DDCI plan: a component both
    families share is the one of the family the part's opening sentence names first (here DDCI), a
    component only one family has is that family's; the heading's component holds for the items below."""
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số PCI và Chỉ số DDCI huyện Đức Hòa năm 2026",
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND tỉnh Long An về nâng cao Chỉ số PCI.",
        "Mục đích, yêu cầu",
        "Cải thiện môi trường đầu tư, kinh doanh trên địa bàn huyện năm 2026.",
        "Nội dung và phân công nhiệm vụ",
        "Các nhiệm vụ theo các chỉ số thành phần DDCI của huyện; riêng chỉ số Đào tạo lao động là chỉ số "
        "thành phần PCI của tỉnh.",
        "I. Chỉ số Chi phí thời gian",
        "1. Văn phòng HĐND và UBND huyện chủ trì rà soát quy trình nội bộ. Thời gian: Quý II/2026.",
        "2. Phòng Tư pháp chủ trì rà soát thủ tục liên quan đến doanh nghiệp. Thời gian: Quý III/2026.",
        "II. Chỉ số Đào tạo lao động",
        "Phòng Nội vụ chủ trì, phối hợp với Phòng Giáo dục và Đào tạo tổ chức đào tạo nghề. Thời gian: Quý III/2026.",
        "Tổ chức thực hiện",
        "Phòng Tài chính - Kế hoạch theo dõi, đôn đốc các cơ quan thực hiện Kế hoạch./.",
    ])
    assert [s.kind for s in doc.sections][:4] == ["preamble", "purpose", "assignments", "implementation"]
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code, r.lead_units) for r in rows] == [
        ("I.1", "DDCI.TIME_COST", ["Văn phòng HĐND và UBND"]), ("I.2", "DDCI.TIME_COST", ["Phòng Tư pháp"]),
        ("II", "PCI.LABOR_TRAINING", ["Phòng Nội vụ"])]
