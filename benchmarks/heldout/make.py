"""Renders the held-out plans (benchmarks/heldout/plans/*.txt) as DOCX, text PDF and scanned PDF.

usage: python benchmarks/heldout/make.py [--out DIR] [--formats docx pdf scan doc] [--only NAME ...]

The sources are a small markup, one block per line, laid out after Decree 30/2020 (A4, margins
20/20/30/20 mm, Times New Roman 14, two-column header table, bold headings, justified body with a
first-line indent, "Nơi nhận" bottom left and the signature bottom right in a borderless table):

    @L text / @L* text      left header cell paragraph (issuing body, Số:); * = bold
    @R text / @R* / @R/     right header cell paragraph (motto, place-date); / = italic
    @C* text / @C/ text     centred title paragraph (bold / italic)
    # text                  bold heading paragraph;  #/ text  bold italic heading
    | a | b | c |           table row (a real Word table); the first row of a table is its bold
                            header; a row whose first cell starts with "*" is a bold group row
    @N text / @N* text      footer left cell (Nơi nhận); @S* text / @S text footer right cell
    ---page                 page break
    anything else           body paragraph; **bold** spans inside are bold runs

The PDF is made from the DOCX by LibreOffice (private profile, so it runs beside other sessions), and so
is the legacy Word 97-2003 `.doc` (`doc`), as offices still send them.
The scan is that same PDF printed to 300 dpi grey page images as an office scanner would give them
(grey paper, each page skewed by 0.3-0.8 degrees either way, slight blur and noise; seeded by the plan
name, so it is the same on every run) and wrapped as an image-only PDF: it differs from `pdf` by OCR only.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
PLANS = HERE / "plans"
FONT = "Times New Roman"


def _font(run, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic


def _runs(par, text: str, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    """Adds text with **bold** spans as separate runs."""
    for k, piece in enumerate(re.split(r"\*\*", text)):
        if piece:
            _font(par.add_run(piece), size, bold or k % 2 == 1, italic)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _cell_par(cell, text: str, size: float, bold: bool, italic: bool, align) -> None:
    par = cell.paragraphs[0] if not cell.paragraphs[0].text and len(cell.paragraphs) == 1 and \
        not cell.paragraphs[0].runs else cell.add_paragraph()
    par.alignment = align
    par.paragraph_format.space_after = Pt(0)
    _runs(par, text, size, bold, italic)


def _two_cells(document, left: list[tuple[str, str]], right: list[tuple[str, str]], widths: tuple[float, float],
               left_align, size_left: float) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)  # LibreOffice reads the grid, Word the cell widths
        col.cells[0].width = Mm(width)
    for cell, lines, align, size in ((table.cell(0, 0), left, left_align, size_left),
                                     (table.cell(0, 1), right, WD_ALIGN_PARAGRAPH.CENTER, 12)):
        for style, text in lines:
            _cell_par(cell, text, size, "*" in style, "/" in style, align)


def _table(document, rows: list[list[str]]) -> None:
    n = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=n)
    table.style = "Table Grid"
    table.autofit = False
    widths = [12] + [148 / (n - 1)] * (n - 1)  # a narrow number column, the rest shared
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)
    for r, cells in enumerate(rows):
        bold_row = r == 0 or cells[0].startswith("*")
        for c in range(n):
            text = cells[c] if c < len(cells) else ""
            if c == 0:
                text = text.lstrip("*")
            par = table.cell(r, c).paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _runs(par, text, 12, bold_row)


def render_docx(source: Path, target: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    header_l: list[tuple[str, str]] = []
    header_r: list[tuple[str, str]] = []
    foot_l: list[tuple[str, str]] = []
    foot_r: list[tuple[str, str]] = []
    target_of = {"L": header_l, "R": header_r, "N": foot_l, "S": foot_r}
    table: list[list[str]] = []
    header_done = False

    def flush_table() -> None:
        if table:
            _table(document, table)
            table.clear()

    for raw in source.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        m = re.match(r"^@([LRNS])([*/]*)\s?(.*)$", line)
        if m:
            kind, style, text = m.groups()
            target_of[kind].append((style, text))
            continue
        if foot_l or foot_r:  # the footer table stands where its lines end (before an appendix)
            _two_cells(document, foot_l, foot_r, (80, 80), WD_ALIGN_PARAGRAPH.LEFT, 12)
            foot_l.clear()
            foot_r.clear()
        if not header_done and (header_l or header_r):
            _two_cells(document, header_l, header_r, (60, 112), WD_ALIGN_PARAGRAPH.CENTER, 13)
            header_done = True
        if line.startswith("|"):
            table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush_table()
        if line == "---page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        par = document.add_paragraph()
        par.paragraph_format.space_after = Pt(6)
        m = re.match(r"^@C([*/]+)\s?(.*)$", line)
        if m:
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(par, m.group(2), 14, "*" in m.group(1), "/" in m.group(1))
            continue
        par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        par.paragraph_format.first_line_indent = Mm(12.7)
        m = re.match(r"^#(/?)\s(.*)$", line)
        if m:
            _runs(par, m.group(2), 14, True, bool(m.group(1)))
        else:
            _runs(par, line, 14)
    flush_table()
    if foot_l or foot_r:
        _two_cells(document, foot_l, foot_r, (80, 80), WD_ALIGN_PARAGRAPH.LEFT, 12)
    if document.element.body[-2].tag == qn("w:tbl"):  # [-1] is sectPr
        document.add_paragraph()  # Word always ends a body with a paragraph; LibreOffice drops a last table in .doc
    document.save(target)


def render_pdf(docx_path: Path, out_dir: Path, kind: str = "pdf") -> Path:
    """`docx_path` converted by LibreOffice to `kind` (pdf, or doc: Word 97-2003) in `out_dir`."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", kind, "--outdir", str(out_dir), str(docx_path)],
                       check=True, capture_output=True, timeout=180)
    return out_dir / f"{docx_path.stem}.{kind}"


def render_scan(pdf_path: Path, target: Path, seed: int, dpi: int = 300, pages: tuple[int, int] | None = None,
                angle: float | None = None) -> None:
    """The pages of a text PDF (1-based `pages`, inclusive; all by default) as a grey, noisy, slightly
    rotated image-only PDF; each page skewed by `angle` degrees, or by a random 0.3-0.8 either way."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    frames = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        first, last = pages or (1, len(pdf))
        for number in range(first, last + 1):
            skew = angle if angle is not None else rng.uniform(0.3, 0.8) * rng.choice((-1, 1))  # never straight
            image = pdf[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
            a = np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32) * 0.93  # grey paper
            a += rng.normal(0, 6, a.shape)
            frames.append(Image.fromarray(a.clip(0, 255).astype(np.uint8)))
    finally:
        pdf.close()
    stamp = time.gmtime(0)  # a fixed date: the same plan gives the same bytes
    frames[0].save(target, save_all=True, append_images=frames[1:], resolution=dpi, creationDate=stamp, modDate=stamp)


def build(out: Path, formats: tuple[str, ...] = ("docx", "pdf"), only: list[str] | None = None) -> list[Path]:
    """Writes <out>/docx/<name>.docx, <out>/pdf/<name>.pdf, <out>/scan/<name>.pdf and <out>/doc/<name>.doc;
    returns the files made."""
    made: list[Path] = []
    sources = [p for p in sorted(PLANS.glob("*.txt")) if not only or p.stem in only]
    tmp = out / "_docx_for_pdf"
    for src in sources:
        if "docx" in formats:
            (out / "docx").mkdir(parents=True, exist_ok=True)
            target = out / "docx" / f"{src.stem}.docx"
            render_docx(src, target)
            made.append(target)
        if "doc" in formats:
            (out / "doc").mkdir(parents=True, exist_ok=True)
            tmp.mkdir(parents=True, exist_ok=True)
            staged = tmp / f"{src.stem}.docx"
            render_docx(src, staged)
            made.append(render_pdf(staged, out / "doc", kind="doc"))
        if "pdf" in formats or "scan" in formats:
            pdf_dir = out / "pdf" if "pdf" in formats else tmp  # a scan alone keeps its text PDF out of <out>
            tmp.mkdir(parents=True, exist_ok=True)
            pdf_dir.mkdir(parents=True, exist_ok=True)
            staged = tmp / f"{src.stem}.docx"
            render_docx(src, staged)
            pdf = Path(shutil.move(str(render_pdf(staged, pdf_dir)), pdf_dir / f"{src.stem}.pdf"))
            if "pdf" in formats:
                made.append(pdf)
            if "scan" in formats:
                (out / "scan").mkdir(parents=True, exist_ok=True)
                target = out / "scan" / f"{src.stem}.pdf"
                render_scan(pdf, target, seed=zlib.crc32(src.stem.encode()))
                made.append(target)
    shutil.rmtree(tmp, ignore_errors=True)
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "vnplan-heldout")
    ap.add_argument("--formats", nargs="+", default=["docx", "pdf"], choices=["docx", "pdf", "scan", "doc"])
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    for path in build(args.out, tuple(args.formats), args.only):
        print(path)


if __name__ == "__main__":
    sys.exit(main())
