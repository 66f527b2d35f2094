"""Rules for values (scores, deadlines, people, header places) found by the seventh and eighth held-out
authors' plans, on small synthetic plans of other localities and wordings than those plans."""
from __future__ import annotations

from extractors.deadlines import extract_deadlines
from extractors.header import body_units, extract_header
from extractors.people import extract_people
from extractors.scores import extract_scores
from normalizers.dates import find_dates
from pipeline.model import PlanDoc
from tests.conftest import synthetic_plan as _doc


def _scores(doc: PlanDoc) -> list[tuple]:
    return [(s.kind, s.index_code, s.value, s.year, s.comparator) for s in extract_scores(doc)]


def test_a_target_table_takes_the_comparator_of_its_lead_in_sentence() -> None:
    doc = _doc([
        "KẾ HOẠCH",
        "Nâng cao Chỉ số PAPI tỉnh Gia Lai giai đoạn 2026 - 2027",
        "II. MỤC TIÊU",
        "Điểm số các nội dung phấn đấu tối thiểu đạt mức sau (đơn vị tính: điểm):",
    ], tables=[[
        ["TT", "Nội dung", "2026", "2027"],
        ["1", "Quản trị môi trường", "3,60", "≤ 3,90"],
        ["", "Tổng điểm PAPI", "43,00", "44,00"],
    ]], after=["III. NHIỆM VỤ", "Các sở, ngành thực hiện theo bảng dưới đây:"])
    assert _scores(doc) == [
        ("target", "PAPI.ENVIRONMENT", 3.6, 2026, ">="), ("target", "PAPI.ENVIRONMENT", 3.9, 2027, "<="),
        ("target", "PAPI", 43.0, 2026, ">="), ("target", "PAPI", 44.0, 2027, ">=")]


def test_a_table_without_a_stated_comparator_keeps_equal_and_below_is_no_comparator() -> None:
    doc = _doc([
        "KẾ HOẠCH",
        "Nâng cao Chỉ số PAPI tỉnh Gia Lai năm 2026",
        "Mục tiêu cụ thể theo bảng dưới đây:",
    ], tables=[[["TT", "Nội dung", "Mục tiêu 2026"], ["1", "Quản trị điện tử", "3,80"]]])
    assert _scores(doc) == [("target", "PAPI.E_GOVERNANCE", 3.8, 2026, "=")]


def test_a_value_alone_in_brackets_after_a_component_is_its_score() -> None:
    doc = _doc([
        "KẾ HOẠCH",
        "Nâng cao Chỉ số PAPI tỉnh Bình Định năm 2026",
        "I. KẾT QUẢ NĂM 2025",
        "Nội dung Quản trị điện tử (3,05 điểm) và Cung ứng dịch vụ công (7,41 điểm) còn thấp; nội dung"
        " Kiểm soát tham nhũng trong khu vực công (năm 2024: 6,2 điểm) đạt khá.",
    ])
    assert _scores(doc) == [("result", "PAPI.E_GOVERNANCE", 3.05, 2025, None),
                            ("result", "PAPI.PUBLIC_SERVICES", 7.41, 2025, None)]


def test_a_target_cell_of_prose_takes_its_rows_component() -> None:
    doc = _doc(["KẾ HOẠCH", "Nâng cao Chỉ số PCI tỉnh Phú Yên năm 2026", "PHỤ LỤC"], tables=[[
        ["STT", "Chỉ số thành phần", "Cơ quan chủ trì", "Mục tiêu năm 2026", "Thời gian"],
        ["1", "Gia nhập thị trường", "Sở Tài chính", "Đạt từ 7,4 điểm trở lên", "Thường xuyên"],
        ["2", "Chi phí thời gian", "Sở Nội vụ", "Không thấp hơn 7 điểm, xếp thứ 15/34 trở lên", "Định kỳ 6 tháng"],
        ["3", "Đào tạo lao động", "Sở Nội vụ", "Đạt 6,2 điểm", "Quý II/2026"],
        ["3", "Đào tạo lao động", "Sở Nội vụ", "Đạt 6,2 điểm", "Quý II/2026"],  # a row a page break repeated
    ]])
    assert _scores(doc) == [("target", "PCI.MARKET_ENTRY", 7.4, 2026, ">="),
                            ("target", "PCI.TIME_COST", 7.0, 2026, ">="),
                            ("target", "PCI.LABOR_TRAINING", 6.2, 2026, "=")]


def test_sipas_factors_are_named_like_components_and_may_share_a_target() -> None:
    doc = _doc([
        "KẾ HOẠCH",
        "Khảo sát sự hài lòng (SIPAS) tại UBND xã Ea Tiêu năm 2026",
        "I. KẾT QUẢ NĂM 2025",
        "Yếu tố Tiếp cận dịch vụ đạt 84,10% và yếu tố Tiếp nhận, xử lý phản ánh, kiến nghị đạt 86,5% là thấp"
        " nhất.",
        "II. CHỈ TIÊU",
        "Năm 2026: yếu tố Tiếp cận dịch vụ và yếu tố Tiếp nhận, xử lý phản ánh, kiến nghị mỗi yếu tố đạt từ"
        " 88% trở lên.",
    ])
    assert _scores(doc) == [
        ("result", "SIPAS.SERVICE_ACCESS", 84.1, 2025, None), ("result", "SIPAS.SERVICE_FEEDBACK", 86.5, 2025, None),
        ("target", "SIPAS.SERVICE_ACCESS", 88.0, 2026, ">="), ("target", "SIPAS.SERVICE_FEEDBACK", 88.0, 2026, ">=")]


def test_month_ranges_month_labels_and_no_bare_month_over_a_line_break() -> None:
    assert [(d.iso, d.kind) for d in find_dates("Tháng 10 - 12/2026: rà soát", 2026)] == [("2026-12-31", "by_month")]
    assert [d.raw for d in find_dates("Định kỳ 6 tháng\n6 | Chi phí", 2026)] == ["Định kỳ"]
    doc = _doc([
        "KẾ HOẠCH Khảo sát SIPAS tại UBND xã Cư Yang năm 2026",
        "III. TIẾN ĐỘ THỰC HIỆN",
        "1. Tháng 2/2026: Kiện toàn Tổ khảo sát.",
        "2. Tháng 5 - 6/2026: Phát phiếu khảo sát tại Bộ phận Một cửa.",
        "3. Hằng tháng: Mở hòm thư góp ý vào ngày làm việc cuối cùng của tháng.",
        "4. Tổ chức hội nghị vào tháng 8/2026 tại hội trường.",  # a date in a sentence, no label
    ])
    got = [(d.kind, d.date, d.raw) for d in extract_deadlines(doc, [])]
    assert got == [("by_month", "2026-02-28", "Tháng 2/2026"), ("by_month", "2026-06-30", "Tháng 5 - 6/2026"),
                   ("recurring", None, "vào ngày làm việc cuối cùng của tháng")]


def test_a_dated_recurrence_after_vao_is_a_commitment() -> None:
    doc = _doc(["KẾ HOẠCH Cải thiện DDCI huyện Lắk năm 2026", "Duy trì lịch tiếp doanh nghiệp vào ngày 10 hằng tháng."])
    assert [(d.kind, d.raw) for d in extract_deadlines(doc, [])] == [("recurring", "vào ngày 10 hằng tháng")]


def test_a_leader_label_needs_its_colon_and_a_signer_is_no_other() -> None:
    doc = _doc([
        "ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
        "KẾ HOẠCH Khảo sát SIPAS năm 2026",
        "I. NHIỆM VỤ",
        "Lãnh đạo phụ trách: Bà Trần Thị Hoa, Phó Chủ tịch UBND xã.",
        "1. Báo cáo Lãnh đạo phụ trách (yếu tố Tiếp cận dịch vụ). Giao Bà Lý Thị Hằng, công chức Văn hóa - Xã hội"
        " thực hiện.",
        "2. Công chức phụ trách: Ông Đào Văn Nam - Phó Trưởng Công an xã; Ông Hà Văn Tú - Thanh tra viên"
        " Thanh tra huyện.",
        "II. TỔ CHỨC THỰC HIỆN",
        "Đồng chí Lò Văn Pọm, Phó Chủ tịch UBND xã trực tiếp chỉ đạo.",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lò Văn Pọm",
    ])
    people = {p.name: (p.roles, p.title) for p in extract_people(doc, [])}
    assert people["Lò Văn Pọm"][0] == ["signer"]
    assert people["Trần Thị Hoa"][0] == ["leader"]
    assert people["Lý Thị Hằng"][0] == ["other"]
    assert people["Đào Văn Nam"] == (["other"], "Phó Trưởng Công an xã")
    assert people["Hà Văn Tú"] == (["other"], "Thanh tra viên Thanh tra huyện")


def test_a_province_name_with_a_dash_survives() -> None:
    assert [u.name for u in body_units("Căn cứ Kế hoạch của UBND tỉnh Bà Rịa - Vũng Tàu về PCI")] == [
        "Bà Rịa - Vũng Tàu"]
    # a dash that starts something else is no part of the name
    assert [u.name for u in body_units("UBND xã Hồng Phong - UBND huyện Cao Lộc")] == ["Hồng Phong", "Cao Lộc"]
    doc = _doc(["ỦY BAN NHÂN DÂN", "TỈNH BÀ RỊA - VŨNG TÀU", "Số: 12/KH-UBND", "KẾ HOẠCH Nâng cao Chỉ số PCI năm 2024"])
    assert extract_header(doc)["locality"].value == "Bà Rịa - Vũng Tàu"


def test_a_commune_after_the_2025_reform_has_no_district() -> None:
    doc = _doc([
        "ỦY BAN NHÂN DÂN",
        "XÃ THƯ LÂM",
        "Số: 30/KH-UBND",
        "Thư Lâm, ngày 10 tháng 10 năm 2025",
        "KẾ HOẠCH Nâng cao Chỉ số cải cách hành chính năm 2025",
        "Năm 2024, Chỉ số cải cách hành chính của huyện Đông Anh (cũ) đạt 89%.",
    ])
    header = extract_header(doc)
    assert "district" not in header
    assert header["province"].value == "Hà Nội"


def test_a_number_cell_of_a_score_table_is_read_once() -> None:
    doc = _doc(["KẾ HOẠCH", "Nâng cao Chỉ số PCI tỉnh Phú Yên năm 2026"], tables=[[
        ["STT", "Chỉ số thành phần", "Kết quả năm 2025", "Mục tiêu năm 2026"],
        ["1", "Gia nhập thị trường", "6,8 điểm", "7,4 điểm"],
    ]])
    assert _scores(doc) == [("result", "PCI.MARKET_ENTRY", 6.8, 2025, None),
                            ("target", "PCI.MARKET_ENTRY", 7.4, 2026, "=")]
