"""Segmenter: outline and sections on the corpus plans and on synthetic variants of the genre."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.assemble import assemble
from pipeline.model import Block, Cell, PlanDoc
from pipeline.segment import classify_heading, segment
from tests.conftest import plan


def _doc(text: str, bold: tuple[str, ...] = (), extra: list[Block] | None = None, ocr: bool = False) -> PlanDoc:
    """A PlanDoc with one paragraph block per line (like an unreflowed TXT), then `extra` blocks;
    `ocr`: as if read from page images."""
    blocks = [Block("paragraph", ln, bold=ln.strip() in bold) for ln in text.strip().splitlines() if ln.strip()]
    doc = PlanDoc("t", "t.txt", "t.txt", "0" * 64, "txt", blocks + (extra or []), ocr=ocr)
    return segment(assemble(doc))


def _kinds(doc: PlanDoc, level: int | None = 1) -> list[str]:
    return [s.kind for s in doc.sections if level is None or s.level == level]


def _paths(doc: PlanDoc) -> list[str]:
    return [n.path for n in doc.outline]


def _check_cover(doc: PlanDoc) -> None:
    tops = [s for s in doc.sections if s.level == 1]
    assert tops[0].start == 0 and tops[-1].end == len(doc.text)
    for a, b in zip(tops, tops[1:], strict=False):
        assert a.end == b.start
    assert [s.seq for s in doc.sections] == list(range(1, len(doc.sections) + 1))
    for n in doc.outline:
        assert n.start < n.heading_end <= n.end
        assert doc.text[n.start:n.heading_end].replace("\n", " ").startswith(n.heading.split(" ")[0])


# --- corpus -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["hong-phong-2023.md", "hong-phong-2023.docx"])  # DOCX runs "a)" into a line
def test_hong_phong(name: str) -> None:
    doc = plan(name)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "funding", "implementation",
                           "recipients", "signature"]
    secs = {s.kind: s for s in doc.sections}
    assert secs["purpose"].number == "I" and secs["purpose"].heading == "I. MỤC ĐÍCH, YÊU CẦU"
    assert secs["funding"].number == "III"
    assert doc.text[secs["funding"].start:secs["funding"].end].strip().endswith("Từ nguồn ngân sách xã năm 2023.")
    assert secs["signature"].heading == "TM. ỦY BAN NHÂN DÂN"
    level2 = [n for n in doc.outline if n.level == 2 and n.path.startswith("II.")]
    assert [n.path for n in level2] == [f"II.{k}" for k in range(1, 9)]
    assert all(n.heading.startswith(f"{k}. Chỉ số") for k, n in enumerate(level2, 1))
    paths = _paths(doc)
    assert {"II.1.a", "II.1.b", "II.1.c", "II.6.c", "II.7.d", "II.8.a"} <= set(paths)
    assert "II.2.c" in paths  # the plan skips b) here; the heading is still one
    assert not any("(1)" in p for p in paths)  # footnote marks are not outline nodes
    a = next(n for n in doc.outline if n.path == "II.1.a")
    assert doc.text[a.start:a.end].startswith("a) Giao Công chức Văn hóa")
    assert "15/03/2023" in doc.text[a.start:a.end]
    assert a.end == next(n for n in doc.outline if n.path == "II.1.b").start


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau(name: str) -> None:
    doc = plan(name)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "funding", "implementation", "closing",
                           "recipients", "signature"]
    assert [n.path for n in doc.outline if n.level == 2 and n.path.startswith("II")] == [
        f"II.{k}" for k in range(1, 9)]
    assert next(s for s in doc.sections if s.kind == "signature").heading == "KT. CHỦ TỊCH"
    preamble = doc.sections[0]
    assert "Thực hiện Kế hoạch số 49/KH-UBND" in doc.text[preamble.start:preamble.end]


@pytest.mark.parametrize("name", ["phu-son-2023.txt", "phu-son-2023.docx", "phu-son-2023.pdf"])
def test_phu_son(name: str) -> None:
    doc = plan(name)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "implementation", "closing", "recipients",
                           "signature", "appendix", "appendix", "appendix", "appendix"]
    assert "funding" not in _kinds(doc, None)  # "bố trí nguồn kinh phí" in a task is not a funding part
    appendices = doc.sections_of("appendix")
    assert [s.number for s in appendices] == ["1", "2", "3", "4"]
    assert [s.node.path for s in appendices] == ["Phụ lục 1", "Phụ lục 2", "Phụ lục 3", "Phụ lục 4"]
    text4 = doc.text[appendices[3].start:appendices[3].end]
    assert "CẢI THIỆN VÀ NÂNG CAO CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH" in text4
    assert "Chỉ số Gia nhập thị trường" in text4
    paths = _paths(doc)
    assert paths[paths.index("II.1"):][:4] == ["II.1", "II.1.1", "II.1.1.(1)", "II.1.1.(2)"]
    assert {"II.1.2", "II.1.3", "II.1.3.(8)", "II.2", "III.4"} <= set(paths)
    assert "II.1.1.(7)" in paths  # the plan skips (6): still a list item
    implementation = next(s for s in doc.sections if s.kind == "implementation")
    assert implementation.number == "III" and implementation.end == doc.sections_of("closing")[0].start


def test_chi_lang_txt() -> None:
    """Held-out plan (checked only after the segmenter was written): two assignment parts, no
    funding, an unnumbered appendix."""
    doc = plan("chi-lang-2025.txt")
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "assignments", "closing", "recipients",
                           "signature", "appendix"]
    assert [s.number for s in doc.sections_of("assignments")] == ["II", "III"]
    assert [n.path for n in doc.outline if n.path.startswith("III.")] == [f"III.{k}" for k in range(1, 9)]
    assert doc.sections_of("appendix")[0].node.path == "Phụ lục"
    assert not any(n.path.startswith("I.2.") for n in doc.outline)  # "(1) Thực tiễn; (2) Khả thi" is prose


# --- synthetic variants -------------------------------------------------------------------------

HEADER = """ỦY BAN NHÂN DÂN
XÃ AN BÌNH
Số: 12/KH-UBND
An Bình, ngày 05 tháng 01 năm 2024
KẾ HOẠCH
Cải thiện Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh năm 2024
Căn cứ Kế hoạch số 7/KH-UBND ngày 02/01/2024 của UBND huyện Đông Sơn;
"""
TAIL = """Trên đây là Kế hoạch cải thiện chỉ số PAPI năm 2024 của UBND xã An Bình./.
Nơi nhận:
- UBND huyện;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Thị Mai
"""


def test_phan_parts_with_titles_on_next_line() -> None:
    doc = _doc(HEADER + """PHẦN THỨ NHẤT
MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao chỉ số.
PHẦN THỨ HAI
NHIỆM VỤ, GIẢI PHÁP
I. Nhóm chỉ số về công khai
1. Công khai danh sách hộ nghèo
a) Giao công chức Văn hóa - Xã hội chủ trì.
b) Công an xã phối hợp.
II. Nhóm chỉ số về trách nhiệm giải trình
1. Tiếp công dân định kỳ
PHẦN THỨ BA
TỔ CHỨC THỰC HIỆN
Các công chức triển khai thực hiện.
""" + TAIL)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "implementation", "closing", "recipients",
                           "signature"]
    assert _paths(doc) == ["1", "1.1", "2", "2.I", "2.I.1", "2.I.1.a", "2.I.1.b", "2.II", "2.II.1", "3"]
    assert doc.sections[1].heading == "PHẦN THỨ NHẤT MỤC ĐÍCH, YÊU CẦU"


def test_no_roman_level_and_wrapped_numbers() -> None:
    doc = _doc(HEADER + """1. MỤC ĐÍCH, YÊU CẦU
Phấn đấu năm 2024 tăng ít nhất 2 bậc so với năm trước, hiện xã đứng thứ
5/11 xã, thị trấn của huyện và cải thiện các chỉ số thành phần giai đoạn
2021 – 2025, bảo đảm đồng bộ giữa các bộ phận chuyên môn của Ủy ban
3. lần liên tiếp đạt loại khá theo đánh giá của huyện trong các năm qua.
2. NHIỆM VỤ TRỌNG TÂM
a) Công khai, minh bạch
- Giao Văn phòng - Thống kê chủ trì.
b) Trách nhiệm giải trình
3. KINH PHÍ
Từ ngân sách xã.
4. TỔ CHỨC THỰC HIỆN
Các bộ phận triển khai.
""" + TAIL)
    _check_cover(doc)
    assert _kinds(doc)[:5] == ["preamble", "purpose", "assignments", "funding", "implementation"]
    assert _paths(doc) == ["1", "2", "2.a", "2.b", "3", "4"]
    assert all(n.level == 1 for n in doc.outline if n.path.isdigit())


def test_funding_inside_implementation_and_sentence_case() -> None:
    doc = _doc(HEADER + """I. Mục đích, yêu cầu
1. Mục đích
2. Yêu cầu
II. Nội dung và phân công nhiệm vụ
1. Chỉ số Tính minh bạch
1.1. Công khai quy hoạch
(1) Niêm yết tại trụ sở.
(2) Đăng tải trên trang thông tin điện tử.
1.2. Công khai ngân sách
2. Chỉ số Trách nhiệm giải trình
III. Tổ chức thực hiện
1. Văn phòng - Thống kê theo dõi, đôn đốc.
2. Kinh phí thực hiện
Từ nguồn ngân sách xã và các nguồn hợp pháp khác.
3. Chế độ báo cáo
Báo cáo định kỳ trước ngày 15/6/2024.
""" + TAIL)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "implementation", "closing", "recipients",
                           "signature"]
    funding = [s for s in doc.sections if s.kind == "funding"]
    assert len(funding) == 1 and funding[0].level == 2 and funding[0].number == "2"
    assert doc.text[funding[0].start:funding[0].end].startswith("2. Kinh phí thực hiện\nTừ nguồn ngân sách")
    assert funding[0].end == next(n for n in doc.outline if n.path == "III.3").start
    assert "II.1.1.(2)" in _paths(doc) and "II.1.2" in _paths(doc)
    assert next(n for n in doc.outline if n.path == "II.1.1").level == 3


def test_unnumbered_parts() -> None:
    """A plan whose parts are bare upper-case headings; the upper-case title is not a part."""
    header = HEADER.replace("KẾ HOẠCH\n", "KẾ HOẠCH\nTHỰC HIỆN NHIỆM VỤ CẢI THIỆN CHỈ SỐ PAPI\n")
    doc = _doc(header + """MỤC ĐÍCH, YÊU CẦU
Nâng cao điểm số các chỉ số thành phần.
NHIỆM VỤ VÀ GIẢI PHÁP
1. Công khai, minh bạch
2. Trách nhiệm giải trình
TỔ CHỨC THỰC HIỆN
Các bộ phận triển khai.
""" + TAIL)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "implementation", "closing", "recipients",
                           "signature"]
    assert [(n.level, n.path) for n in doc.outline] == [(1, ""), (1, ""), (2, "1"), (2, "2"), (1, "")]
    assert "THỰC HIỆN NHIỆM VỤ" in doc.text[:doc.sections[1].start]


def test_unnumbered_part_between_roman_parts() -> None:
    doc = _doc(HEADER + """I. MỤC ĐÍCH, YÊU CẦU
II. NHIỆM VỤ CỤ THỂ
1. Chỉ số Công khai, minh bạch
KINH PHÍ THỰC HIỆN
Từ nguồn ngân sách xã.
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng UBND theo dõi.
""" + TAIL)
    assert _kinds(doc)[:5] == ["preamble", "purpose", "assignments", "funding", "implementation"]
    assert _paths(doc) == ["I", "II", "II.1", "", "III", "III.1"]


def test_sequence_sanity_roman_and_restart() -> None:
    doc = _doc(HEADER + """I. MỤC ĐÍCH
1. Nâng cao nhận thức.
III. Không phải đề mục vì thiếu số II
II. GIẢI PHÁP
1. Giải pháp thứ nhất
1. Câu bắt đầu bằng số một nhưng không phải đề mục mới.
2. Giải pháp thứ hai
""" + TAIL)
    assert _paths(doc) == ["I", "I.1", "II", "II.1", "II.2"]
    assert _kinds(doc)[:3] == ["preamble", "purpose", "assignments"]


def test_ocr_headings_and_layout_table() -> None:
    """Headings without accents / with OCR typos; Nơi nhận and signature in a two-cell layout table;
    an unnumbered appendix with a title and a table."""
    table = Block("table", rows=[[Cell("Nơi nhận:\n- Như trên;\n- Lưu: VT."),
                                  Cell("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn Nam")]])
    appendix = [Block("paragraph", "PHỤ LỤC", bold=True),
                Block("paragraph", "BẢNG PHÂN CÔNG NHIỆM VỤ", bold=True),
                Block("table", rows=[[Cell("TT"), Cell("Nhiệm vụ")], [Cell("1"), Cell("Công khai TTHC")]])]
    doc = _doc(HEADER + """I. MUC DICH, YEU CAU
II. NOI DUNG VA PHAN CONG NHIEM VU
1. Chi so Tinh minh bach
III. NGUÒN KINH PHl THỰC HIẸN
IV. TÓ CHỨC THỰC HlỆN
""", extra=[table, *appendix])
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "funding", "implementation", "recipients",
                           "signature", "appendix"]
    sig = doc.sections_of("signature")[0]
    assert sig.heading == "KT. CHỦ TỊCH" and doc.text[sig.start:].startswith("KT. CHỦ TỊCH")
    app = doc.sections_of("appendix")[0]
    assert app.number is None and app.node.path == "Phụ lục"
    assert "Công khai TTHC" in doc.text[app.start:app.end]


def test_two_kinds_in_one_heading_ocr_roman_and_prose_enumeration() -> None:
    doc = _doc(HEADER + """I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm 03 nguyên tắc: a) Thực tiễn; b) Khả thi; c) Chính xác.
Il. NHIỆM VỤ VÀ GIẢI PHÁP
1. Giao Văn phòng chủ trì.
III. KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN
Kinh phí từ ngân sách xã.
""" + TAIL.replace("Trên đây là Kế hoạch", "Trên đây là nội dung Kế hoạch"))
    assert _paths(doc) == ["I", "II", "II.1", "III"]
    assert _kinds(doc, None)[:6] == ["preamble", "purpose", "assignments", "implementation", "funding", "closing"]
    funding = doc.sections_of("funding")[0]
    assert funding.level == 2 and funding.number == "III" and funding.end == doc.sections_of("closing")[0].start


def test_appendix_numbering_forms() -> None:
    doc = _doc(HEADER + """I. MỤC ĐÍCH, YÊU CẦU
II. NHIỆM VỤ
""" + TAIL + """PHỤ LỤC I
DANH MỤC NHIỆM VỤ
Phụ lục số 02: Bảng phân công
Phụ lục tổng hợp các chỉ tiêu kèm theo kế hoạch này được cập nhật hằng quý theo hướng dẫn của huyện
""")
    assert [(s.number, s.node.path) for s in doc.sections_of("appendix")] == [
        ("I", "Phụ lục I"), ("02", "Phụ lục 02")]


def test_ocr_roman_without_dot_and_misread_numeral() -> None:
    """Scans: "II NHIỆM VỤ…" lost its dot; "III." was read as "II." (accepted only because the line is
    an upper-case heading naming a part, and stored as the III the sequence requires)."""
    doc = _doc(HEADER + """I. MỤC ĐÍCH, YÊU CẦU
II NHIỆM VỤ, GIẢI PHÁP NĂM 2024
1. Giao phòng Tài chính chủ trì.
II. TỔ CHỨC THỰC HIỆN
""" + TAIL)
    assert _paths(doc) == ["I", "II", "II.1", "III"]
    assert [s.number for s in doc.sections][1:4] == ["I", "II", "III"]
    assert _kinds(doc)[:4] == ["preamble", "purpose", "assignments", "implementation"]


OCR_NUMERALS = """Í. Mục đích, yêu cầu
Nâng cao chỉ số.
H. Nhiệm vụ, giải pháp
1. Đối với Chỉ số PCI
2. Đối với Chỉ số DDCI
II. Kinh phí thực hiện
Kinh phí từ ngân sách.
IY. TỔ CHỨC THỰC HIỆN
"""


def test_ocr_misread_roman_numerals_follow_the_sequence() -> None:
    """Scans: "Í." is I, "H." is II, "II." after II is III (a stroke lost), "IY." after III is IV;
    each accepted because its title is a part heading and the numeral is the one the sequence expects."""
    doc = _doc(HEADER + OCR_NUMERALS + TAIL, ocr=True)
    assert _paths(doc) == ["I", "II", "II.1", "II.2", "III", "IV"]
    assert _kinds(doc)[:5] == ["preamble", "purpose", "assignments", "funding", "implementation"]
    funding = doc.sections_of("funding")[0]
    assert doc.text[funding.start:funding.end].rstrip().endswith("Kinh phí từ ngân sách.")  # no run-on


def test_ocr_numerals_only_in_ocr_documents_and_only_as_headings() -> None:
    text = _doc(HEADER + OCR_NUMERALS + TAIL)  # a text document: "H." and "Í." are no numerals
    assert "II.1" not in _paths(text) and not any(n.number == "IV" for n in text.outline)
    prose = _doc(HEADER + """I. MỤC ĐÍCH, YÊU CẦU
H. Văn An được giao theo dõi việc này.
II. NHIỆM VỤ
1. Giao Văn phòng chủ trì.
""" + TAIL, ocr=True)
    assert _paths(prose) == ["I", "II", "II.1"]  # "H." before a sentence stays text
    first = _doc(HEADER + "IL. ĐÁNH GIÁ CHUNG\nKết quả năm trước.\nII. MỤC ĐÍCH, YÊU CẦU\nII. NHIỆM VỤ CỤ THỂ\n"
                 "1. Nội dung Tham gia của người dân\n" + TAIL, ocr=True)
    assert _paths(first) == ["I", "II", "III", "III.1"]  # "IL." as the first part is I


SOFT_BODY = """Mục đích, yêu cầu
Góp phần cải thiện môi trường kinh doanh trên địa bàn xã.
Mục đích của việc đánh giá là tìm ra hạn chế để khắc phục trong năm nay.
Nhiệm vụ và giải pháp
Công chức Văn phòng - Thống kê chủ trì rà soát quy trình tiếp nhận hồ sơ.
Tổ chức thực hiện
Các công chức kịp thời báo cáo Chủ tịch UBND xã.
"""
SOFT_HEADINGS = ("Mục đích, yêu cầu", "Nhiệm vụ và giải pháp", "Tổ chức thực hiện")


def test_sentence_case_bold_parts_without_numbers() -> None:
    """A plan whose parts are short bold sentence-case paragraphs with no number: each names a section
    kind, so each starts a part; the body sentence that begins with "Mục đích" is no heading."""
    doc = _doc(HEADER + SOFT_BODY + TAIL, bold=SOFT_HEADINGS)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "implementation", "closing", "recipients",
                           "signature"]
    assert [n.heading for n in doc.outline] == list(SOFT_HEADINGS)
    assert [(n.level, n.path) for n in doc.outline] == [(1, "")] * 3


def test_sentence_case_parts_unstyled_and_numbered_items_below() -> None:
    """Without any bold in the document (OCR, plain text) the line must follow a finished sentence;
    numbered items below such a part nest under it."""
    body = SOFT_BODY.replace("rà soát quy trình tiếp nhận hồ sơ.\n", "rà soát quy trình:\n1. Tiếp nhận hồ sơ.\n"
                             "2. Trả kết quả đúng hạn.\n")
    doc = _doc(HEADER + body + TAIL)
    assert _kinds(doc)[:4] == ["preamble", "purpose", "assignments", "implementation"]
    assert [(n.level, n.path) for n in doc.outline] == [(1, ""), (1, ""), (2, "1"), (2, "2"), (1, "")]
    wrapped = _doc(HEADER + body.replace("trên địa bàn xã.", "trên địa bàn xã; các bộ phận phối hợp\n"
                                         "Tổ chức thực hiện\ncó hiệu quả.") + TAIL)
    assert [n.heading for n in wrapped.outline if n.level == 1] == list(SOFT_HEADINGS)  # no wrapped tail


def test_sentence_case_parts_guards() -> None:
    """No part: a bold phrase inside a paragraph, a lone bold kind line (one kind is no outline), a
    non-bold line in a styled document, sub-headings of a numbered plan, a heading-like sentence."""
    inline = _doc(HEADER + SOFT_BODY.replace("Mục đích, yêu cầu\n", "Mục đích, yêu cầu: góp phần cải thiện.\n")
                  .replace("Nhiệm vụ và giải pháp\n", "").replace("Tổ chức thực hiện\n", "") + TAIL,
                  bold=SOFT_HEADINGS)
    assert _kinds(inline)[:2] == ["preamble", "closing"]
    lone = _doc(HEADER + SOFT_BODY.replace("Nhiệm vụ và giải pháp\n", "").replace("Tổ chức thực hiện\n", "") + TAIL,
                bold=SOFT_HEADINGS)
    assert _kinds(lone)[:2] == ["preamble", "closing"]
    styled = _doc(HEADER + SOFT_BODY + TAIL, bold=SOFT_HEADINGS[:2])  # "Tổ chức thực hiện" not bold
    assert _kinds(styled)[:4] == ["preamble", "purpose", "assignments", "closing"]
    numbered = _doc(HEADER + "I. MỤC ĐÍCH, YÊU CẦU\nNâng cao điểm số.\nII. NỘI DUNG\nNhiệm vụ cụ thể\n"
                    "Văn phòng chủ trì rà soát hồ sơ.\nTổ chức thực hiện\nCác bộ phận triển khai.\n" + TAIL,
                    bold=("Nhiệm vụ cụ thể", "Tổ chức thực hiện"))
    assert _kinds(numbered)[:4] == ["preamble", "purpose", "assignments", "closing"]
    sentence = _doc(HEADER + SOFT_BODY.replace("Tổ chức thực hiện\n", "Tổ chức thực hiện.\n") + TAIL,
                    bold=SOFT_HEADINGS)
    assert _kinds(sentence)[:4] == ["preamble", "purpose", "assignments", "closing"]


LETTERED = """A. MỤC ĐÍCH, YÊU CẦU
I. Mục đích
1. Nâng cao điểm số.
II. Yêu cầu
B. NHIỆM VỤ VÀ GIẢI PHÁP
I. Nhiệm vụ chung
II. Nhiệm vụ cụ thể
1. Chỉ số Công khai, minh bạch
a) Văn phòng chủ trì.
C. KINH PHÍ THỰC HIỆN
Từ ngân sách xã.
D. TỔ CHỨC THỰC HIỆN
1. Văn phòng theo dõi.
"""


def test_lettered_top_parts_above_roman() -> None:
    """"A.", "B." above "I.", "II.": the letters are the top level (the sections) and head the paths."""
    doc = _doc(HEADER + LETTERED + TAIL)
    _check_cover(doc)
    assert _kinds(doc) == ["preamble", "purpose", "assignments", "funding", "implementation", "closing",
                           "recipients", "signature"]
    assert [s.number for s in doc.sections if s.level == 1][1:5] == ["A", "B", "C", "D"]
    assert _paths(doc) == ["A", "A.I", "A.I.1", "A.II", "B", "B.I", "B.II", "B.II.1", "B.II.1.a", "C", "D", "D.1"]
    assert next(n for n in doc.outline if n.path == "B.II.1.a").level == 4
    plain = _doc(HEADER + LETTERED.replace("A. MỤC ĐÍCH, YÊU CẦU", "A. Mục đích, yêu cầu")
                 .replace("B. NHIỆM VỤ VÀ GIẢI PHÁP", "B. Nhiệm vụ và giải pháp") + TAIL)  # no bold, no capitals
    assert _paths(plain) == _paths(doc)
    phan = _doc(HEADER + "PHẦN I. KẾ HOẠCH\n" + LETTERED + TAIL)
    assert _paths(phan)[:3] == ["I", "I.A", "I.A.I"]


def test_letters_below_roman_or_in_appendix_are_no_parts() -> None:
    """"A." after "I." (a list inside a part) and "A." inside an appendix keep their old reading."""
    below = _doc(HEADER + "I. MỤC ĐÍCH\nA. Nâng cao nhận thức.\nB. Cải thiện điểm số.\nII. NHIỆM VỤ\n"
                 "1. Giao Văn phòng chủ trì.\nIII. TỔ CHỨC THỰC HIỆN\n" + TAIL)
    assert _paths(below) == ["I", "II", "II.1", "III"]
    appendix = _doc(HEADER + "1. MỤC ĐÍCH\n2. NHIỆM VỤ\n" + TAIL + "PHỤ LỤC\nA. NHÓM CHỈ SỐ\nB. NHÓM KHÁC\n")
    assert _paths(appendix) == ["1", "2", "Phụ lục"]
    lone_a = _doc(HEADER + "A. MỤC ĐÍCH\nI. NHIỆM VỤ\n1. Giao Văn phòng.\nII. TỔ CHỨC THỰC HIỆN\n" + TAIL)
    assert _paths(lone_a) == ["I", "I.1", "II"]  # no "B.": the letter is no numbering level


@pytest.mark.parametrize(("title", "kind"), [
    ("MỤC ĐÍCH, YÊU CẦU", "purpose"),
    ("MỤC TIÊU", "purpose"),
    ("NHIỆM VỤ VÀ GIẢI PHÁP", "assignments"),
    ("GIẢI PHÁP KHẮC PHỤC NHỮNG HẠN CHẾ", "assignments"),
    ("KẾ HOẠCH THỰC HIỆN CÁC CHỈ SỐ THÀNH PHẦN", "assignments"),
    ("NGUỒN KINH PHÍ THỰC HIỆN:", "funding"),
    ("TỔ CHỨC THỰC HIỆN", "implementation"),
    ("KẾT QUẢ THỰC HIỆN NĂM 2023", "other"),
])
def test_classify_heading(title: str, kind: str) -> None:
    assert classify_heading(title)[0] == kind


def test_classify_nested_heading_is_strict() -> None:
    assert classify_heading("Kinh phí thực hiện", nested=True)[0] == "funding"
    assert classify_heading("Công chức Kế toán - ngân sách: bố trí nguồn kinh phí", nested=True)[0] is None


LINE_POOL = ["I. MỤC ĐÍCH", "II. NHIỆM VỤ", "1. Việc một", "2. Việc hai", "1.1. Ý", "a) Giao", "b) Phối hợp",
             "(1) Một", "(2) Hai", "Nơi nhận:", "CHỦ TỊCH", "Phụ lục 1", "PHẦN THỨ NHẤT", "văn bản tiếp",
             "Trên đây là Kế hoạch", "- gạch đầu dòng", "III. KINH PHÍ", "", "  ", "5/11 xã", "x) y", "Il.",
             "A. MỤC ĐÍCH", "B. NHIỆM VỤ", "Tổ chức thực hiện", "Kinh phí thực hiện", "H. Nhiệm vụ", "Í. MỤC ĐÍCH",
             "IIL CHỈ TIÊU", "Í.", "H", "ll KINH PHÍ", "L. Kinh phí",
             "Căn cứ Kế hoạch số 7/KH-UBND ngày 02/01/2024 của UBND huyện."]


@given(st.lists(st.sampled_from(LINE_POOL), max_size=25), st.booleans())
@settings(max_examples=150, deadline=None)
def test_any_line_sequence_segments_cleanly(lines: list[str], ocr: bool) -> None:
    doc = _doc("\n".join(lines), ocr=ocr)
    if not doc.text:
        assert doc.sections == [] and doc.outline == []
        return
    _check_cover(doc)
    for n in doc.outline:
        assert 0 <= n.start < n.end <= len(doc.text)


def test_ocr_table_numbers_follow_the_sequence() -> None:
    """Scanned appendix table: group cells "Í"/"H" are groups I/II, a task cell "°" between 4 and the
    end is 5, a header "ST T1" (the column rule read as 1) is still the number column, and a heading
    run on into its title gives the label "PHỤ LỤC", not "PHỤ LỤC NHIỆM"."""
    from extractors.assignments import extract_assignments

    table = Block("table", rows=[[Cell(c) for c in r] for r in [
        ["ST T1", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian hoàn thành"],
        ["Í", "Chỉ số cải cách hành chính", "", ""],
        ["1", "Ban hành kế hoạch tuyên truyền", "Phòng Văn hóa và Thông tin", "Quý III/2024"],
        ["2", "Rà soát thủ tục hành chính", "Phòng Nội vụ", "Quý IV/2024"],
        ["3", "Số hóa hồ sơ", "Văn phòng HĐND và UBND", "Năm 2024"],
        ["H", "Chỉ số SIPAS", "", ""],
        ["4", "Tổ chức khảo sát sự hài lòng", "Phòng Nội vụ", "Năm 2024"],
        ["°", "Lắp đặt camera giám sát", "Văn phòng HĐND và UBND", "Thường xuyên"]]])
    text = HEADER + "I. MỤC ĐÍCH, YÊU CẦU\nII. NHIỆM VỤ\n" + TAIL + "PHỤ LỤC NHIỆM VỤ CỤ THỂ NĂM 2024\n"
    numbers = {ocr: [r.section_no for r in extract_assignments(_doc(text, extra=[table], ocr=ocr))]
               for ocr in (True, False)}
    assert numbers[True] == [f"PHỤ LỤC/{n}" for n in "12345"]
    assert "PHỤ LỤC/°" in numbers[False]  # a text document's cells are read as written


def test_ocr_table_numbers_from_neighbours_and_group_lookalikes() -> None:
    """"]" is group I; "IH" (a group row with a lead, after groups I and II) is III; "K)" between tasks
    2 and 4 is 3; "S" between 4 and 6 is 5; in a table with groups 1, 2, 3, "R)" between 2.1 and 3.1
    is their group 3."""
    from extractors.assignments import extract_assignments

    roman = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
             ["]", "Gia nhập thị trường", "", ""],
             ["1", "Liên thông đăng ký doanh nghiệp", "Sở Kế hoạch và Đầu tư", "Quý II/2024"],
             ["2", "Hỗ trợ hộ kinh doanh", "UBND các huyện", "Thường xuyên"],
             ["H", "Tiếp cận đất đai", "", ""],
             ["K)", "Công bố bảng giá đất", "Sở Tài nguyên và Môi trường", "Trước ngày 30/6/2024"],
             ["4", "Rà soát quỹ đất sạch", "Sở Tài nguyên và Môi trường", "Tháng 9/2024"],
             ["IH", "Chi phí không chính thức", "Thanh tra tỉnh", "Định kỳ 6 tháng"],
             ["IV", "Tính năng động", "", ""],
             ["S", "Tổ chức hội nghị đối thoại", "Văn phòng UBND tỉnh", "Quý III/2024"],
             ["6", "Tổ chức phiên giao dịch việc làm", "Sở Nội vụ", "Quý IV/2024"]]
    nested = [["TT", "Nội dung công việc", "Công chức thực hiện", "Thời gian"],
              ["1", "Công tác chỉ đạo, điều hành", "", ""],
              ["1.1", "Ban hành kế hoạch", "Công chức Văn phòng - Thống kê", "Quý I/2025"],
              ["2", "Cải cách thủ tục hành chính", "", ""],
              ["2.1", "Niêm yết thủ tục hành chính", "Công chức Tư pháp - Hộ tịch", "Thường xuyên"],
              ["R)", "Chỉ số hài lòng (SIPAS)", "", ""],
              ["3.1", "Khảo sát sự hài lòng", "Công chức Văn phòng - Thống kê", "Năm 2025"]]
    text = HEADER + "I. MỤC ĐÍCH, YÊU CẦU\nII. NHIỆM VỤ\n" + TAIL + "PHỤ LỤC\nNHIỆM VỤ CỤ THỂ\n"
    tables = [Block("table", rows=[[Cell(c) for c in r] for r in t]) for t in (roman, nested)]
    got = extract_assignments(_doc(text, extra=tables, ocr=True))
    assert [r.section_no for r in got] == [f"PHỤ LỤC/{n}" for n in ("1", "2", "3", "4", "III", "5", "6",
                                                                     "1.1", "2.1", "3.1")]
    assert got[-1].index_name_raw == "Chỉ số hài lòng (SIPAS)"  # "R)" read as group 3


def test_ocr_list_number_lookalike_only_continues_a_list() -> None:
    """"S." is 5 right after "4." of a running list (and "2-" is 2 after "1."); never a list's start."""
    doc = _doc(HEADER + """I. MỤC ĐÍCH, YÊU CẦU
1. Tạo chuyển biến trong nhận thức.
2- Tập trung cải thiện các chỉ số thành phần.
II. NHIỆM VỤ CỤ THỂ
1. Sở Kế hoạch và Đầu tư:
2. Văn phòng UBND tỉnh:
3. Sở Tài nguyên và Môi trường:
4. Sở Tư pháp:
S. Thanh tra tỉnh:
6. Sở Công Thương:
III. TỔ CHỨC THỰC HIỆN
S. Sở Nội vụ theo dõi.
""" + TAIL, ocr=True)
    assert _paths(doc) == ["I", "I.1", "I.2", "II", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III"]
    assert "II.5" not in _paths(_doc(HEADER + "II. NHIỆM VỤ\n4. Sở Tư pháp:\nS. Thanh tra tỉnh:\n" + TAIL))


def test_ocr_first_part_numeral_misread_as_another_numeral() -> None:
    """Scans: "I." read "L." (a numeral, fifty) still opens the body when its title is a part
    heading; the second "II." is III (a stroke lost). A text document keeps "L." unread."""
    body = HEADER + ("L. KẾT QUẢ THỰC HIỆN NĂM 2024\nChỉ số đạt 67,02 điểm.\nII. MỤC ĐÍCH, YÊU CẦU\n"
                     "1. Cải thiện chỉ số.\nII. NHIỆM VỤ, GIẢI PHÁP\n1. Giao Sở Tài chính chủ trì.\n") + TAIL
    assert _paths(_doc(body, ocr=True))[:4] == ["I", "II", "II.1", "III"]
    assert "I" not in _paths(_doc(body))


def test_sentence_case_parts_above_a_roman_list() -> None:
    """Bold sentence-case part headings that come before any numbered heading are the plan's top level
    even when a Roman list follows inside a part: the Roman headings ("I. Chỉ số …") are the part's
    sub-headings, numbered as written ("I", "I.1"), and the later sentence-case parts still open parts."""
    body = SOFT_BODY.replace("Công chức Văn phòng - Thống kê chủ trì rà soát quy trình tiếp nhận hồ sơ.\n",
                             "Các nhiệm vụ theo từng chỉ số thành phần như sau:\nI. Chỉ số Công khai, minh bạch\n"
                             "1. Công chức Tư pháp - Hộ tịch niêm yết công khai thủ tục hành chính.\n"
                             "2. Công chức Văn phòng - Thống kê cập nhật trang thông tin điện tử.\n"
                             "II. Chỉ số Trách nhiệm giải trình\nCông an xã chủ trì tiếp công dân định kỳ.\n")
    body = body.replace("Tổ chức thực hiện\n", "Kinh phí\nNgân sách xã năm 2024.\nTổ chức thực hiện\n")
    doc = _doc(HEADER + body + TAIL, bold=(*SOFT_HEADINGS, "Kinh phí", "I. Chỉ số Công khai, minh bạch",
                                          "II. Chỉ số Trách nhiệm giải trình"))
    _check_cover(doc)
    assert _kinds(doc)[:5] == ["preamble", "purpose", "assignments", "funding", "implementation"]
    assert [(n.level, n.path) for n in doc.outline] == [(1, ""), (1, ""), (2, "I"), (3, "I.1"), (3, "I.2"),
                                                        (2, "II"), (1, ""), (1, "")]
    funding = next(s for s in doc.sections if s.kind == "funding")
    assert doc.text[funding.start:funding.end].split("\n")[1] == "Ngân sách xã năm 2024."


def test_task_headings_numbered_by_a_label_word() -> None:
    """"Nhiệm vụ 1." (a label word, headings.toml [numbering].labels, and a number with a separator)
    numbers sub-headings like "1.": path "2.1" under "Phần thứ hai"; "1." items inside nest below it. A
    sentence that starts with the word and a number without a separator, or a year, is no heading; each
    label word is a list of its own ("Giải pháp 3" continues no "Nhiệm vụ" list, and starts none)."""
    doc = _doc(HEADER + """PHẦN THỨ NHẤT
MỤC ĐÍCH, YÊU CẦU
Nâng cao chỉ số.
PHẦN THỨ HAI
NHIỆM VỤ TRỌNG TÂM
Nhiệm vụ 1. Cải cách thủ tục hành chính
Nhiệm vụ 1 là rà soát toàn bộ thủ tục của xã.
1. Công chức Tư pháp - Hộ tịch niêm yết thủ tục.
Nhiệm vụ 2: Cải cách chế độ công vụ
Nhiệm vụ 2024 của xã là nâng cao kỷ cương.
Giải pháp 3 - Tăng cường kiểm tra
PHẦN THỨ BA
TỔ CHỨC THỰC HIỆN
Các công chức triển khai thực hiện.
""" + TAIL)
    _check_cover(doc)
    assert _paths(doc) == ["1", "2", "2.1", "2.1.1", "2.2", "3"]
    assert doc.outline[2].number == "Nhiệm vụ 1" and doc.outline[4].heading == "Nhiệm vụ 2: Cải cách chế độ công vụ"
