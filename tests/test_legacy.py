"""Legacy Vietnamese encodings (TCVN3/ABC and VNI fonts) read as Latin-1: detection and conversion.
Samples are the well-known forms of the Decree 30 header and common plan phrases in those fonts."""
from __future__ import annotations

import unicodedata

import pytest

from normalizers.legacy import convert_legacy, detect_legacy_encoding

TCVN3 = (
    "Uû ban nh©n d©n x· T©n LËp\n"
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n"
    "§éc lËp - Tù do - H¹nh phóc\n"
    "KÕ ho¹ch c¶i thiÖn chØ sè hiÖu qu¶ qu¶n trÞ vµ hµnh chÝnh c«ng (PAPI) n¨m 2019\n"
    "C¬ quan chñ tr×: V¨n phßng H§ND vµ UBND huyÖn; c¸c x·, thÞ trÊn ®\u00adîc giao thùc hiÖn."
)
VNI = (
    "UÛY BAN NHAÂN DAÂN HUYEÄN BA VÌ\n"
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\n"
    "Ñoäc laäp - Töï do - Haïnh phuùc\n"
    "Keá hoaïch naâng cao chæ soá caûi caùch haønh chính (PAR INDEX) naêm 2018\n"
    "Cô quan chuû trì: Phoøng Noäi vuï; caùc ñôn vò phoái hôïp thöïc hieän nghieâm tuùc."
)


def test_tcvn3_detected_and_converted():
    assert detect_legacy_encoding(TCVN3) == "tcvn3"
    lines = convert_legacy(TCVN3, "tcvn3").split("\n")
    assert lines[1] == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert lines[2] == "Độc lập - Tự do - Hạnh phúc"
    assert lines[3].startswith("Kế hoạch cải thiện chỉ số hiệu quả quản trị và hành chính công (PAPI)")
    assert lines[4] == "Cơ quan chủ trì: Văn phòng HĐND và UBND huyện; các xã, thị trấn được giao thực hiện."


def test_tcvn3_capitals_font_lines_are_upper_case():
    # .VnTimeH draws the lower-case codes as capitals: the plain letters show the line is all caps.
    assert convert_legacy("KÕ HO¹CH\nI. MôC §ÝCH, Y£U CÇU", "tcvn3") == "KẾ HOẠCH\nI. MỤC ĐÍCH, YÊU CẦU"
    assert convert_legacy("KÕ ho¹ch", "tcvn3") == "Kế hoạch"


def test_vni_detected_and_converted():
    assert detect_legacy_encoding(VNI) == "vni"
    lines = convert_legacy(VNI, "vni").split("\n")
    assert lines[0] == "ỦY BAN NHÂN DÂN HUYỆN BA VÌ"
    assert lines[1] == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert lines[2] == "Độc lập - Tự do - Hạnh phúc"
    assert lines[3] == "Kế hoạch nâng cao chỉ số cải cách hành chính (PAR INDEX) năm 2018"
    assert lines[4] == "Cơ quan chủ trì: Phòng Nội vụ; các đơn vị phối hợp thực hiện nghiêm túc."


def test_vni_breve_and_horn_letters():
    assert convert_legacy("naêm, ñaëc bieät, thaúng thaén, möôøi, Ñaêk Laêk", "vni") == (
        "năm, đặc biệt, thẳng thắn, mười, Đăk Lăk"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Kế hoạch cải thiện chỉ số năng lực cạnh tranh cấp tỉnh (PCI) năm 2024 của UBND xã Hòa Bình.",
        "Theo « Điều 5 » và § 3 của Nghị định 30/2020/NĐ-CP; diện tích 25 m² × 2.",
        "Plain ASCII text without any Vietnamese letters at all.",
        "",
    ],
)
def test_unicode_text_is_not_legacy(text):
    assert detect_legacy_encoding(text) is None


def test_output_is_nfc_and_idempotent_on_unicode():
    out = convert_legacy(TCVN3, "tcvn3")
    assert unicodedata.is_normalized("NFC", out)
    assert detect_legacy_encoding(out) is None


def test_unknown_encoding_raises():
    with pytest.raises(ValueError):
        convert_legacy("abc", "viqr")
