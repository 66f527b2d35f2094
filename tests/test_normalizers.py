"""Normalizers: text, numbers, dates and vocabulary repair, on corpus lines and synthetic variants."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

import pytest

from normalizers.dates import find_dates, last_day, parse_date, repair_quarter_numerals
from normalizers.numbers import NUMBER_RE, parse_number
from normalizers.syllable import is_syllable
from normalizers.text import fold, normalize_text
from normalizers.vocab import repair_text
from tests.conftest import corpus_file

ORIGINALS = ("cao-lau-2023.txt", "chi-lang-2025.txt", "hong-phong-2023.md", "phu-son-2023.txt")


@cache
def lines(name: str) -> tuple[str, ...]:
    return tuple(corpus_file(name).read_text(encoding="utf-8").split("\n"))


def line_with(name: str, needle: str) -> str:
    """The raw corpus line containing `needle` (compared in NFC: some originals are decomposed)."""
    return next(s for s in lines(name) if needle in unicodedata.normalize("NFC", s))


# ---------------------------------------------------------------- text


@pytest.mark.parametrize(("raw", "want"), [
    ("Văn hoá - xã hội", "Văn hóa - xã hội"),
    ("thuỷ lợi, Toà án, UỶ BAN, sức khoẻ, hoà giải", "thủy lợi, Tòa án, ỦY BAN, sức khỏe, hòa giải"),
    ("quý khách, QUÝ I, qúy", "quý khách, QUÝ I, quý"),
    ("hoàng, toán, khuyến, huỳnh, hòang, ngòai", "hoàng, toán, khuyến, huỳnh, hoàng, ngoài"),
    ("CỘNG HOÀ XÃ HỘI", "CỘNG HÒA XÃ HỘI"),
])
def test_tone_marks_on_main_vowel(raw: str, want: str) -> None:
    assert normalize_text(raw) == want


def test_punctuation_spaces_and_bullets() -> None:
    assert normalize_text("Văn phòng – thống kê; Văn hóa — xã hội ‐ x − 1") == (
        "Văn phòng - thống kê; Văn hóa - xã hội - x - 1")
    assert normalize_text("Chỉ số “Chi phí thời gian” và ‘a’ «b» ''c''") == (
        "Chỉ số \"Chi phí thời gian\" và 'a' \"b\" \"c\"")
    assert normalize_text("\u2022 Niêm yết\n\uf0b7\tcông khai\n– Tổ chức\n\u25cf x") == (
        "- Niêm yết\n- công khai\n- Tổ chức\n- x")
    assert normalize_text("  a\u00a0\u00a0b\u200b\u00adc \u2003 d  \r\n  e\t\tf  ") == "a bc d\ne f"
    assert normalize_text("\ufeffKẾ HOẠCH\u200d") == "KẾ HOẠCH"


def test_corpus_lines() -> None:
    # cao-lau keeps decomposed dot-below marks; the result is NFC and equal to the composed text.
    raw = line_with("cao-lau-2023.txt", "Dịch vụ Hỗ trợ")
    assert not unicodedata.is_normalized("NFC", raw)
    assert normalize_text(raw) == '5. Chỉ số "Dịch vụ Hỗ trợ doanh nghiệp"'
    raw = line_with("cao-lau-2023.txt", "Công chức phụ trách: Văn phòng")
    assert normalize_text(raw) == "- Công chức phụ trách: Văn phòng - thống kê; Văn hóa - xã hội"
    raw = line_with("phu-son-2023.txt", "Văn hoá - xã hội phụ trách công tác LĐTBXH")
    assert normalize_text(raw) == "- Công chức tham mưu: Văn hóa - xã hội phụ trách công tác LĐTBXH."


def test_nfd_and_combining_input_equal_nfc() -> None:
    for s in ("Ủy ban nhân dân xã Hòa Bình", "Thời gian thực hiện: Quý IV", "hoà hợp, thuỷ"):
        assert normalize_text(unicodedata.normalize("NFD", s)) == normalize_text(s)
    assert normalize_text("hoa\u0300") == "hòa"


def test_fold() -> None:
    assert fold("  TỔ CHỨC   THỰC HIỆN ") == "to chuc thuc hien"
    assert fold("Địa chính - Xây dựng") == "dia chinh - xay dung"
    assert fold(unicodedata.normalize("NFD", "Đơn vị đầu mối")) == "don vi dau moi"


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(("s", "want"), [
    ("8,25", 8.25), ("61,68", 61.68), ("1.234,5", 1234.5), ("1.234", 1234.0), ("80", 80.0),
    ("05", 5.0), ("0,5", 0.5), ("30%", 30.0), ("-1,14", -1.14), ("2.500.000", 2500000.0),
    ("", None), ("abc", None), ("8,25,", None), ("-", None),
])
def test_parse_number(s: str, want: float | None) -> None:
    assert parse_number(s) == want


def test_number_re_in_corpus_line() -> None:
    line = line_with("hong-phong-2023.md", "61,68 điểm")
    assert [parse_number(m.group("num")) for m in NUMBER_RE.finditer(line)] == [2023, 61.68, 2023, 80.08]
    line = line_with("hong-phong-2023.md", "đạt 8,25 điểm")
    assert 8.25 in [parse_number(m.group(1)) for m in NUMBER_RE.finditer(line)]


# ---------------------------------------------------------------- dates


def dates(text: str) -> list[tuple[str, str, str]]:
    return [(m.raw, m.iso, m.kind) for m in find_dates(text)]


@pytest.mark.parametrize(("text", "want"), [
    ("xong trước ngày 15/03/2023 và", [("ngày 15/03/2023", "2023-03-15", "by_date")]),
    ("hạn 5-7-2024; 5.7.2024", [("5-7-2024", "2024-07-05", "by_date"), ("5.7.2024", "2024-07-05", "by_date")]),
    ("Tân An, ngày 2 tháng 11 năm 2024", [("ngày 2 tháng 11 năm 2024", "2024-11-02", "by_date")]),
    ("ngày ... tháng 03 năm 2023", [("ngày ... tháng 03 năm 2023", "2023-03", "by_date")]),
    ("ngày … tháng … năm 2025", [("ngày … tháng … năm 2025", "2025", "by_date")]),
    ("trong Quý II năm 2024", [("Quý II năm 2024", "2024-06-30", "by_quarter")]),
    ("quý 4/2025", [("quý 4/2025", "2025-12-31", "by_quarter")]),
    ("trong tháng 02/2024", [("tháng 02/2024", "2024-02-29", "by_month")]),
    ("tháng 9 năm 2023", [("tháng 9 năm 2023", "2023-09-30", "by_month")]),
    ("6 tháng đầu năm 2023", [("6 tháng đầu năm 2023", "2023-06-30", "by_month")]),
    ("kế hoạch năm 2026", [("năm 2026", "2026", "by_year")]),
    ("báo cáo hằng tháng, hàng quý", [("hằng tháng", "", "recurring"), ("hàng quý", "", "recurring")]),
    ("trước ngày 25 tháng cuối quý", [("ngày 25 tháng cuối quý", "", "recurring")]),
    ("Quý III hằng năm", [("Quý III hằng năm", "", "recurring")]),
    ("ngày 31/02/2023 và 30/02/2024", []),
    ("Kế hoạch số 12/KH-UBND, 1.234.567 đồng", []),
    ("NGAY 15 THANG 3 NAM 2023", [("NGAY 15 THANG 3 NAM 2023", "2023-03-15", "by_date")]),
])
def test_find_dates_synthetic(text: str, want: list) -> None:
    assert dates(text) == want


def test_find_dates_corpus() -> None:
    text = normalize_text(corpus_file("hong-phong-2023.md").read_text(encoding="utf-8"))
    found = find_dates(text)
    for m in found:
        assert text[m.start:m.end] == m.raw
    got = {(m.raw, m.iso, m.kind) for m in found}
    assert ("ngày 20 tháng cuối Quý", "", "recurring") in got
    assert ("Quý I năm 2023", "2023-03-31", "by_quarter") in got
    assert ("ngày 15/03/2023", "2023-03-15", "by_date") in got
    assert ("ngày 30/4/2023", "2023-04-30", "by_date") in got
    assert ("ngày 13/02/2023", "2023-02-13", "by_date") in got
    table = normalize_text(line_with("phu-son-2023.txt", "Quý IV hàng năm"))
    assert ("Quý IV hàng năm", "", "recurring") in dates(table)


def test_bare_quarter_needs_plan_year() -> None:
    line = "Triển khai trong Quý I và thường xuyên trong năm"
    assert dates(line) == [("thường xuyên", "", "recurring")]
    got = [(m.raw, m.iso) for m in find_dates(line, default_year=2023)]
    assert got == [("Quý I", "2023-03-31"), ("thường xuyên", "")]
    got = [(m.raw, m.iso, m.kind) for m in find_dates(
        "trước ngày 15/3, trong tháng 9; ngày 20 tháng 12 hằng năm; tháng 4/2026", default_year=2025)]
    assert got == [("ngày 15/3", "2025-03-15", "by_date"), ("tháng 9", "2025-09-30", "by_month"),
                   ("ngày 20 tháng 12 hằng năm", "", "recurring"), ("tháng 4/2026", "2026-04-30", "by_month")]
    assert dates("trước ngày 15/3") == []


def test_parse_date() -> None:
    assert parse_date(line_with("hong-phong-2023.md", "Hồng Phong, ngày")) == "2023-03"
    assert parse_date(line_with("phu-son-2023.txt", "Phú Sơn, ngày")) == "2023-12"
    assert parse_date("Thực hiện Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện") == "2023-02-13"
    assert parse_date("Bình Minh, ngày 15 tháng 3 năm 2023") == "2023-03-15"
    assert parse_date("tháng 3/2023") == "2023-03"
    assert parse_date("ngày tháng năm 2024") == "2024"
    assert parse_date("thường xuyên") is None
    assert parse_date("") is None


def test_quarter_in_the_old_spelling() -> None:
    assert dates("Thời gian : Quí III/2025.") == [("Quí III/2025", "2025-09-30", "by_quarter")]
    assert dates("báo cáo hằng quí") == [("hằng quí", "", "recurring")]
    assert [(m.raw, m.iso) for m in find_dates("trong quí II", default_year=2026)] == [("quí II", "2026-06-30")]


@pytest.mark.parametrize(("read", "want"), [
    ("trong Quý IH/2025", "trong Quý III/2025"),  # "II" merged into H
    ("Quý IIH/2025.", "Quý III/2025."),  # an H that can only be one stroke
    ("Quý HHI/2025", "Quý III/2025"),
    ("Quý TI1/2025", "Quý III/2025"),
    ("Quý 11/2025", "Quý II/2025"),
    ("Quý II và Quý 1V năm 2025.", "Quý II và Quý IV năm 2025."),
    ("QUÝ lII", "QUÝ III"),
    ("Quí Il, 2025", "Quí II, 2025"),
    # well read, or no quarter at all: untouched
    ("Quý III/2025; Quý 1/2025; Quý IV", "Quý III/2025; Quý 1/2025; Quý IV"),
    ("Quý 12/2025; Quý V; Quỹ 11; Lê Quý Hải; hằng quý.", "Quý 12/2025; Quý V; Quỹ 11; Lê Quý Hải; hằng quý."),
])
def test_repair_quarter_numerals(read: str, want: str) -> None:
    assert repair_quarter_numerals(read) == want


def test_last_day() -> None:
    assert [last_day(2024, 2), last_day(2023, 2), last_day(2023, 12)] == ["2024-02-29", "2023-02-28", "2023-12-31"]


# ---------------------------------------------------------------- vocabulary repair


def test_syllable_validator() -> None:
    for w in ("tín", "hoàng", "nghiêng", "khuỷu", "quyết", "giữa", "NGƯỜI", "HOẠCH", "xoong", "oanh"):
        assert is_syllable(w), w
    for w in ("Tur", "VHXXH", "DDCI", "Internet", "sựnhằm", "hàt", "bạch\u0301"):
        assert not is_syllable(w), w


@pytest.mark.parametrize(("raw", "want"), [
    ("Công chức VHXXH", "Công chức VHXH"),
    ("Công chức TTIIC", "Công chức TTHC"),
    ("xếp hạng DCCI năm 2024", "xếp hạng DDCI năm 2024"),
    ("phụ trách công tác LĐTBOXH", "phụ trách công tác LĐTBXH"),
    ("Công chức ĐCXĐ", "Công chức ĐCXD"),
    ("(Tur pháp - hộ tịch; Văn hóa - xã hội)", "(Tư pháp - hộ tịch; Văn hóa - xã hội)"),
    ("TUR PHÁP - HỘ TỊCH", "TƯ PHÁP - HỘ TỊCH"),
    ("Chỉ số Tín minh bạch và tiếp cận thông tin", "Chỉ số Tính minh bạch và tiếp cận thông tin"),
    ("hồ sơ UBNĐ huyện", "hồ sơ UBND huyện"),
    ("chỉ số DDCl và PCl", "chỉ số DDCI và PCI"),  # OCR reads I as l
    ('3. Chỉ số "Chỉ phí không chính thức"', '3. Chỉ số "Chi phí không chính thức"'),  # OCR of the scan
])
def test_repair_examples(raw: str, want: str) -> None:
    assert repair_text(raw) == want
    assert repair_text(want) == want


@pytest.mark.parametrize("text", [
    "cơ hội kinh doanh",  # "hội" is a word (cơ hội), not a typo of "hộ kinh doanh"
    "thủ tục hành chính, cung cấp số điện thoại",
    "Quý III năm 2023; mục II, IV",  # roman numerals are never acronyms
    "CBCC, TTHCC, CQĐP, CSTP, VBQPPL",  # known or distant acronyms
    "công thức tính điểm",
    "Zalo, Facebook, website, email",
    "Phòng TC-KH, KT&HT",
])
def test_repair_leaves_real_text(text: str) -> None:
    assert repair_text(text) == text


def test_repair_precision_on_corpus() -> None:
    """Every change repair_text makes over the original texts, listed: all of them are right."""
    changes: list[tuple[str, str]] = []
    for name in ORIGINALS:
        for line in lines(name):
            text = normalize_text(line)
            fixed = repair_text(text)
            a, b = re.findall(r"[^\W\d_]+", text), re.findall(r"[^\W\d_]+", fixed)
            assert len(a) == len(b)
            changes += [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert sorted(set(changes)) == [
        ("DCCI", "DDCI"), ("LĐTBOXH", "LĐTBXH"), ("Tur", "Tư"), ("VHXXH", "VHXH"), ("ĐCXĐ", "ĐCXD")]
    assert len(changes) == 10


def test_day_month_without_ngay_is_read_with_the_plan_year_and_marked() -> None:
    got = [(m.raw, m.iso, m.form) for m in find_dates("trước 15/10; ngày 30/9/2025; 3/11", default_year=2025)]
    assert got == [("15/10", "2025-10-15", "day_month"), ("ngày 30/9/2025", "2025-09-30", "numeric"),
                   ("3/11", "2025-11-03", "day_month")]
    assert find_dates("trước 15/10") == []  # no plan year: no date
