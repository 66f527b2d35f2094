"""Index and unit resolvers: names as the corpus writes them, plus synthetic variants."""
from __future__ import annotations

import pytest

from normalizers.indices import detect_families, match_index
from normalizers.units import canonical_unit, plan_abbreviations, split_units


@pytest.mark.parametrize(("raw", "hint", "code"), [
    # hong-phong-2023 / cao-lau-2023 (DDCI component headings)
    ("Chỉ số “Tính minh bạch và tiếp cận thông tin” (Chiếm tỷ trọng 30% tổng số điểm)", "DDCI",
     "DDCI.TRANSPARENCY"),
    ("Chi phí thời gian của doanh nghiệp", "DDCI", "DDCI.TIME_COST"),
    ("Vai trò của người đứng đầu UBND xã", "DDCI", "DDCI.LEADERSHIP"),
    ("Thiết chế pháp lý và An ninh trật tự", "DDCI", "DDCI.LEGAL_INSTITUTIONS"),
    # phu-son-2023 appendix group rows
    ("Công tác chỉ đạo điều hành CCHC", "PAR_INDEX", "PAR_INDEX.DIRECTION"),
    ("Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh", "PAR_INDEX",
     "PAR_INDEX.LEGAL_DOCUMENTS"),
    ("Tác động của CCHC đến người dân, tổ chức và chỉ tiêu phát triển KTXH của phường", "PAR_INDEX",
     "PAR_INDEX.IMPACT"),
    ("Mức độ hài lòng của người dân đối với việc cung ứng dịch vụ hành chính công", "SIPAS", "SIPAS.SERVICE"),
    ("Kiểm soát tham nhũng trong lĩnh vực công", "PAPI", "PAPI.CORRUPTION_CONTROL"),
    ("Thủ tục hành chính", "PAPI", "PAPI.ADMIN_PROCEDURES"),
    ("Chỉ số Chính sách hỗ trợ doanh nghiệp", "PCI", "PCI.BUSINESS_SUPPORT"),
    ("Chỉ số Tính minh bạch", "PCI", "PCI.TRANSPARENCY"),
    # synthetic: lost diacritics, other wording, family-level names
    ("chi so thanh phan 'Tinh minh bach va tiep can thong tin'", "DDCI", "DDCI.TRANSPARENCY"),
    ("Tiếp cận đất đai và tính ổn định trong sử dụng đất", "PCI", "PCI.LAND_ACCESS"),
    ("Chỉ số năng lực cạnh tranh", None, "PCI"),
    ("Chỉ số Hiệu quả Quản trị và Hành chính công", None, "PAPI"),
])
def test_match_index(raw: str, hint: str | None, code: str) -> None:
    match = match_index(raw, hint)
    assert match is not None and match.code == code
    assert 82 <= match.score <= 100


def test_family_hint_separates_shared_names() -> None:
    assert match_index("Tính minh bạch", "PCI").family == "PCI"
    assert match_index("Tính minh bạch", "DDCI").family == "DDCI"
    assert match_index("Cải cách thủ tục hành chính", "PAR_INDEX").code == "PAR_INDEX.ADMIN_PROCEDURES"


@pytest.mark.parametrize("raw", ["Tổ chức thực hiện", "Kết quả", "Nguồn kinh phí", ""])
def test_match_index_rejects_non_index_text(raw: str) -> None:
    assert match_index(raw) is None


@pytest.mark.parametrize(("text", "families"), [
    ("Duy trì, cải thiện và nâng cao Chỉ số cải cách hành chính (PAR INDEX), Chỉ số hài lòng (SIPAS), "
     "Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI), Chỉ số năng lực cạnh tranh (PCI)",
     ["PAR_INDEX", "SIPAS", "PAPI", "PCI"]),
    ("Thực hiện cải thiện chỉ số đánh giá năng lực cạnh tranh năm 2023", ["DDCI"]),
    ("NHIỆM VỤ, GIẢI PHÁP DUY TRÌ, CẢI THIỆN VÀ NÂNG CAO CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH", ["PCI"]),
    ("Chỉ số năng lực cạnh tranh cấp sở, ban, ngành và địa phương", ["DDCI"]),
    ("cải thiện Chỉ số năng lực cạnh tranh cấp huyện (DCCI) năm 2025", ["DDCI"]),
    ("Kế hoạch nâng cao PARINDEX và chỉ số hài lòng", ["PAR_INDEX", "SIPAS"]),
    ("1.3. Chỉ số năng lực cạnh tranh.", ["PCI"]),
    ("Mục đích, yêu cầu", []),
])
def test_detect_families(text: str, families: list[str]) -> None:
    assert detect_families(text) == families


@pytest.mark.parametrize(("raw", "canonical"), [
    ("Công chức Văn hóa - xã hội", "Công chức Văn hóa - Xã hội"),
    ("Văn hóa – xã hội", "Công chức Văn hóa - Xã hội"),
    ("VHXH", "Công chức Văn hóa - Xã hội"),
    ("Công chức VHXXH", "Công chức Văn hóa - Xã hội"),  # phu-son-2023 appendix typo
    ("Công chức VHXXH phụ trách công tác LĐTBOXH", "Công chức Văn hóa - Xã hội"),
    ("Công chức ĐCXĐ", "Công chức Địa chính - Xây dựng"),
    ("Văn phòng - thống kê xã", "Công chức Văn phòng - Thống kê"),
    ("Giao Công chức Văn phòng – thống kê xã", "Công chức Văn phòng - Thống kê"),
    ("Công chức Địa chính xây dựng và môi trường", "Công chức Địa chính - Xây dựng"),
    ("Tur pháp - hộ tịch", "Công chức Tư pháp - Hộ tịch"),
    ("Phòng Tài chính - Kế hoạch huyện", "Phòng Tài chính - Kế hoạch"),
    ("Phòng TC-KH huyện Lộc Bình", "Phòng Tài chính - Kế hoạch"),
    ("Công an xã", "Công an xã"),
    ("Công an phường", "Công an xã"),
    ("Trưởng Công an thị trấn", "Công an xã"),
    ("HĐND", "Hội đồng nhân dân"),
    # unknown units stay as written
    ("các công chức chuyên môn khác", "Các công chức chuyên môn khác"),
    ("Lãnh đạo UBND xã", "Lãnh đạo UBND xã"),
    ("Công chức phụ trách tiếp công dân xã", "Công chức phụ trách tiếp công dân xã"),
    ("Lao động - Thương binh và Xã hội", "Lao động - Thương binh và Xã hội"),
])
def test_canonical_unit(raw: str, canonical: str) -> None:
    assert canonical_unit(raw, "commune") == canonical


@pytest.mark.parametrize(("raw", "canonical"), [
    # the area of a body serving several localities is a qualifier like a trailing locality
    ("Chi cục Thuế khu vực Văn Yên - Trấn Yên", "Chi cục Thuế"),
    ("Chi cục Thuế liên huyện Lục Yên - Yên Bình", "Chi cục Thuế"),
    ("Chi cục Thuế khu vực II", "Chi cục Thuế"),
    ("Trung tâm Văn hóa, Thể thao và Truyền thông huyện", "Trung tâm Văn hóa - Thông tin và Thể thao"),
    ("Phòng Tài chính - Kế hoạch huyện Văn Yên", "Phòng Tài chính - Kế hoạch"),
    ("Trung tâm Y tế khu vực phía Bắc", "Trung tâm Y tế khu vực phía Bắc"),  # "phía" is no place name
])
def test_canonical_unit_district(raw: str, canonical: str) -> None:
    assert canonical_unit(raw, "district") == canonical


def test_canonical_unit_levels() -> None:
    assert canonical_unit("Lao động - Thương binh và Xã hội", "district") == "Phòng Lao động - Thương binh và Xã hội"
    assert canonical_unit("Sở KH&ĐT", "province") == "Sở Kế hoạch và Đầu tư"


def test_plan_abbreviations_win() -> None:
    text = ("Giao Công chức Văn phòng - Tổng hợp (VPTH) chủ trì; Công chức Tư pháp - hộ tịch (sau đây gọi "
            "tắt là TP-HT); Chỉ số cải cách hành chính (PAR INDEX) (b/c)")
    abbrs = plan_abbreviations(text)
    assert abbrs == {"VPTH": "Văn phòng - Tổng hợp", "TP-HT": "Tư pháp - hộ tịch"}
    assert canonical_unit("Công chức VPTH", "commune", abbrs) == "Công chức Văn phòng - Tổng hợp"
    assert canonical_unit("Công chức VPTK", "commune", {"VPTK": "Văn phòng - Tổng hợp"}) == \
        "Công chức Văn phòng - Tổng hợp"
    assert canonical_unit("Công chức TPHT", "commune", abbrs) == "Công chức Tư pháp - Hộ tịch"


def test_plan_short_names_introduced_as_such() -> None:
    # "(gọi tắt là X)" may name a unit by its first words, not only by initials
    text = ("3. Trong Kế hoạch này, Văn phòng HĐND và UBND phường (gọi tắt là Văn phòng); Trung tâm Phục vụ "
            "hành chính công phường (sau đây được gọi tắt là “Trung tâm”); Phòng Văn hóa - Xã hội (viết tắt là "
            "Phòng VHXH); Ban Chỉ đạo (sau đây viết tắt là BCĐ). Công an phường (Văn phòng) phối hợp.")
    abbrs = plan_abbreviations(text)
    assert abbrs == {"Văn phòng": "Văn phòng HĐND và UBND phường",
                     "Trung tâm": "Trung tâm Phục vụ hành chính công phường",
                     "Phòng VHXH": "Phòng Văn hóa - Xã hội", "BCĐ": "Ban Chỉ đạo"}
    assert canonical_unit("Văn phòng", "commune", abbrs) == "Văn phòng HĐND và UBND"
    assert canonical_unit("Văn phòng (phối hợp)", "commune", abbrs) == "Văn phòng HĐND và UBND"
    assert canonical_unit("Trung tâm", "commune", abbrs) == "Trung tâm Phục vụ hành chính công phường"
    assert canonical_unit("Phòng VHXH", "commune", abbrs) == "Phòng Văn hóa - Xã hội"
    # a longer phrase that only starts with the short name is another unit
    assert canonical_unit("Văn phòng UBND tỉnh", "commune", abbrs) == "Văn phòng UBND tỉnh"
    assert canonical_unit("Trung tâm Y tế huyện", "commune", abbrs) != "Trung tâm Phục vụ hành chính công phường"
    # without the intro a parenthesis is no definition; a short name must start the long form
    assert plan_abbreviations("Công an xã (Văn phòng) và Tổ công tác (gọi tắt là Ban)") == {}


@pytest.mark.parametrize(("text", "items"), [
    ("Văn phòng – thống kê; Văn hóa – xã hội", ["Văn phòng - thống kê", "Văn hóa - xã hội"]),
    ("Các công chức Văn hóa - xã hội, Tư pháp - hộ tịch, Tài chính - kế toán",
     ["Công chức Văn hóa - xã hội", "Công chức Tư pháp - hộ tịch", "Công chức Tài chính - kế toán"]),
    ("Văn phòng - thống kê và Kế toán - ngân sách", ["Văn phòng - thống kê", "Kế toán - ngân sách"]),
    ("Các công chức có liên quan (Tur pháp - hộ tịch; Văn hoá - xã hội; Kế toán - ngân sách...)",
     ["Công chức Tur pháp - hộ tịch", "Công chức Văn hoá - xã hội", "Công chức Kế toán - ngân sách"]),
    ("Công chức Tư pháp – Hộ tịch; Công an xã", ["Công chức Tư pháp - Hộ tịch", "Công an xã"]),
    ("UBND các xã, thị trấn", ["UBND các xã, thị trấn"]),
    ("Các công chức khác; bưu điện; các tổ chức, cơ quan, đơn vị có liên quan",
     ["Các công chức khác", "bưu điện", "các tổ chức, cơ quan, đơn vị có liên quan"]),
    ("Phòng Nội vụ, Phòng Tư pháp và các cơ quan liên quan",
     ["Phòng Nội vụ", "Phòng Tư pháp", "các cơ quan liên quan"]),
    ("Bộ phận Tiếp nhận và Trả kết quả", ["Bộ phận Tiếp nhận và Trả kết quả"]),
    # a comma inside a unit's name that lists its fields "A, B và C"
    ("Trung tâm Văn hóa, Thể thao và Truyền thông huyện; Phòng Nội vụ",
     ["Trung tâm Văn hóa, Thể thao và Truyền thông huyện", "Phòng Nội vụ"]),
    ("Phòng Văn hóa, Khoa học, Thể thao và Du lịch, Công an huyện",
     ["Phòng Văn hóa, Khoa học, Thể thao và Du lịch", "Công an huyện"]),
    # … but not a list of units, nor posts: "Tư pháp", "Hội Nông dân" are units of their own
    ("Trung tâm Y tế, Tư pháp và Nội vụ", ["Trung tâm Y tế", "Tư pháp", "Nội vụ"]),
    ("Hội Nông dân, Cựu chiến binh và Phụ nữ", ["Hội Nông dân", "Cựu chiến binh và Phụ nữ"]),
    ("Công chức Văn hóa - Xã hội, Tư pháp - Hộ tịch và Địa chính - Xây dựng",
     ["Công chức Văn hóa - Xã hội", "Công chức Tư pháp - Hộ tịch", "Công chức Địa chính - Xây dựng"]),
])
def test_split_units(text: str, items: list[str]) -> None:
    assert split_units(text) == items


def test_a_district_unit_is_not_the_province_namesake() -> None:
    assert canonical_unit("Văn phòng Đăng ký đất đai tỉnh", "province") == "Văn phòng Đăng ký đất đai tỉnh"
    assert canonical_unit("Trung tâm Phát triển quỹ đất tỉnh") == "Trung tâm Phát triển quỹ đất tỉnh"
    assert canonical_unit("Văn phòng đăng ký đất đai huyện") == "Chi nhánh Văn phòng Đăng ký đất đai"
    assert canonical_unit("Văn phòng HĐND và UBND thành phố") == "Văn phòng HĐND và UBND"  # city: district too
    assert canonical_unit("Hội Nông dân tỉnh") == "Hội Nông dân"  # one name at every level
