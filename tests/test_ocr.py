"""OCR: the scanned chi-lang plan (image-only PDF, red seal + signature), an image rendered from a
text PDF, a multi-page TIFF, a .doc made from a corpus DOCX, and the layout rules on synthetic
word boxes (other names, places and numbering than the corpus)."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from pipeline.readers import ocr
from tests.conftest import ROOT, corpus_file


def _needs_tesseract() -> None:
    reason = ocr._tesseract_status()
    if reason:
        pytest.skip(reason)


def _cer_module():
    spec = importlib.util.spec_from_file_location("bench_cer", ROOT / "benchmarks" / "cer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scan():
    """The 14-page scan OCR'd once for the module (~20-40 s on 2 cores)."""
    _needs_tesseract()
    path = corpus_file("chi-lang-2025-scan.pdf")
    per_page, conf = ocr.ocr_pdf_pages(path, list(range(1, 15)))
    return per_page, conf


def _texts(per_page) -> list[str]:
    return [b.text for p in sorted(per_page) for b in per_page[p]]


def test_scan_every_page_and_confidence(scan):
    per_page, conf = scan
    assert sorted(per_page) == list(range(1, 15))
    assert all(per_page[p] for p in per_page)
    assert all(b.page == p for p in per_page for b in per_page[p])
    assert conf is not None and 85 < conf <= 100


def test_scan_header_cells(scan):
    per_page, _ = scan
    cells = [b for b in per_page[1] if b.kind == "header_cell"]
    left = [c.text for c in cells if c.column == 0]
    right = [c.text for c in cells if c.column == 1]
    assert "ỦY BAN NHÂN DÂN" in left and "HUYỆN CHI LĂNG" in left
    assert any(t.startswith("Số:") and "/KH-UBND" in t for t in left)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert any(t.startswith("Chi Lăng, ngày") and t.endswith("năm 2025") for t in right)
    # The header comes before the title and the body.
    kinds = [b.kind for b in per_page[1]]
    assert kinds[: len(cells)] == ["header_cell"] * len(cells)
    assert per_page[1][len(cells)].text == "KẾ HOẠCH"


def test_scan_body_values(scan):
    per_page, _ = scan
    texts = _texts(per_page)
    joined = "\n".join(texts)
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts
    # ("Kết quả xếp hạng DCCI ...": the original's own typo may be repaired, so it is left out.)
    assert (
        "năm 2024 huyện Chi Lăng đứng thứ 8/11 huyện, thành phố với số điểm 63,25 điểm, giảm 3,32 điểm "
        "so với năm 2023. Trong đó:"
    ) in joined
    assert "Cơ quan chủ trì: Văn phòng HĐND và UBND huyện" in texts
    # Page numbers (top centre from page 2) are gone.
    assert not any(t.strip().isdigit() for t in texts)


def test_scan_signature_block(scan):
    per_page, _ = scan
    texts = [b.text for b in per_page[12]]
    # Nơi nhận list, one recipient per block, then the signer column: no seal or signature debris.
    i = texts.index("Nơi nhận:")
    assert texts[i + 2] == "- TT HĐND huyện (B/c);"
    assert "- Các Ngân hàng NN&PTNT huyện, Ngân hàng Thương mại trên địa bàn;" in texts
    assert texts[-2:] == ["CHỦ TỊCH", "Phùng Văn Nghĩa"]
    assert texts[texts.index("- Lưu: VT, TCKH (VTV)") + 1] == "CHỦ TỊCH"


def test_scan_character_accuracy(scan):
    per_page, _ = scan
    cer = _cer_module()
    blocks = [b for p in sorted(per_page) for b in per_page[p]]
    hyp = cer.normalize_for_cer(cer.body_text(blocks, with_header=False))
    ref = cer.normalize_for_cer(corpus_file("chi-lang-2025.txt").read_text(encoding="utf-8-sig"))
    assert cer.cer(hyp, ref) <= 0.01
    wer, n = cer.accented_wer(hyp, ref)
    assert n > 5000 and wer <= 0.02


def test_read_image_png_from_text_pdf(tmp_path):
    _needs_tesseract()
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from pipeline.readers import read_file

    pdf = corpus_file("cao-lau-2023.pdf")
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "p"], check=True)
    png = next(tmp_path.glob("p*.png"))
    # Only the top third: enough text to check, a third of the OCR time.
    with Image.open(png) as im:
        im.crop((0, 0, im.width, im.height // 3)).save(tmp_path / "top.png")
    result = read_file(tmp_path / "top.png")  # dispatched on the PNG magic bytes
    assert result.file_format == "image" and result.ocr and result.pages == 1
    texts = [b.text for b in result.blocks]
    assert texts[0] == "KẾ HOẠCH"
    assert "Thực hiện cải thiện chỉ số đánh giá năng lực cạnh tranh năm 2023" in texts
    joined = " ".join(texts)
    assert "Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện Cao Lộc" in joined
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts


def test_read_image_multipage_tiff(tmp_path):
    _needs_tesseract()
    from pipeline.readers.image import read_image

    pdf_path = corpus_file("phu-son-2023.pdf")
    pdf, loaders = ocr.pdf_page_loaders(pdf_path, [1, 2], dpi=300)
    frames = [load().convert("L") for _, load in loaders]
    pdf.close()
    bands = [f.crop((0, int(f.height * 0.3), f.width, int(f.height * 0.45))) for f in frames]
    bands[0].save(tmp_path / "two.tif", save_all=True, append_images=bands[1:], compression="tiff_lzw")
    result = read_image(tmp_path / "two.tif")
    assert result.pages == 2
    assert {b.page for b in result.blocks} == {1, 2}
    assert all(len(b.text) > 0 for b in result.blocks)


def test_image_with_ocr_off_is_a_read_error(tmp_path):
    from pipeline.readers import ReadError
    from pipeline.readers.image import read_image

    Image.new("L", (50, 50), 255).save(tmp_path / "blank.png")
    with pytest.raises(ReadError) as err:
        read_image(tmp_path / "blank.png", ocr="never")
    assert err.value.stage == "ocr"


def test_ocr_unavailable_is_a_read_error(monkeypatch):
    from pipeline.readers import ReadError

    monkeypatch.setattr(ocr, "_tesseract_status", lambda: "tesseract is not installed")
    with pytest.raises(ReadError) as err:
        ocr.ocr_pdf_pages(Path("missing.pdf"), [1])
    assert err.value.error_type == "ocr_unavailable" and err.value.stage == "ocr"


def test_read_doc_from_converted_docx(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    pytest.importorskip("pipeline.readers.docx")
    from pipeline.readers import read_file

    src = corpus_file("hong-phong-2023.docx")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
         "--outdir", tmp_path, src],
        check=True, capture_output=True, timeout=120,
    )
    doc = tmp_path / "hong-phong-2023.doc"
    result = read_file(doc)  # dispatched on the OLE2 magic bytes
    assert result.file_format == "doc"
    text = "\n".join(b.text for b in result.blocks if b.kind != "table")
    assert "KẾ HOẠCH" in text
    assert "Hồng Phong" in text


# --- layout rules on synthetic word boxes ------------------------------------------------------

W, H, CHAR, HEIGHT = 2480, 3508, 22, 45


def _line(text: str, x: int, top: int, conf: float = 95.0) -> ocr.Line:
    """Word boxes of one printed line starting at x (22 px per character, 15 px spaces)."""
    words = []
    for token in text.split(" "):
        if token:
            words.append(ocr.Word(token, x, top, x + CHAR * len(token), top + HEIGHT, conf))
            x += CHAR * len(token) + 15
        else:
            x += CHAR * 8  # an empty token stands for a wide blank (a blank number in "Số:   /KH")
    return ocr.Line(words)


def _centred(text: str, centre: int, top: int) -> ocr.Line:
    width = sum(CHAR * len(t) + 15 for t in text.split(" ")) - 15
    return _line(text, centre - width // 2, top)


def _split(left: ocr.Line, right: ocr.Line) -> ocr.Line:
    """One tesseract line running across both columns."""
    return ocr.Line(left.words + right.words)


def _page(lines: list[ocr.Line], page: int = 1) -> ocr.PageOCR:
    return ocr.PageOCR(page, W, H, lines)


def test_layout_header_columns_and_title():
    lc, rc = 650, 1650
    lines = [
        _split(_centred("UBND XÃ TÂN LẬP", lc, 250), _centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rc, 250)),
        _split(_centred("Số: 12/KH-UBND", lc, 330), _centred("Độc lập - Tự do - Hạnh phúc", rc, 330)),
        _centred("Tân Lập, ngày 5 tháng 3 năm 2024", rc, 420),
        _centred("KẾ HOẠCH", W // 2, 560),
        _centred("Cải thiện chỉ số PAPI năm 2024", W // 2, 630),
        _line("Thực hiện Kế hoạch số 7/KH-UBND của UBND huyện, UBND xã ban hành kế", 500, 760),
        _line("hoạch như sau:", 350, 835),
    ]
    blocks = ocr.page_blocks(_page(lines), first_page=True)
    cells = [(b.column, b.text) for b in blocks if b.kind == "header_cell"]
    assert cells == [
        (0, "UBND XÃ TÂN LẬP"), (0, "Số: 12/KH-UBND"),
        (1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (1, "Độc lập - Tự do - Hạnh phúc"),
        (1, "Tân Lập, ngày 5 tháng 3 năm 2024"),
    ]
    body = [b for b in blocks if b.kind == "paragraph"]
    assert body[0].text == "KẾ HOẠCH" and body[0].bold and body[0].centered
    assert body[-1].text.startswith("Thực hiện Kế hoạch số 7/KH-UBND") and body[-1].text.endswith("như sau:")


def test_layout_not_a_header_after_page_one():
    lines = [_split(_line("Nơi nhận:", 350, 300), _centred("TM. ỦY BAN NHÂN DÂN", 1700, 300))]
    blocks = ocr.page_blocks(_page(lines, page=4), first_page=False)
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Nơi nhận:"), ("paragraph", "TM. ỦY BAN NHÂN DÂN"),
    ]


def test_layout_reflow_numbering_and_page_number():
    lines = [
        _centred("3", W // 2, 110),  # page number at the top centre
        _line("2. Nhiệm vụ cụ thể", 500, 250),
        _line("a) Rà soát thủ tục hành chính, công khai trên cổng thông tin điện tử của", 500, 330),
        _line("huyện; thực hiện theo Nghị quyết số 12-", 350, 405),
        _line("NQ/TU của Tỉnh ủy;", 350, 480),
        _line("b) Đôn đốc các đơn vị thực hiện.", 500, 555),
        _line("Thời gian thực hiện: thường xuyên.", 500, 630),
    ]
    blocks = ocr.page_blocks(_page(lines, page=3), first_page=False)
    assert [b.text for b in blocks] == [
        "2. Nhiệm vụ cụ thể",
        "a) Rà soát thủ tục hành chính, công khai trên cổng thông tin điện tử của huyện; thực hiện "
        "theo Nghị quyết số 12-NQ/TU của Tỉnh ủy;",
        "b) Đôn đốc các đơn vị thực hiện.",
        "Thời gian thực hiện: thường xuyên.",
    ]
    assert all(b.page == 3 for b in blocks)


def test_layout_signature_block_drops_stamp_debris():
    left, right = 350, 1700
    lines = [
        _line("Trên đây là Kế hoạch của UBND phường Hòa Bình năm 2026./.", 500, 200),
        _split(_line("Nơi nhận:", left, 300), _centred("KT. CHỦ TỊCH", right, 300)),
        _split(_line("- Như trên;", left, 360), _centred("PHÓ CHỦ TỊCH", right, 360)),
        _split(_line("- Lưu: VT.", left, 420), _line("xX %vV Ưw", 1500, 430, conf=12.0)),  # seal debris
        _centred("Lê Thị Mai", right, 700),
    ]
    blocks = ocr.page_blocks(_page(lines, page=5), first_page=False)
    assert [b.text for b in blocks] == [
        "Trên đây là Kế hoạch của UBND phường Hòa Bình năm 2026./.",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.",
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Mai",
    ]


def test_join_pages_rejoins_a_paragraph_cut_by_the_page_break():
    from pipeline.model import Block

    per_page = {
        1: [Block("paragraph", "1. Chỉ số A", page=1), Block("paragraph", "Tăng cường kiểm tra", page=1)],
        2: [Block("paragraph", "việc thực hiện.", page=2), Block("paragraph", "2. Chỉ số B", page=2)],
    }
    blocks = ocr.join_pages(per_page)
    assert [b.text for b in blocks] == ["1. Chỉ số A", "Tăng cường kiểm tra việc thực hiện.", "2. Chỉ số B"]
    assert blocks[1].page == 1 and blocks[2].page == 2


def test_prepare_drops_red_and_blue_ink_keeps_black():
    im = Image.new("RGB", (30, 10), (235, 235, 230))
    for x in range(10):
        for y in range(10):
            im.putpixel((x, y), (40, 40, 40))  # black print
            im.putpixel((10 + x, y), (200, 40, 50))  # red seal
            im.putpixel((20 + x, y), (60, 70, 140))  # blue signature
    gray = ocr.prepare(im)
    assert gray.mode == "L"
    assert gray.getpixel((5, 5)) < 60
    assert gray.getpixel((15, 5)) > 180 and gray.getpixel((25, 5)) > 180


# --- centred titles, doubtful lines, lines Tesseract left out ----------------------------------

LEFT, RIGHT = 350, 2130  # the text column of the synthetic pages (its centre is W // 2)


def _span(text: str, left: int, right: int, top: int, conf: float = 95.0) -> ocr.Line:
    """A line whose words are spread from `left` to `right` (justified, or a centred title line)."""
    tokens = text.split()
    inks = [CHAR * len(t) for t in tokens]
    gap = (right - left - sum(inks)) / max(1, len(tokens) - 1)
    words, x = [], float(left)
    for token, ink in zip(tokens, inks, strict=True):
        words.append(ocr.Word(token, round(x), top, round(x) + ink, top + HEIGHT, conf))
        x += ink + gap
    return ocr.Line(words)


def _texts_of(lines: list[ocr.Line], page: int = 2) -> list[str]:
    return [b.text for b in ocr.page_blocks(_page(lines, page=page), first_page=False)]


def test_layout_wrapped_centred_title_is_one_paragraph():
    lines = [
        _centred("KẾ HOẠCH", W // 2, 300),
        _span("Nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) và", 400, 2080, 380),  # ends near the margin
        _span("Chỉ số đánh giá cấp sở, ngành, địa", 600, 1880, 460),  # capital, but would not fit above
        _span("phương (DDCI) thị xã Hòa Lâm năm 2025", 640, 1840, 540),  # lower case: goes on
        _span("Căn cứ Kế hoạch số 21/KH-UBND ngày 10/01/2025 của UBND tỉnh về", 500, RIGHT, 660),
        _span("nâng cao Chỉ số PCI năm 2025;", LEFT, 1000, 735),
    ]
    assert _texts_of(lines) == [
        "KẾ HOẠCH",
        "Nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) và Chỉ số đánh giá cấp sở, ngành, địa "
        "phương (DDCI) thị xã Hòa Lâm năm 2025",
        "Căn cứ Kế hoạch số 21/KH-UBND ngày 10/01/2025 của UBND tỉnh về nâng cao Chỉ số PCI năm 2025;",
    ]


def test_layout_title_with_a_bracketed_acronym_line_and_a_flush_first_line():
    lines = [
        _span("Cải thiện Chỉ số đánh giá năng lực cạnh tranh cấp huyện", 360, 2120, 300),  # nearly full
        _centred("(DDCI)", W // 2, 380),  # caps, alone on its line: still the title
        _centred("huyện Kim Sơn năm 2025", W // 2, 460),
        _span("Thực hiện Kế hoạch số 5/KH-UBND của UBND tỉnh, UBND huyện ban hành", 500, RIGHT, 580),
        _span("kế hoạch như sau:", LEFT, 800, 655),
    ]
    title = "Cải thiện Chỉ số đánh giá năng lực cạnh tranh cấp huyện (DDCI) huyện Kim Sơn năm 2025"
    assert _texts_of(lines)[0] == title


def test_layout_label_line_and_note_stay_apart_from_a_wrapped_caps_title():
    lines = [
        _centred("PHỤ LỤC", W // 2, 300),  # its first word would fit after it: a label of its own
        _span("DANH MỤC NHIỆM VỤ TRỌNG TÂM NÂNG CAO CHỈ SỐ PAPI CỦA", 420, 2060, 380),
        _centred("PHƯỜNG TÂY SƠN NĂM 2025", W // 2, 460),
        _centred("(Kèm theo Kế hoạch số 15/KH-UBND ngày 03/3/2025)", W // 2, 540),  # a note
        _span("Các công chức chuyên môn theo dõi, báo cáo kết quả thực hiện trước", 500, RIGHT, 660),
        _span("ngày 15/12/2025.", LEFT, 700, 735),
    ]
    assert _texts_of(lines)[:3] == [
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ TRỌNG TÂM NÂNG CAO CHỈ SỐ PAPI CỦA PHƯỜNG TÂY SƠN NĂM 2025",
        "(Kèm theo Kế hoạch số 15/KH-UBND ngày 03/3/2025)",
    ]


def test_layout_body_first_line_indent_still_starts_a_paragraph():
    lines = [
        _span("2. Nhiệm vụ trọng tâm của phường Đông Hòa trong năm 2025 gồm các", 500, RIGHT, 300),
        _span("nội dung sau đây", LEFT, 800, 375),
        _span("Tập trung cải thiện các chỉ số thành phần có điểm thấp, nhất là chỉ", 500, RIGHT, 470),
        _span("số Chi phí thời gian.", LEFT, 900, 545),
    ]
    assert len(_texts_of(lines)) == 2


def test_layout_keeps_a_doubtful_well_formed_line_and_repairs_quarter_numerals():
    lines = [
        _span("Thời gian thực hiện: hoàn thành rà soát xong trong Quý", 500, RIGHT, 300),
        _line("II/2025.", LEFT, 380, conf=40.0),  # the model is unsure of a lone numeral line
        _line("- Thời hạn: Quý IH/2025; báo cáo Quý 1V.", 500, 480),
        _line("- Lưu: VT. %vV", LEFT, 560, conf=25.0),  # a word read at 25: debris
    ]
    assert _texts_of(lines) == [
        "Thời gian thực hiện: hoàn thành rà soát xong trong Quý II/2025.",
        "- Thời hạn: Quý III/2025; báo cáo Quý IV.",
    ]


def _ink_line(a, left: int, top: int, chars: int) -> None:
    """Glyph-like ink: `chars` dark blocks (16 x 40 px, 6 px apart)."""
    for k in range(chars):
        x = left + 22 * k
        a[top:top + 40, x:x + 16] = 20


def test_missed_boxes_finds_text_ink_no_word_covers():
    import numpy as np

    a = np.full((700, 2480), 235, dtype=np.uint8)
    _ink_line(a, 350, 100, 60)  # read by tesseract (a word box covers it)
    _ink_line(a, 360, 300, 30)  # left out of the reading
    _ink_line(a, 1500, 300, 12)  # the same row, right column (a signer's name)
    a[500:503, 350:1200] = 20  # a thin rule
    a[600:640, 900:915] = 20  # one glyph alone
    covered = ocr.Line([ocr.Word("x" * 60, 350, 100, 350 + 22 * 60, 140, 96.0)])
    boxes = ocr.missed_boxes(Image.fromarray(a), [covered], [], unit=45.0)
    assert len(boxes) == 1
    left, top, right, bottom = boxes[0]
    assert (left, top) == (360, 300) and right >= 1500 + 22 * 11 and bottom == 340


def test_add_line_joins_a_row_or_inserts_in_reading_order():
    first = _line("- Phòng Nội vụ;", LEFT, 300)
    last = _line("- Lưu: VT.", LEFT, 450)
    lines = [first, last]
    ocr._add_line(lines, _line("- Đảng ủy phường;", LEFT, 375))
    ocr._add_line(lines, _line("Trần Văn Hải", 1500, 380))
    assert [line.text for line in lines] == ["- Phòng Nội vụ;", "- Đảng ủy phường; Trần Văn Hải", "- Lưu: VT."]


def test_glued_words_split_at_the_one_syllable_cut():
    assert ocr.split_glued("Sở Nông nghiệpvà Môi trường") == "Sở Nông nghiệp và Môi trường"
    assert ocr.split_glued("Tínhminh bạch; (Nộivụ); UBNDcác xã") == "Tính minh bạch; (Nội vụ); UBND các xã"
    assert ocr.split_glued("Phòng Tưpháp") == "Phòng Tư pháp"  # "Tưp|háp": a stop final carries a tone
    for kept in ("Video clip", "QĐ-TTg", "Quý1I/2026", "nghiêng", "khuyến", "Đắk Lắk", "Côngan"):
        assert ocr.split_glued(kept) == kept  # loan words, codes, syllables, two possible cuts


def test_signer_name_pieces_on_different_tesseract_lines_are_one_line():
    """Tesseract hung the signer's surname on one line and the last name (with scrawl specks and a
    stray quote) on another: same height in the right column -> one line, specks dropped."""
    name = _line("Nguyễn Quỳnh", 1473, 863)
    rest = ocr.Line([ocr.Word("`", 1787, 867, 1799, 877, 78), ocr.Word('"Thiện', 1882, 864, 2062, 915, 70),
                     ocr.Word("tA", 1980, 864, 2019, 876, 51)])
    title = _line("PHÓ CHỦ TỊCH", 1547, 637)
    lines = ocr.merge_same_height([title, rest, name], HEIGHT)
    assert [line.text for line in lines] == ["PHÓ CHỦ TỊCH", "Nguyễn Quỳnh Thiện"]
