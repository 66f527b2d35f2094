"""People (signer, leaders in charge of an index, other officials) with spelling variants merged."""
from __future__ import annotations

import pytest

from extractors.people import extract_people
from normalizers.text import fold
from pipeline.model import PlanDoc
from pipeline.rows import PersonRow
from tests.conftest import plan, text_plan


def _people(doc: PlanDoc) -> dict[str, PersonRow]:
    rows = extract_people(doc, [])
    for r in rows:
        assert fold(doc.text[r.span_start:r.span_end]) == fold(r.name)  # all-caps signatures, variants
    return {r.name: r for r in rows}




@pytest.mark.parametrize("name", ["hong-phong-2023.md", "hong-phong-2023.docx"])
def test_hong_phong_variants_merged(name: str) -> None:
    people = _people(plan(name))
    assert set(people) == {"Hoàng Văn Huấn", "Hoàng Văn Mẫn"}
    huan, man = people["Hoàng Văn Huấn"], people["Hoàng Văn Mẫn"]
    assert huan.variants == ["Hoàng Văn Huân"] and huan.roles == ["signer", "leader"]
    assert huan.title == "Chủ tịch UBND xã"
    assert huan.index_codes == ["DDCI.INFORMAL_COST", "DDCI.EQUAL_COMPETITION", "DDCI.BUSINESS_SUPPORT",
                                "DDCI.LEGAL_INSTITUTIONS", "DDCI.LEADERSHIP", "DDCI.LAND_ACCESS"]
    assert man.variants == ["Hoàng Văn Mán"] and man.roles == ["leader"]
    assert (man.title, man.index_codes) == ("Phó Chủ tịch UBND xã", ["DDCI.TRANSPARENCY", "DDCI.TIME_COST"])


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau_signer_only(name: str) -> None:
    people = _people(plan(name))
    assert list(people) == ["Lương Văn Mao"]
    assert (people["Lương Văn Mao"].title, people["Lương Văn Mao"].roles) == ("Phó Chủ tịch UBND xã", ["signer"])


@pytest.mark.parametrize("name", ["phu-son-2023.txt", "phu-son-2023.docx"])
def test_phu_son_signer(name: str) -> None:
    people = _people(plan(name))
    assert list(people) == ["Nguyễn Xuân Lâm"]
    assert people["Nguyễn Xuân Lâm"].title == "Chủ tịch UBND phường"


def test_chi_lang_district_signer() -> None:
    people = _people(plan("chi-lang-2025.txt"))
    assert list(people) == ["Phùng Văn Nghĩa"]
    assert people["Phùng Văn Nghĩa"].title == "Chủ tịch UBND huyện"


SYNTHETIC = """
KẾ HOẠCH
Cải thiện Chỉ số DDCI năm 2024
Căn cứ Kế hoạch số 3/KH-UBND của UBND huyện Bảo Lâm;
II. NỘI DUNG VÀ PHÂN CÔNG NHIỆM VỤ
1. Chỉ số "Chi phí không chính thức"
- Lãnh đạo phụ trách: đồng chí Nguyễn Thị Hưng, Phó Chủ tịch UBND xã
a) Công chức Văn phòng - thống kê chủ trì.
2. Chỉ số "Cạnh tranh bình đẳng"
- Lãnh đạo phụ trách: Đồng chí Nguyễn Thị Hùng, Chủ tịch UBND xã
3. Chỉ số "Tính minh bạch và tiếp cận thông tin"
- Lãnh đạo phụ trách: Đ/c Nguyễn Thị Hưng - Phó Chủ tịch UBND xã
Giao ông Vàng A Sử, Trưởng Công an xã, phối hợp; mời ông Chủ tịch Hội Nông dân dự họp.
IV. TỔ CHỨC THỰC HIỆN
Thực hiện./.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Thị Hùng
"""


def test_same_folded_name_different_posts_stay_apart() -> None:
    people = _people(text_plan(SYNTHETIC))
    assert set(people) == {"Nguyễn Thị Hùng", "Nguyễn Thị Hưng", "Vàng A Sử"}
    hung, hung2 = people["Nguyễn Thị Hùng"], people["Nguyễn Thị Hưng"]
    assert hung.roles == ["signer", "leader"] and hung.index_codes == ["DDCI.EQUAL_COMPETITION"]
    assert hung2.roles == ["leader"] and hung2.title == "Phó Chủ tịch UBND xã"
    assert hung2.index_codes == ["DDCI.INFORMAL_COST", "DDCI.TRANSPARENCY"]
    assert (people["Vàng A Sử"].roles, people["Vàng A Sử"].title) == (["other"], None)


def test_leader_after_title_and_all_caps_signer() -> None:
    people = _people(text_plan("""
1. Chỉ số "Dịch vụ hỗ trợ doanh nghiệp"
Lãnh đạo phụ trách: Phó Chủ tịch UBND phường - đồng chí Lê Thị Mai
Thực hiện./.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
LÊ THỊ MAI
"""))
    assert list(people) == ["Lê Thị Mai"]
    mai = people["Lê Thị Mai"]
    assert (mai.roles, mai.title, mai.index_codes) == (["signer", "leader"], "Phó Chủ tịch UBND phường",
                                                       ["DDCI.BUSINESS_SUPPORT"])
