"""Prose assignment rules found by the second held-out set: a unit's lead-in above its bullets,
persons in charge, component headings that carry their task, timeline items with named officers
and recurrences written inside a task. Small synthetic plans of other places and wordings."""
from __future__ import annotations

from extractors.assignments import extract_assignments
from extractors.deadlines import extract_deadlines, fill_timings
from pipeline.rows import AssignmentRow
from tests.conftest import synthetic_plan as _doc


def _rows(paragraphs: list[str]) -> list[AssignmentRow]:
    doc = _doc(paragraphs)
    rows = extract_assignments(doc)
    fill_timings(rows, extract_deadlines(doc, rows))
    return rows


def _plan(family_title: str, body: list[str], level: str = "HUYỆN MINH LONG") -> list[str]:
    return [f"ỦY BAN NHÂN DÂN {level}", "KẾ HOẠCH", family_title, "I. MỤC ĐÍCH, YÊU CẦU",
            "Nâng cao chỉ số.", "II. NHIỆM VỤ CỦA CÁC CƠ QUAN", *body, "III. KINH PHÍ",
            "Ngân sách huyện.", "IV. TỔ CHỨC THỰC HIỆN", "Các cơ quan thực hiện."]


def test_unit_lead_in_above_bullets_is_a_heading_whose_component_and_support_the_bullets_inherit() -> None:
    rows = _rows(_plan("Cải thiện Chỉ số DDCI huyện Minh Long năm 2026", [
        "1. Phòng Tài nguyên và Môi trường: Chủ trì cải thiện Chỉ số Tiếp cận đất đai và tính ổn định "
        "trong sử dụng đất; phối hợp với Phòng Nội vụ, UBND các xã thực hiện:",
        "- Niêm yết bảng giá đất tại trụ sở UBND các xã trước ngày 31/5/2026.",
        "- Giải quyết hồ sơ đất đai tồn đọng, thực hiện thường xuyên.",
        "2. Thanh tra huyện: Chủ trì cải thiện Chỉ số Chi phí không chính thức; phối hợp với Phòng Nội vụ "
        "kiểm tra công vụ tại Bộ phận Một cửa định kỳ 6 tháng một lần, xử lý nghiêm vi phạm.",
    ]))
    assert [(r.section_no, r.index_code) for r in rows] == [
        ("II.1", "DDCI.LAND_ACCESS"), ("II.1", "DDCI.LAND_ACCESS"), ("II.2", "DDCI.INFORMAL_COST")]
    assert all(r.lead_units == ["Phòng Tài nguyên và Môi trường"] for r in rows[:2])
    assert rows[0].support_units == ["Phòng Nội vụ", "UBND các xã, thị trấn"]  # catalog name
    assert (rows[0].timing, rows[0].recurring) == ("trước ngày 31/5/2026", False)
    assert (rows[1].timing, rows[1].recurring) == ("thực hiện thường xuyên", True)
    assert (rows[2].timing, rows[2].recurring) == ("định kỳ 6 tháng một lần", True)  # no bullets: the row


def test_a_person_in_charge_is_no_unit_and_only_lends_a_post_when_no_unit_leads() -> None:
    rows = _rows(_plan("Cải thiện Chỉ số DDCI xã Tân Lập năm 2026", [
        "1. Chỉ số Thiết chế pháp lý và an ninh trật tự",
        "a) Bảo đảm an ninh trật tự tại khu vực chợ.",
        "- Cơ quan chủ trì: Công an xã.",
        "- Công chức phụ trách: Ông Hà Văn Nam - Phó Trưởng Công an xã.",
        "- Thời gian: Thường xuyên.",
        "b) Phổ biến pháp luật cho hộ kinh doanh.",
        "- Người phụ trách: Bà Lò Thị Hoa - Công chức Tư pháp - Hộ tịch.",
        "- Thời gian: Quý II/2026.",
    ], level="XÃ TÂN LẬP"))
    assert [r.lead_units for r in rows] == [["Công an xã"], ["Công chức Tư pháp - Hộ tịch"]]


def test_component_headings_carry_their_task_through_typing_noise_and_acronyms() -> None:
    rows = _rows(_plan("Nâng cao Chỉ số PAPI và Chỉ số DDCI huyện Minh Long năm 2026", [
        "Phòng Tài chính - Kế hoạch (sau đây gọi tắt là Phòng TC-KH) theo dõi chung.",
        "1. Đối với Chỉ số PAPI",
        "1.1. Trách nhiem giải trình với người dân: Thanh tra huyện chủ trì, phối hơp với Văn phòng HĐND "
        "và UBND huyện duy trì tiếp công dân định kỳ; giải quyết đơn thư trước ngày 31/10/2026.",
        "2. Đối với Chỉ số DDCI",
        "2.1. Chỉ số Dich vụ hỗ trợ doanh nghiệp: TC-KH chủ trì, phối hợp Hội Doanh nghiệp huyện tổ chức "
        "đối thoại với doanh nghiệp. Thời gian: tháng 10/2026.",
    ]))
    assert [(r.section_no, r.index_code, r.lead_units) for r in rows] == [
        ("II.1.1", "PAPI.ACCOUNTABILITY", ["Thanh tra huyện"]),
        ("II.2.1", "DDCI.BUSINESS_SUPPORT", ["Phòng Tài chính - Kế hoạch"])]
    assert rows[0].support_units == ["Văn phòng HĐND và UBND"]
    assert rows[0].timing == "trước ngày 31/10/2026"  # "tiếp công dân định kỳ" is no timing
    assert rows[1].support_units == ["Hội Doanh nghiệp huyện"] and rows[1].timing == "tháng 10/2026"


def test_timeline_items_take_their_month_label_and_the_posts_of_the_named_officers() -> None:
    rows = _rows(_plan("Khảo sát Chỉ số hài lòng (SIPAS) xã Tân Lập năm 2026", [
        "1. Tháng 5/2026: Chuẩn bị phiếu khảo sát. Giao Ông Vi Văn Long, công chức Văn phòng - Thống kê "
        "chủ trì; Bà Lò Thị Hoa, công chức Tư pháp - Hộ tịch phối hợp.",
        "2. Tháng 6 - 7/2026: Bố trí chỗ để xe cho người dân (yếu tố Tiếp cận dịch vụ). Giao Ông Vi Văn Long "
        "chủ trì; Công an xã phối hợp.",
        "3. Hằng tháng: Mở hòm thư góp ý. Giao Bà Lò Thị Hoa thực hiện.",
    ], level="XÃ TÂN LẬP"))
    assert [(r.section_no, r.index_code, r.lead_units, r.support_units, r.timing, r.recurring) for r in rows] == [
        ("II.1", "SIPAS", ["Công chức Văn phòng - Thống kê"], ["Công chức Tư pháp - Hộ tịch"], "Tháng 5/2026", False),
        ("II.2", "SIPAS.SERVICE_ACCESS", ["Công chức Văn phòng - Thống kê"], ["Công an xã"], "Tháng 6 - 7/2026",
         False),
        ("II.3", "SIPAS", ["Công chức Tư pháp - Hộ tịch"], [], "Hằng tháng", True)]


def test_fill_timings_reads_clause_closing_recurrences_in_task_order() -> None:
    def row(task: str) -> AssignmentRow:
        return AssignmentRow(1, None, None, None, None, None, None, [], [], task, None, False, 0, 10)

    rows = [row("Duy trì lịch tiếp doanh nghiệp vào ngày 20 hằng tháng; theo dõi kiến nghị."),
            row("Kiểm tra thường xuyên việc niêm yết, thực hiện hằng quý."),
            row("Tiếp công dân định kỳ, giải quyết đơn thư.")]
    fill_timings(rows, [])
    assert [(r.timing, r.recurring) for r in rows] == [
        ("vào ngày 20 hằng tháng", True), ("thực hiện hằng quý", True), (None, False)]
