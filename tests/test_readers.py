"""Readers: values read from the corpus by hand, plus synthetic files with other names, numbering
and layouts to show the rules are not tied to the corpus."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest

from pipeline.readers import ReadError, read_file
from pipeline.readers.pdf import text_is_usable
from pipeline.readers.text import join_lines
from tests.conftest import corpus_file


@cache
def read(name: str):
    return read_file(corpus_file(name))


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def paragraphs(name: str) -> list[str]:
    return [norm(b.text) for b in read(name).blocks if b.kind in ("paragraph", "heading")]


def tables(name: str) -> list[list[list[str]]]:
    return [[[norm(c.text) for c in row] for row in b.rows] for b in read(name).blocks if b.kind == "table"]


def header(name: str) -> list[tuple[int | None, str]]:
    return [(b.column, b.text) for b in read(name).blocks if b.kind == "header_cell"]


# --- same content, same result ------------------------------------------------------------------

def test_phu_son_docx_pdf_txt_same_appendix_tables():
    docx, pdf, txt = tables("phu-son-2023.docx"), tables("phu-son-2023.pdf"), tables("phu-son-2023.txt")
    assert [len(t) for t in docx] == [41, 13, 33, 33]
    assert pdf == docx
    assert txt == docx
    first = docx[0]
    assert first[0] == ["TT", "Lĩnh vực, tiêu chí", "Phân công nhiệm vụ", "Phân công nhiệm vụ",
                        "Thời gian thực hiện"]  # horizontally merged header cell repeated
    assert first[1] == ["TT", "Lĩnh vực, tiêu chí", "Bộ phận chủ trì", "Bộ phận phối hợp",
                        "Thời gian thực hiện"]  # vertically merged header cells repeated
    assert first[2][:3] == ["1", "Công tác chỉ đạo điều hành CCHC", "Công chức VPTK"]


def test_phu_son_pdf_row_split_by_page_break_is_joined():
    rows = {r[0]: r for r in tables("phu-son-2023.pdf")[0]}
    assert rows["7.2"] == ["7.2", "Phát triển các ứng dụng, dịch vụ trong nội bộ cơ quan nhà nước",
                           "Công chức VHXH", "Các công chức; đơn vị có liên quan", "Thường xuyên"]
    assert "" not in rows  # no orphan continuation row, and the repeated page header rows are gone
    assert sum(1 for r in tables("phu-son-2023.pdf")[0] if r[0] == "TT") == 2


def test_phu_son_docx_pdf_same_paragraphs_and_header():
    assert paragraphs("phu-son-2023.pdf") == paragraphs("phu-son-2023.docx")
    assert [(c, norm(t)) for c, t in header("phu-son-2023.pdf")] == \
        [(c, norm(t)) for c, t in header("phu-son-2023.docx")]


def test_phu_son_pdf_pages():
    result = read("phu-son-2023.pdf")
    assert result.pages == 17 and not result.ocr
    table_pages = [b.page for b in result.blocks if b.kind == "table"]
    assert table_pages[0] == 7 and all(p > 10 for p in table_pages[2:])
    pages = [b.page for b in result.blocks]
    assert pages == sorted(pages)


def test_pdf_table_text_not_repeated_as_paragraphs_and_no_page_numbers():
    paras = paragraphs("phu-son-2023.pdf")
    assert not any(p.startswith("Công chức VPTK") or p == "Phân công nhiệm vụ" for p in paras)
    assert not any(re.fullmatch(r"\d{1,3}", p) for p in paras)


def test_pdf_signature_block_and_recipients_not_interleaved():
    paras = paragraphs("phu-son-2023.pdf")
    i = paras.index("Nơi nhận:")
    assert paras[i:i + 10] == ["Nơi nhận:", "- UBND thị xã;", "- Phòng Nội vụ TX (b/c);",
                               "- TTr Đảng uỷ, HĐND phường (b/c);", "- Trưởng CA phường (t/h);",
                               "- Các công chức UBND phường (t/h);", "- Trưởng các khu phố (t/h);",
                               "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Xuân Lâm"]
    cao = paragraphs("cao-lau-2023.pdf")
    assert cao[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lương Văn Mao"]


def test_pdf_header_cells_two_columns():
    cells = header("phu-son-2023.pdf")
    assert (0, "ỦY BAN NHÂN DÂN PHƯỜNG PHÚ SƠN") in cells  # two wrapped lines, one cell
    assert (1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in cells
    assert (1, "Độc lập - Tự do - Hạnh phúc") in cells
    assert header("cao-lau-2023.pdf") == []  # this plan has no header block


def test_cao_lau_pdf_paragraphs():
    paras = paragraphs("cao-lau-2023.pdf")
    assert "Từ nguồn ngân sách xã năm 2023." in paras
    assert "1. Chỉ số \u201cTính minh bạch và tiếp cận thông tin\u201d" in paras
    assert paras[0] == "KẾ HOẠCH"
    bold = {norm(b.text) for b in read("cao-lau-2023.pdf").blocks if b.bold}
    assert "III. NGUỒN KINH PHÍ THỰC HIỆN" in bold


def test_hong_phong_docx_header_and_body():
    cells = header("hong-phong-2023.docx")
    assert (0, "Số:      /KH-UBND") in cells
    assert (1, "Hồng Phong, ngày      tháng 03 năm 2023") in cells
    assert [c for c, _ in cells] == [0, 0, 0, 1, 1, 1]
    paras = paragraphs("hong-phong-2023.docx")
    assert "Từ nguồn ngân sách xã năm 2023." in paras
    # footnote reference markers dropped inside sentences, kept as the footnote's own number
    assert any("Trang thông tin điện tử của xã, đơn giản hóa" in p for p in paras)
    assert any(p.startswith("(1) Loại bỏ các chuyên mục bị lỗi") for p in paras)
    assert paras[-3:] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Huấn"]


# --- plain text and markdown ----------------------------------------------------------------------

def test_txt_reflow_of_hard_wrapped_lines():
    paras = paragraphs("cao-lau-2023.txt")
    assert "Từ nguồn ngân sách xã năm 2023." in paras
    assert "1. Chỉ số \u201cTính minh bạch và tiếp cận thông tin\u201d" in paras
    assert "2. Yêu cầu" in paras
    chi = " ".join(paragraphs("chi-lang-2025.txt"))
    assert "Kế hoạch số 75-KH/HU ngày 30/12/2021" in chi  # a code split at its hyphen is re-glued
    assert "43-NQ/TU ngày 23/8/2021" in chi
    assert "kinh tế - xã hội" in chi


def test_markdown_markup_becomes_hints():
    blocks = read("hong-phong-2023.md").blocks
    texts = [b.text for b in blocks if b.text]
    assert not any("**" in t or "<sup>" in t or "\\*" in t for t in texts)
    by_text = {b.text: b for b in blocks}
    assert by_text["I. MỤC ĐÍCH, YÊU CẦU"].bold
    assert by_text["II. NỘI DUNG VÀ PHÂN CÔNG NHIỆM VỤ"].kind == "heading"
    assert "* Lãnh đạo phụ trách: Đồng chí Hoàng Văn Mẫn, Phó Chủ tịch UBND xã" in by_text


def test_txt_tab_table_continuation_rows_joined():
    rows = {r[0]: r for r in tables("phu-son-2023.txt")[3]}
    assert rows["4.1"][1] == "Tăng tỷ lệ doanh nghiệp đánh giá Chỉ tiêu cán bộ nhà nước thân thiện"
    assert rows["4.1"][3] == "Các tổ chức, cơ quan, đơn vị có liên quan"


def test_synthetic_wrapped_text_other_place(tmp_path: Path):
    text = (
        "KẾ HOẠCH\n\nCải thiện chỉ số PAPI năm 2024\n\n\n\n"
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND huyện Mường\n\n"
        "Tè về việc nâng cao chỉ số PAPI;\n\n"
        "I. MỤC ĐÍCH\n\n"
        "a) Nâng cao chất lượng phục vụ người dân, phát triển kinh tế -\n\n"
        "xã hội của địa phương, giữ vững ổn định theo Nghị quyết số 08-\n\n"
        "NQ/HU của Huyện ủy.\n\n"
        "b) Cơ quan chủ trì: Văn phòng HĐND và UBND huyện.\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    paras = [b.text for b in read_file(path).blocks]
    assert paras == [
        "KẾ HOẠCH", "Cải thiện chỉ số PAPI năm 2024",
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND huyện Mường Tè về việc nâng cao chỉ số PAPI;",
        "I. MỤC ĐÍCH",
        "a) Nâng cao chất lượng phục vụ người dân, phát triển kinh tế - xã hội của địa phương, giữ vững ổn "
        "định theo Nghị quyết số 08-NQ/HU của Huyện ủy.",
        "b) Cơ quan chủ trì: Văn phòng HĐND và UBND huyện.",
    ]


def test_legacy_encodings(tmp_path: Path):
    body = "1. Nhiệm vụ\nPhòng Nội vụ chủ trì.\n"
    (tmp_path / "a.txt").write_bytes("\ufeff".encode() + body.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(body.encode("utf-16"))
    for name in ("a.txt", "b.txt"):
        assert [b.text for b in read_file(tmp_path / name).blocks] == ["1. Nhiệm vụ", "Phòng Nội vụ chủ trì."]


def test_join_lines_hyphens():
    assert join_lines(["Kế hoạch số 75-", "KH/HU ngày"]) == "Kế hoạch số 75-KH/HU ngày"
    assert join_lines(["phát triển kinh tế -", "xã hội"]) == "phát triển kinh tế - xã hội"
    assert join_lines(["tổ chức thực hiện", "kế hoạch"]) == "tổ chức thực hiện kế hoạch"


# --- text layer quality ------------------------------------------------------------------------

def test_text_is_usable():
    assert text_is_usable("Ủy ban nhân dân xã Tân Lập xây dựng kế hoạch cải thiện chỉ số PCI năm 2024 như sau")
    assert not text_is_usable("")
    assert not text_is_usable("   \n 3 ")
    # TCVN3 (ABC) font text extracted without a Unicode map
    assert not text_is_usable("Uû ban nh©n d©n x· T©n LËp x©y dùng kÕ ho¹ch c¶i thiÖn chØ sè PCI n¨m 2024")
    assert not text_is_usable("\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd")
    assert text_is_usable("1.234.567 | 2.345.678 | 3.456.789 | 12/2024")


def test_scanned_pdf_without_ocr_is_an_ocr_error():
    with pytest.raises(ReadError) as err:
        read_file(corpus_file("chi-lang-2025-scan.pdf"), ocr="never")
    assert err.value.error_type == "no_text_layer" and err.value.stage == "ocr"


# --- format sniffing and broken files ------------------------------------------------------------

def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, names: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("make, error_type, words", [
    (lambda d: _write(d / "empty.docx", b""), "empty_file", "empty"),
    (lambda d: _zip(d / "plan.docx", {"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"}),
     "unsupported_format", "Excel workbook"),
    (lambda d: _zip(d / "plan.zip", {"a.txt": "x"}), "unsupported_format", "zip archive"),
    (lambda d: _write(d / "cut.docx", b"PK\x03\x04" + b"\x00" * 40), "corrupt_file", "damaged"),
])
def test_sniffing_errors(tmp_path: Path, make, error_type, words):
    path = make(tmp_path)
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert err.value.error_type == error_type and words in str(err.value)


def test_truncated_pdf_is_corrupt(tmp_path: Path):
    data = corpus_file("cao-lau-2023.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:2000])
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert err.value.error_type == "corrupt_file"


def test_docx_zip_bomb_refused(tmp_path: Path, monkeypatch):
    import pipeline.readers.docx as docx_reader

    monkeypatch.setattr(docx_reader, "MAX_PART_BYTES", 1000)
    src = corpus_file("hong-phong-2023.docx")
    with pytest.raises(ReadError) as err:
        read_file(src)
    assert err.value.error_type == "too_large"


# --- synthetic DOCX (and its PDF) with other names and merged cells --------------------------------

def _synthetic_docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    d = docx.Document()
    head = d.add_table(rows=1, cols=2)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    head._tbl.tblPr.append(borders)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run("UBND TỈNH ĐIỆN BIÊN")
    left.add_paragraph().add_run("SỞ NỘI VỤ").bold = True
    left.add_paragraph("Số: 88/KH-SNV")
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    right.add_paragraph().add_run("Điện Biên, ngày 02 tháng 4 năm 2024").italic = True
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("KẾ HOẠCH").bold = True
    d.add_heading("Phần thứ nhất. MỤC TIÊU", level=1)
    p = d.add_paragraph("Nâng cao Chỉ số SIPAS của tỉnh")
    sup = p.add_run("(3)")
    sup.font.superscript = True
    p.add_run(" trong năm 2024.")
    t = d.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    for r, row in enumerate([["STT", "Nội dung", "Đơn vị chủ trì"], ["", "", ""],
                             ["A", "Cải cách thủ tục", "Văn phòng Sở"], ["", "Số hóa hồ sơ", ""]]):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    t.cell(0, 0).merge(t.cell(1, 0))
    t.cell(0, 1).merge(t.cell(1, 1))
    t.cell(0, 2).merge(t.cell(1, 2))
    t.cell(2, 0).merge(t.cell(3, 0))
    t.cell(2, 2).merge(t.cell(3, 2))
    d.save(str(path))
    return path


def test_synthetic_docx(tmp_path: Path):
    result = read_file(_synthetic_docx(tmp_path / "soNoiVu.docx"))
    cells = [(b.column, b.text, b.bold) for b in result.blocks if b.kind == "header_cell"]
    assert cells == [(0, "UBND TỈNH ĐIỆN BIÊN", False), (0, "SỞ NỘI VỤ", True), (0, "Số: 88/KH-SNV", False),
                     (1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), (1, "Độc lập - Tự do - Hạnh phúc", True),
                     (1, "Điện Biên, ngày 02 tháng 4 năm 2024", False)]
    body = [b for b in result.blocks if b.kind != "header_cell"]
    assert (body[0].text, body[0].bold, body[0].centered) == ("KẾ HOẠCH", True, True)
    assert (body[1].kind, body[1].text) == ("heading", "Phần thứ nhất. MỤC TIÊU")
    assert body[2].text == "Nâng cao Chỉ số SIPAS của tỉnh trong năm 2024."
    rows = [[c.text for c in r] for r in body[3].rows]
    assert rows == [["STT", "Nội dung", "Đơn vị chủ trì"],  # the fully merged 2nd header row adds nothing
                    ["A", "Cải cách thủ tục", "Văn phòng Sở"], ["A", "Số hóa hồ sơ", "Văn phòng Sở"]]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_synthetic_pdf_from_docx_matches_docx(tmp_path: Path):
    src = _synthetic_docx(tmp_path / "soNoiVu.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    docx_blocks = read_file(src).blocks
    pdf_blocks = read_file(tmp_path / "soNoiVu.pdf").blocks
    as_text = lambda blocks: [(b.kind, b.column, norm(b.text)) for b in blocks if b.kind != "table"]  # noqa: E731
    assert [t for t in as_text(pdf_blocks)] == [
        (k if k != "heading" else "paragraph", c, t) for k, c, t in as_text(docx_blocks)]
    assert [[c.text for c in r] for r in pdf_blocks[-1].rows] == [[c.text for c in r] for r in docx_blocks[-1].rows]


def test_mixed_pdf_keeps_page_order_and_ocr_flags(tmp_path: Path, monkeypatch):
    import pypdfium2 as pdfium

    import pipeline.readers.ocr as ocr
    from pipeline.model import Block

    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(corpus_file("cao-lau-2023.pdf"))), [0])
    mixed.import_pages(pdfium.PdfDocument(str(corpus_file("chi-lang-2025-scan.pdf"))), [1])
    mixed.import_pages(pdfium.PdfDocument(str(corpus_file("cao-lau-2023.pdf"))), [3])
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    calls = []

    def fake_ocr(p: Path, pages: list[int]):
        calls.append(pages)
        return {n: [Block("paragraph", f"V. TRANG QUÉT {n}", page=n)] for n in pages}, 91.5

    monkeypatch.setattr(ocr, "ocr_pdf_pages", fake_ocr)
    result = read_file(path)
    assert calls == [[2]] and result.ocr and result.ocr_confidence == 91.5 and result.pages == 3
    pages = [b.page for b in result.blocks]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3}
    assert [b.text for b in result.blocks if b.page == 2] == ["V. TRANG QUÉT 2"]
    result = read_file(path, ocr="never")
    assert {b.page for b in result.blocks} == {1, 3} and "2" in result.warnings[0]


def test_text_pdf_blank_and_short_pages_are_not_sent_to_ocr(tmp_path: Path) -> None:
    """A page break that leaves a page empty, and a page holding one heading, are plain text
    pages: no OCR, nothing reported lost."""
    import subprocess

    import docx
    from docx.enum.text import WD_BREAK

    from pipeline.run import process_file

    d = docx.Document()
    for line in ["KẾ HOẠCH", "Thực hiện cải thiện chỉ số DDCI năm 2024", "I. MỤC ĐÍCH, YÊU CẦU",
                 "Nâng cao chất lượng điều hành kinh tế của địa phương."]:
        d.add_paragraph(line)
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    d.save(str(tmp_path / "plan.docx"))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "plan.docx")],
                   capture_output=True, timeout=180, check=True)
    result = process_file(tmp_path / "plan.pdf", tmp_path)
    assert (result.document.pages, result.document.status, result.document.ocr) == (3, "ok", False)
    assert result.errors == []
    assert [s.kind for s in result.sections] == ["preamble", "purpose", "implementation"]
