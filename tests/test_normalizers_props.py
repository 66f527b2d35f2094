"""Property-based tests (Hypothesis): the normalizers never raise and keep their contracts."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.dates import find_dates, parse_date
from normalizers.numbers import NUMBER_RE, parse_number
from normalizers.text import fold, normalize_text
from normalizers.vocab import repair_text

# Vietnamese-heavy alphabet plus the characters the normalizer rewrites.
VI = (
    "aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐbcdghklmnpqrstvx0123456789 ,.;:/-\n\t"
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
    "\u00a0\u200b\u00ad\ufeff\u2013\u2014\u2212\u2010\u201c\u201d\u2018\u2019\u00ab\u00bb\u2022\uf0b7\u2026'\""
)
vi_text = st.text(alphabet=VI, max_size=80)
words = st.sampled_from([
    "ngày", "tháng", "năm", "quý", "Quý", "IV", "I", "hằng", "hàng", "định kỳ", "cuối", "đầu", "2023",
    "15", "3", "03", "31", "/", "-", ".", "…", " ", "hoà", "thuỷ", "VHXXH", "Tur", "pháp", "8,25",
    "1.234,5", "minh", "bạch", "Tín",
])
phrases = st.lists(words, max_size=12).map(" ".join)
settings.register_profile("normalizers", max_examples=300, deadline=None)
settings.load_profile("normalizers")


@given(st.one_of(st.text(), vi_text, phrases))
def test_normalize_text_contract(s: str) -> None:
    out = normalize_text(s)
    assert unicodedata.is_normalized("NFC", out)
    assert normalize_text(out) == out
    assert normalize_text(unicodedata.normalize("NFD", s)) == normalize_text(unicodedata.normalize("NFC", s))
    assert "  " not in out and not out.startswith(" ") and not out.endswith(" ")


@given(st.one_of(st.text(), vi_text, phrases))
def test_fold_and_repair_never_raise(s: str) -> None:
    assert fold(fold(s)) == fold(s)
    out = repair_text(normalize_text(s))
    assert repair_text(out) == out


@given(st.one_of(st.text(), vi_text, phrases), st.one_of(st.none(), st.integers(1900, 2100)))
def test_find_dates_offsets(s: str, year: int | None) -> None:
    last = 0
    for m in find_dates(s, default_year=year):
        assert 0 <= last <= m.start < m.end <= len(s)
        assert s[m.start:m.end] == m.raw
        assert m.kind in {"by_date", "by_quarter", "by_month", "by_year", "recurring"}
        assert (m.iso == "") == (m.kind == "recurring")
        last = m.end
    parse_date(s)


@given(st.one_of(st.text(), vi_text, phrases))
def test_numbers_never_raise(s: str) -> None:
    parse_number(s)
    for m in NUMBER_RE.finditer(s):
        assert parse_number(m.group("num")) is not None
