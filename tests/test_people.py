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
    assert (people["Vàng A Sử"].roles, people["Vàng A Sử"].title) == (["other"], "Trưởng Công an xã")


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


def _table_plan(lines: list[str], table: list[list[str]], tail: list[str]):
    from pipeline.assemble import assemble
    from pipeline.model import Block, Cell
    from pipeline.segment import segment

    blocks = [Block("paragraph", ln) for ln in lines]
    blocks.append(Block("table", rows=[[Cell(c) for c in r] for r in table]))
    blocks += [Block("paragraph", ln) for ln in tail]
    return segment(assemble(PlanDoc("t", "t.txt", "t.txt", "0" * 64, "txt", blocks)))


def test_people_of_leader_and_officer_columns() -> None:
    # a body table with "Lãnh đạo phụ trách" and "Công chức phụ trách" columns (a 2025 commune plan)
    doc = _table_plan(
        ["KẾ HOẠCH", "Nâng cao Chỉ số PAPI phường Đông Ngàn năm 2026", "I. PHÂN CÔNG"],
        [["TT", "Chỉ số nội dung", "Cơ quan chủ trì", "Lãnh đạo phụ trách", "Công chức phụ trách"],
         ["1", "Công khai, minh bạch", "Phòng Kinh tế", "Đồng chí Lò Văn Pấng - Phó Chủ tịch UBND phường",
          "Quàng Thị Dịu - Công chức Phòng Văn hóa - Xã hội"],
         ["2", "Quản trị môi trường", "Phòng Kinh tế", "Phó Chủ tịch UBND phường - đồng chí Lò Văn Pấng",
          "Đồng chí Y Blim Niê, Công chức Phòng Kinh tế | x"],
         ["3", "Quản trị điện tử", "Văn phòng", "Đ/c Trịnh Quốc Toàn - Chủ tịch UBND phường", ""]],
        ["Thực hiện./.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trịnh Quốc Toàn"])
    people = _people(doc)
    assert set(people) == {"Lò Văn Pấng", "Quàng Thị Dịu", "Y Blim Niê", "Trịnh Quốc Toàn"}
    pang = people["Lò Văn Pấng"]
    assert (pang.roles, pang.title) == (["leader"], "Phó Chủ tịch UBND phường")
    assert pang.index_codes == ["PAPI.TRANSPARENCY", "PAPI.ENVIRONMENT"]
    # officers keep their post as written (a dashed unit name is part of it), no family name needed
    assert (people["Quàng Thị Dịu"].roles, people["Quàng Thị Dịu"].title) == (
        ["other"], "Công chức Phòng Văn hóa - Xã hội")
    assert (people["Y Blim Niê"].roles, people["Y Blim Niê"].title) == (["other"], "Công chức Phòng Kinh tế")
    toan = people["Trịnh Quốc Toàn"]
    assert (toan.roles, toan.title, toan.index_codes) == (["signer", "leader"], "Chủ tịch UBND phường",
                                                          ["PAPI.E_GOVERNANCE"])


def test_names_without_a_kinh_family_name_and_title_first() -> None:
    people = _people(text_plan("""
KẾ HOẠCH
Nâng cao Chỉ số DDCI huyện Ea Súp năm 2024
IV. TỔ CHỨC THỰC HIỆN
1. Giao đồng chí H'Hen Niê, Phó Chủ tịch UBND huyện trực tiếp chỉ đạo, theo dõi việc thực hiện.
2. Đồng chí Phó Chủ tịch UBND tỉnh Đắk Lắk Nguyễn Thị Hồng Nhung đôn đốc các cơ quan.
3. Đồng chí Chủ tịch UBND huyện Ksor Y Phước chủ trì.
4. Mời ông Chủ tịch Hội Nông dân dự họp; ông Vương Tiến, Trưởng Công an huyện, phối hợp.
5. Đồng chí Phó Chủ tịch UBND huyện chỉ đạo Phòng Văn hóa Hà Nội thực hiện.
Thực hiện./.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
H'LOAN MLÔ
"""))
    assert set(people) == {"H'Hen Niê", "Nguyễn Thị Hồng Nhung", "Ksor Y Phước", "Vương Tiến", "H'Loan Mlô"}
    assert (people["H'Hen Niê"].roles, people["H'Hen Niê"].title) == (["other"], "Phó Chủ tịch UBND huyện")
    assert people["Nguyễn Thị Hồng Nhung"].title == "Phó Chủ tịch UBND tỉnh Đắk Lắk"
    assert people["Ksor Y Phước"].title == "Chủ tịch UBND huyện"
    # "Trưởng" alone is not a listed post, "Trưởng Công an" is
    assert people["Vương Tiến"].title == "Trưởng Công an huyện"
    assert people["H'Loan Mlô"].roles == ["signer"]


def test_one_letter_typo_of_a_name_met_once_is_a_variant() -> None:
    people = _people(text_plan("""
KẾ HOẠCH
Nâng cao Chỉ số PAPI xã Tân Hòa năm 2024
1. Công khai, minh bạch
Lãnh đạo phụ trách: Bà Đỗ Thị Thu Trang, Phó Chủ tịch UBND xã.
2. Quản trị điện tử
Lãnh đạo phụ trách: Bà Đỗ Thị Thu Tranh, Phó Chủ tịch UBND xã.
3. Thủ tục hành chính công
Lãnh đạo phụ trách: Ông Lê Văn Nam, Phó Chủ tịch UBND xã.
4. Quản trị môi trường
Lãnh đạo phụ trách: Ông Lê Văn Lam, Phó Chủ tịch UBND xã.
Thực hiện./.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đỗ Thị Thu Trang
"""))
    assert set(people) == {"Đỗ Thị Thu Trang", "Lê Văn Nam", "Lê Văn Lam"}
    trang = people["Đỗ Thị Thu Trang"]
    assert (trang.roles, trang.variants) == (["signer", "leader"], ["Đỗ Thị Thu Tranh"])
    assert trang.index_codes == ["PAPI.TRANSPARENCY", "PAPI.E_GOVERNANCE"]
    # one letter apart, one post, but neither spelling met more often than the other: two officials
    assert people["Lê Văn Nam"].variants == [] and people["Lê Văn Lam"].variants == []


def test_an_official_in_charge_named_in_brackets_in_a_heading_is_its_leader() -> None:
    doc = text_plan("""
KẾ HOẠCH
Nâng cao Chỉ số SIPAS xã Suối Tiên năm 2025
I. NHIỆM VỤ, GIẢI PHÁP
1. Nhóm nội dung xây dựng, tổ chức thực hiện chính sách (Bà Trần Thị Hoa, Phó Chủ tịch UBND xã phụ trách)
Văn phòng chủ trì đối thoại với Nhân dân.
2. Nhóm nội dung cung ứng dịch vụ hành chính công (Ông Lê Văn Bình, Chủ tịch UBND xã)
Trung tâm chủ trì bố trí khu vực chờ.
II. TỔ CHỨC THỰC HIỆN
1. Giao đồng chí Phạm Văn Nam, Phó Chủ tịch UBND xã trực tiếp chỉ đạo thực hiện Kế hoạch.
""")
    people = _people(doc)
    assert people["Trần Thị Hoa"].roles == ["leader"]
    assert people["Trần Thị Hoa"].title == "Phó Chủ tịch UBND xã"
    assert people["Lê Văn Bình"].roles == ["other"]  # named in a heading, but not "phụ trách"
    assert people["Phạm Văn Nam"].roles == ["other"]  # a numbered sentence, not in brackets
