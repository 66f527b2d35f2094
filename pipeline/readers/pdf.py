"""Text-PDF reader: words with boxes from poppler, fonts and ruling lines from pdfium.

Speed matters (hundreds of plans): `pdftotext -bbox` gives every word of the document with its
box in one fast call and handles Vietnamese accents well; pdfium gives, per page, the text
objects (font name → bold/italic) and the path objects (table rulings) without a per-char
model. Layout rules: ruled grids → table Blocks (merged cells repeated, rows split by a page
break joined, repeated header rows dropped); side-by-side text (the Decree 30 header, Nơi nhận |
signature) → one column after the other; page numbers dropped; wrapped lines re-joined into
paragraphs. Pages without a usable text layer go to OCR.
"""
from __future__ import annotations

import bisect
import html
import itertools
import operator
import re
import shutil
import statistics
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import Block, Cell, ReadResult
from ..resources import read_toml
from . import ReadError
from .tables import Grid, Ruling, append_table, find_grids, same_columns
from .text import ends_sentence, join_lines, starts_bullet, starts_paragraph

PDFTOTEXT_TIMEOUT = 120

# --- text layer quality ----------------------------------------------------------------------

_VIET_MARKED = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)

_BAD_CHAR = re.compile("[\ufffd\ue000-\uf8ff\x00-\x1f\x7f-\x9f]")  # replacement, private use, controls
_NON_ASCII = re.compile("[^\x00-\x7f]")


def text_is_usable(text: str) -> bool:
    """True when a page's text layer is real Vietnamese text (not empty, not mojibake from
    legacy TCVN3/VNI fonts, not glyph ids from a font without a Unicode map)."""
    s = "".join(unicodedata.normalize("NFC", text).split())
    if len(s) < 10:
        return False
    bad = len(_BAD_CHAR.findall(s))
    if bad > 0.02 * len(s):
        return False
    letters = sum(map(str.isalpha, s))
    if letters < 20:  # a page of figures: usable if it is digits and punctuation
        return sum(map(str.isdigit, s)) >= 0.3 * len(s)
    foreign = sum(1 for c in _NON_ASCII.findall(s) if c not in _VIET_MARKED and not _is_punct(c))
    if foreign > 0.03 * len(s):
        return False
    marked = sum(map(_VIET_MARKED.__contains__, s))  # every marked character is a letter
    return letters < 200 or marked >= 0.03 * letters


def _is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] in "PSZ" and c not in "¸¹»¼½¾µ¶·®¯¬¤¥¦§¨©ª«°±²³´"


# --- geometry ----------------------------------------------------------------------------------

@dataclass
class Word:
    text: str
    x0: float
    y0: float  # top (origin top-left, like pdftotext)
    x1: float
    y1: float
    bold: bool = False
    italic: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0


_X0 = operator.attrgetter("x0")


def _median(values: list[float]) -> float:
    """statistics.median of a non-empty list, without its generic overhead."""
    data = sorted(values)
    i = len(data) // 2
    return data[i] if len(data) % 2 else (data[i - 1] + data[i]) / 2


@dataclass
class Line:
    words: list[Word]
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        words = self.words
        words.sort(key=_X0)
        self.x0 = words[0].x0  # sorted by x0
        self.x1 = max([w.x1 for w in words])
        self.y0 = min([w.y0 for w in words])
        self.y1 = max([w.y1 for w in words])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> float:
        return _median([w.y1 - w.y0 for w in self.words])  # hot: asked for every pair of lines

    @property
    def bold(self) -> bool:
        total = sum(len(w.text) for w in self.words) or 1
        return sum(len(w.text) for w in self.words if w.bold) / total >= 0.6

    @property
    def italic(self) -> bool:
        total = sum(len(w.text) for w in self.words) or 1
        return sum(len(w.text) for w in self.words if w.italic) / total >= 0.6


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    fonts: list[tuple[float, float, float, float, bool, bool]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], list[re.Pattern[str]]]:
    data = read_toml("readers.toml")
    return re.compile(data["page_number"]), [re.compile(p) for p in data["motto_patterns"]]


_FOOTNOTE_MARK = re.compile(r"^[(\[]?\d{1,2}[)\]]?$")


# --- entry point -------------------------------------------------------------------------------

def read_pdf(path: Path, ocr: str = "auto") -> ReadResult:
    import pypdfium2 as pdfium

    pdf = _open(path)
    try:
        n_pages = len(pdf)
        pages = _poppler_words(path, n_pages)
        usable = {p.number for p in pages if text_is_usable(" ".join(w.text for w in p.words))}
        blank: set[int] = set()
        for p in pages:
            if p.number not in usable and not _has_images(pdf, p.number):
                text = " ".join(w.text for w in p.words).strip()
                if (not text or _patterns()[0].match(text)) and not _page_is_damaged(path, p.number):
                    blank.add(p.number)  # an empty page of a text PDF: nothing to read, nothing lost
                elif text and _clean_short_text(text):
                    usable.add(p.number)  # a short page ("II. TỔ CHỨC THỰC HIỆN"), not a scan
        to_ocr = list(range(1, n_pages + 1)) if ocr == "always" else [
            p for p in range(1, n_pages + 1) if p not in usable and p not in blank]
        warnings: list[str] = []
        skipped: list[int] = []
        ocr_blocks: dict[int, list[Block]] = {}
        confidence = None
        if to_ocr and ocr == "never":
            if not usable:
                raise ReadError("no_text_layer", f"{path.name} has no usable text layer and OCR is "
                                "turned off", stage="ocr")
            warnings.append(f"pages {_ranges(to_ocr)} have no usable text layer (OCR off): skipped")
            skipped, to_ocr = to_ocr, []
        if to_ocr:
            ocr_blocks, confidence = _ocr(path, to_ocr)
        text_pages = [p for p in pages if p.number in usable and p.number not in ocr_blocks]
        for page in text_pages:
            try:
                _add_fonts_and_rulings(pdf, page)
            except pdfium.PdfiumError:  # keep poppler's words; only bold hints and table lines are lost
                warnings.append(f"page {page.number}: the page is damaged; its text was kept without "
                                "bold marks and table lines")
        lost = [p for p in to_ocr if not any(b.text or b.rows for b in ocr_blocks.get(p, []))]
        if lost:
            warnings.append(f"pages {_ranges(lost)}: no text could be read (blank or damaged page)")
        lost += skipped
    finally:
        pdf.close()
    body_left, body_right = _body_margins(text_pages)
    per_page: list[tuple[int, list[Block], bool]] = []
    for number in range(1, n_pages + 1):
        if number in ocr_blocks:
            blocks = ocr_blocks[number]
            for b in blocks:
                b.page = b.page or number
            per_page.append((number, blocks, bool(blocks) and blocks[-1].kind == "table"))  # a table may go on
    for page in text_pages:
        blocks, open_end = _PageReader(page, body_left, body_right).blocks()
        per_page.append((page.number, blocks, open_end))
    per_page.sort(key=lambda t: t[0])
    blocks = _join_pages(per_page)
    if ocr_blocks:
        from .ocr_tables import repair_numbering

        for block in blocks:
            if block.kind == "table" and block.page in ocr_blocks:
                repair_numbering(block)  # OCR misreads lone numbers ("7.1" as "Z1")
    return ReadResult(blocks=blocks, file_format="pdf", pages=n_pages,
                      ocr=bool(ocr_blocks), ocr_confidence=confidence, warnings=warnings, lost_pages=lost)


def _has_images(pdf, number: int) -> bool:
    """Whether a page holds a picture (a scan, a photo): only such pages, or pages whose text
    layer is garbage, are worth OCR."""
    import pypdfium2.raw as raw

    try:
        return any(True for _ in pdf[number - 1].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))
    except Exception:  # a damaged page: let the OCR path report it
        return True


def _page_is_damaged(path: Path, number: int) -> bool:
    """Whether poppler reports errors reading this one page (a content stream that cannot be
    decoded looks just like an empty page otherwise). Only asked for pages that came out empty."""
    exe = shutil.which("pdftotext")
    try:
        proc = subprocess.run([exe or "pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                              capture_output=True, timeout=PDFTOTEXT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return True
    return b"Error" in proc.stderr


def _clean_short_text(text: str) -> bool:
    """Too short for text_is_usable's statistics, but plainly text: no replacement or private
    glyphs, no letters outside Vietnamese."""
    s = "".join(unicodedata.normalize("NFC", text).split())
    return all(c.isascii() or c in _VIET_MARKED or _is_punct(c) for c in s)


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise ReadError("encrypted", f"{path.name} is password-protected; ask for an unprotected "
                            "copy") from exc
        raise ReadError("corrupt_file", f"{path.name} is a damaged or incomplete PDF and cannot be "
                        "opened; ask for the file again") from exc


def _ocr(path: Path, pages: list[int]) -> tuple[dict[int, list[Block]], float | None]:
    try:
        from .ocr import ocr_pdf_pages
    except ImportError as exc:
        raise ReadError("ocr_unavailable", f"{path.name} needs OCR (pages {_ranges(pages)}) but the OCR "
                        f"reader is not available ({exc})", stage="ocr") from exc
    try:
        return ocr_pdf_pages(path, pages)
    except ReadError as exc:
        exc.stage = "ocr"
        raise


def _ranges(pages: list[int]) -> str:
    out: list[str] = []
    for p in pages:
        if out and p == int(out[-1].split("-")[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


# --- extraction ----------------------------------------------------------------------------

_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD_RE = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def _poppler_words(path: Path, n_pages: int) -> list[PageLayout]:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ReadError("missing_tool", "pdftotext (poppler-utils) is not installed")
    try:
        proc = subprocess.run([exe, "-bbox", "-enc", "UTF-8", "-q", str(path), "-"], capture_output=True,
                              timeout=PDFTOTEXT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReadError("timeout", f"{path.name}: text extraction took longer than "
                        f"{PDFTOTEXT_TIMEOUT}s") from exc
    out = proc.stdout.decode("utf-8", errors="replace")
    if proc.returncode != 0 and "<page" not in out:
        raise ReadError("corrupt_file", f"{path.name} is a damaged PDF: "
                        f"{proc.stderr.decode(errors='replace').strip()[:200]}")
    pages: list[PageLayout] = []
    chunks = out.split("<page ")[1:]
    for i, chunk in enumerate(chunks[:n_pages], start=1):
        m = _PAGE_RE.match("<page " + chunk)
        width, height = (float(m.group(1)), float(m.group(2))) if m else (595.0, 842.0)
        words = [Word(unicodedata.normalize("NFC", html.unescape(t)), float(a), float(b), float(c), float(d))
                 for a, b, c, d, t in _WORD_RE.findall(chunk)]
        pages.append(PageLayout(i, width, height, [w for w in words if w.text.strip()]))
    while len(pages) < n_pages:
        pages.append(PageLayout(len(pages) + 1, 595.0, 842.0))
    return pages


def _add_fonts_and_rulings(pdf, page: PageLayout) -> None:
    """Bold/italic per word from the font names of pdfium text objects; ruling lines from thin
    path objects (and the edges of stroked rectangles)."""
    import ctypes

    import pypdfium2.raw as raw
    from pypdfium2 import PdfiumError

    pg = pdf[page.number - 1]
    try:
        _, _, _, top = pg.get_cropbox()
        buf = ctypes.create_string_buffer(128)
        names: dict[int, tuple[bool, bool]] = {}
        left, bottom, right, otop = (ctypes.c_float() for _ in range(4))
        for obj, kind in _page_objects(pg.raw, 3):
            if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, otop):
                raise PdfiumError("Failed to locate pageobject.")
            box = (left.value, top - otop.value, right.value, top - bottom.value)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                font = raw.FPDFTextObj_GetFont(obj)
                key = ctypes.cast(font, ctypes.c_void_p).value or 0
                if key not in names:
                    raw.FPDFFont_GetBaseFontName(font, buf, 128)
                    name = buf.value.decode("latin-1").lower()
                    weight = raw.FPDFFont_GetWeight(font)
                    names[key] = ("bold" in name or "black" in name or "heavy" in name or "semibold" in name
                                  or weight >= 600, "italic" in name or "oblique" in name)
                page.fonts.append((*box, *names[key]))
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                page.rulings.extend(_path_rulings(box, raw.FPDFPath_CountSegments(obj)))
    finally:
        pg.close()
    _assign_fonts(page)


def _page_objects(page_raw, max_depth: int, form=None, level: int = 0):
    """(raw object, type) of a page's objects in PdfPage.get_objects order (form XObjects entered
    up to `max_depth`), without building a Python helper object per object."""
    import pypdfium2.raw as raw
    from pypdfium2 import PdfiumError

    count, get, parent = ((raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, form) if form
                          else (raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, page_raw))
    n = count(parent)
    if n < 0:
        raise PdfiumError("Failed to get number of pageobjects.")
    for i in range(n):
        obj = get(parent, i)
        if not obj:
            raise PdfiumError("Failed to get pageobject.")
        kind = raw.FPDFPageObj_GetType(obj)
        yield obj, kind
        if kind == raw.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
            yield from _page_objects(page_raw, max_depth, obj, level + 1)


def _path_rulings(box: tuple[float, float, float, float], n_segments: int) -> list[Ruling]:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if (h <= 3 and w > 3) or (w <= 3 and h > 3):
        return [Ruling(*box)]
    if 4 <= n_segments <= 6 and w > 3 and h > 3:  # a stroked rectangle (cell border)
        return [Ruling(x0, y0, x1, y0), Ruling(x0, y1, x1, y1), Ruling(x0, y0, x0, y1), Ruling(x1, y0, x1, y1)]
    return []


def _assign_fonts(page: PageLayout) -> None:
    fonts = sorted(page.fonts, key=lambda f: f[1])
    if not any(f[4] or f[5] for f in fonts):
        return  # no bold or italic text object: every word keeps its plain default
    tops = [f[1] for f in fonts]
    tallest = max(f[3] - f[1] for f in fonts)
    for w in page.words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        best = None
        # boxes starting above cy - tallest end above cy: skip them by bisection
        for fx0, fy0, fx1, fy1, bold, italic in itertools.islice(fonts, bisect.bisect_left(tops, cy - tallest), None):
            if fy0 > cy:
                break
            if fy1 >= cy and fx0 - 1 <= cx <= fx1 + 1:
                best = (bold, italic)
                if bold or italic:
                    break
        if best:
            w.bold, w.italic = best


def _body_margins(pages: list[PageLayout]) -> tuple[float, float]:
    xs0 = sorted(w.x0 for p in pages for w in p.words)
    xs1 = sorted(w.x1 for p in pages for w in p.words)
    if not xs0:
        return 0.0, 0.0
    return xs0[len(xs0) // 50], xs1[len(xs1) * 49 // 50]


# --- per page layout -------------------------------------------------------------------------

def _group_lines(words: list[Word]) -> list[Line]:
    """Words → lines by vertical overlap (robust to superscripts and small baseline jitter)."""
    lines: list[Line] = []
    refs: list[tuple[float, float]] = []  # (centre, height) of each line's first word
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        cy, h = (w.y0 + w.y1) / 2, w.height
        if lines:
            ref_cy, ref_h = refs[-1]
            # same line: centres close (a raised superscript still is), not merely overlapping boxes
            if abs(cy - ref_cy) < 0.35 * max(h, ref_h):
                lines[-1].words.append(w)
                continue
        lines.append(Line([w]))
        refs.append((cy, h))
    for line in lines:
        line.refresh()
        _drop_footnote_marks(line)
    return lines


def _drop_footnote_marks(line: Line) -> None:
    if len(line.words) < 2 or not any(_FOOTNOTE_MARK.match(w.text) for w in line.words[1:]):
        return
    h = statistics.median(w.height for w in line.words)
    kept = [line.words[0]] + [w for w in line.words[1:]
                              if not (w.height < 0.75 * h and _FOOTNOTE_MARK.match(w.text))]
    if len(kept) != len(line.words):
        line.words = kept
        line.refresh()


def _split_segments(line: Line, gap: float) -> list[Line]:
    segs: list[list[Word]] = [[line.words[0]]]
    for w in line.words[1:]:
        if w.x0 - segs[-1][-1].x1 > gap:
            segs.append([w])
        else:
            segs[-1].append(w)
    return [Line(s) for s in segs]


class _PageReader:
    def __init__(self, page: PageLayout, left: float, right: float) -> None:
        self.page = page
        self.left = left
        self.right = right

    def blocks(self) -> tuple[list[Block], bool]:
        """Blocks of the page in reading order, and whether its last paragraph runs on."""
        tables = _find_tables(self.page)
        in_table = [False] * len(self.page.words)
        for t in tables:
            for i, w in enumerate(self.page.words):
                if t.contains(w):
                    in_table[i] = True
        free = [w for w, used in zip(self.page.words, in_table, strict=True) if not used]
        lines = self._drop_furniture(_group_lines(free))
        items: list[tuple[float, list[Block]]] = [(t.y0, [t.block(self.page.number)]) for t in tables]
        chunk: list[Line] = []
        open_end = False
        cuts = sorted(t.y0 for t in tables)
        for line in lines:
            if chunk and any(chunk[-1].y1 <= c <= line.y0 for c in cuts):
                items.append((chunk[0].y0, self._text_blocks(chunk)[0]))
                chunk = []
            chunk.append(line)
        if chunk:
            text_blocks, open_end = self._text_blocks(chunk)
            items.append((chunk[0].y0, text_blocks))
        items.sort(key=lambda t: t[0])
        out = [b for _, bl in items for b in bl]
        if out and out[-1].kind == "table":
            open_end = True
        return out, open_end

    def _drop_furniture(self, lines: list[Line]) -> list[Line]:
        """Remove page numbers (a lone number near the top or bottom edge)."""
        page_no, _ = _patterns()
        h = self.page.height
        return [ln for ln in lines
                if not ((ln.y1 < 0.12 * h or ln.y0 > 0.88 * h) and page_no.match(ln.text.strip()))]

    def _text_blocks(self, lines: list[Line]) -> tuple[list[Block], bool]:
        """Lines → paragraphs; side-by-side zones (header, Nơi nhận | signature) by column."""
        height = statistics.median(ln.height for ln in lines)
        zones = _column_zones(lines, self.page.width, height)
        out: list[Block] = []
        open_end = False
        i = 0
        for start, end, split in zones:
            if i < start:
                paras, open_end = self._reflow(lines[i:start], self.left, self.right)
                out.extend(paras)
            header = self.page.number == 1 and not out and _looks_like_header(lines[start:end])
            left = [_subline(ln, lambda w, s=split: w.x1 <= s + 1) for ln in lines[start:end]]
            right = [_subline(ln, lambda w, s=split: w.x0 > s - 1) for ln in lines[start:end]]
            for column, col_lines in enumerate((left, right)):
                col_lines = [ln for ln in col_lines if ln is not None]
                if not col_lines:
                    continue
                if header:
                    out.extend(_header_cells(col_lines, column, self.page.number))
                else:
                    x0, x1 = min(ln.x0 for ln in col_lines), max(ln.x1 for ln in col_lines)
                    out.extend(self._reflow(col_lines, x0, x1, separate_lines=column == 1)[0])
            open_end = False
            i = end
        if i < len(lines):
            paras, open_end = self._reflow(lines[i:], self.left, self.right)
            out.extend(paras)
        return out, open_end

    def _reflow(self, lines: list[Line], left: float, right: float,
                separate_lines: bool = False) -> tuple[list[Block], bool]:
        """Join wrapped lines into paragraphs; returns the Blocks and whether the last line is
        full (the paragraph probably continues on the next page)."""
        blocks: list[Block] = []
        cur: list[Line] = []
        width = right - left
        for line in lines:
            if cur and self._breaks(cur, line, left, right, width, separate_lines):
                blocks.append(self._paragraph(cur, left, right))
                cur = []
            cur.append(line)
        if cur:
            blocks.append(self._paragraph(cur, left, right))
        last = lines[-1] if lines else None
        open_end = bool(last and last.x1 >= right - 3 and not _is_centered(last, left, right))
        return blocks, open_end

    def _breaks(self, cur: list[Line], b: Line, left: float, right: float, width: float,
                separate_lines: bool) -> bool:
        a = cur[-1]
        text_b = b.text
        space = 0.3 * b.height
        first_w = b.words[0].x1 - b.words[0].x0
        a_centered = _is_centered(a, left, right)
        if starts_paragraph(text_b):
            return True
        gap = b.y0 - a.y1
        if gap > 0.6 * a.height or gap < -0.5 * a.height or abs(a.height - b.height) > 1.5:
            return True
        if text_b[:1].islower():
            return False  # a sentence goes on (even after a bold lead-in)
        if a.bold != b.bold:
            return True
        if separate_lines:  # signature column: role, title and name lines stand alone
            return True
        if starts_bullet(text_b) and (ends_sentence(a.text) or a.x1 + space + first_w < right - 2):
            return True
        if a_centered:
            return (a.x1 - a.x0) + space + first_w < width - 2
        if a.x1 + space + first_w < right - 2:  # the next word would have fit: a deliberate end
            return True
        return b.x0 > left + 0.6 * b.height and not _is_centered(b, left, right)  # first-line indent

    def _paragraph(self, lines: list[Line], left: float, right: float) -> Block:
        words = [w for ln in lines for w in ln.words]
        total = sum(len(w.text) for w in words) or 1
        bold = sum(len(w.text) for w in words if w.bold) / total >= 0.6
        italic = sum(len(w.text) for w in words if w.italic) / total >= 0.6
        centered = all(_is_centered(ln, left, right) for ln in lines)
        return Block("paragraph", join_lines([ln.text for ln in lines]), page=self.page.number, bold=bold,
                     italic=italic, centered=centered, font_size=round(statistics.median(w.height for w in words)
                                                                      / 1.15, 1))


def _is_centered(line: Line, left: float, right: float) -> bool:
    # beyond a first-line indent (≤ ~36pt) and balanced around the column centre
    return line.x0 > left + 40 and abs((line.x0 + line.x1) / 2 - (left + right) / 2) < 12


def _subline(line: Line, keep) -> Line | None:
    words = [w for w in line.words if keep(w)]
    return Line(words) if words else None


def _column_zones(lines: list[Line], page_width: float, height: float) -> list[tuple[int, int, float]]:
    """Runs of lines laid out as two side-by-side columns: (start, end, split x)."""
    gap = max(2.0 * height, 24.0)

    def right_segment(line: Line) -> Line | None:
        # a right-column piece sits in the right part and is centred there, not on the page
        segs = _split_segments(line, gap)
        r = [s for s in segs if s.x0 > 0.4 * page_width and (s.x0 + s.x1) / 2 > 0.58 * page_width]
        return r[0] if r else None

    zones: list[tuple[int, int, float]] = []
    i = 0
    while i < len(lines):
        r = right_segment(lines[i])
        if r is None or r.x0 <= lines[i].x0:
            i += 1
            continue
        split = r.x0 - 1
        start = i
        while start > (zones[-1][1] if zones else 0):
            above = right_segment(lines[start - 1])
            if above is None or above.x0 > lines[start - 1].x0 or not _fits_columns(lines[start - 1], split, gap):
                break
            start -= 1  # a right-column line above the first side-by-side line (TM. ỦY BAN ...)
        end = i + 1
        while end < len(lines):
            r = right_segment(lines[end])
            # a right-column line may start left of the split found so far (centred names)
            candidate = min(split, r.x0 - 1) if r else split
            if not all(_fits_columns(ln, candidate, gap / 2) for ln in lines[start:end + 1]):
                break
            split = candidate
            end += 1
        zones.append((start, end, split))
        i = end
    return zones


def _fits_columns(line: Line, split: float, gap: float) -> bool:
    """No run of closely spaced words straddles the column split."""
    return all(s.x1 <= split + 1 or s.x0 > split - 1 for s in _split_segments(line, gap))


def _looks_like_header(lines: list[Line]) -> bool:
    _, motto = _patterns()
    text = " ".join(ln.text for ln in lines)
    return any(p.search(text) for p in motto)


def _header_cells(lines: list[Line], column: int, page: int) -> list[Block]:
    """Header column lines → header_cell Blocks. A line in the same style that is upper case after
    an upper-case line (ỦY BAN NHÂN DÂN / XÃ ...) or starts lower case or with a digit (... năm /
    2024) continues the cell above; anything else is its own cell."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups:
            prev = groups[-1][-1]
            wrapped = (prev.text.isupper() and line.text.isupper()) or line.text[:1].islower() \
                or line.text[:1].isdigit()
            same = (prev.bold == line.bold and prev.italic == line.italic and abs(prev.height - line.height) < 1
                    and wrapped and line.y0 - prev.y1 < 0.5 * line.height)
            if same:
                groups[-1].append(line)
                continue
        groups.append([line])
    out = []
    for g in groups:
        out.append(Block("header_cell", join_lines([ln.text for ln in g]), page=page, bold=g[0].bold,
                         italic=g[0].italic, centered=True, column=column))
    return out


# --- tables ------------------------------------------------------------------------------------

@dataclass
class _Table:
    grid: Grid
    rows: list[list[str]]
    bolds: list[list[bool]]

    @property
    def y0(self) -> float:
        return self.grid.y0

    def contains(self, w: Word) -> bool:
        return self.grid.contains((w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2)

    def block(self, page: int) -> Block:
        return Block("table", page=page, rows=[[Cell(t, bold=b) for t, b in zip(r, br, strict=True)]
                                               for r, br in zip(self.rows, self.bolds, strict=True)])


def _find_tables(page: PageLayout) -> list[_Table]:
    return [_build_table(page, grid) for grid in find_grids(page.rulings)]


def _build_table(page: PageLayout, grid: Grid) -> _Table:
    cell_words: dict[int, list[Word]] = {}
    for w in page.words:
        cell = grid.cell((w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2)
        if cell is not None:
            cell_words.setdefault(cell, []).append(w)
    texts: dict[int, tuple[str, bool]] = {}
    for cell, words in cell_words.items():
        lines = _group_lines(words)
        total = sum(len(w.text) for w in words) or 1
        texts[cell] = (join_lines([ln.text for ln in lines]),
                       sum(len(w.text) for w in words if w.bold) / total >= 0.6)
    rows = grid.rows(texts, ("", False), lambda v: bool(v[0]))
    return _Table(grid, [[t for t, _ in r] for r in rows], [[b for _, b in r] for r in rows])


# --- across pages ----------------------------------------------------------------------------

def _join_pages(per_page: list[tuple[int, list[Block], bool]]) -> list[Block]:
    """Concatenate pages; a paragraph or table cut by a page break is joined again."""
    out: list[Block] = []
    prev_open = False
    for _number, blocks, open_end in per_page:
        for k, block in enumerate(blocks):
            last = out[-1] if out else None
            if k == 0 and last is not None and prev_open:
                if block.kind == "table" and last.kind == "table" and same_columns(last, block):
                    append_table(last, block)
                    continue
                if (block.kind == last.kind == "paragraph" and block.bold == last.bold
                        and not starts_paragraph(block.text) and not starts_bullet(block.text)
                        and (block.text[:1].islower() or not ends_sentence(last.text))):
                    last.text = join_lines([last.text, block.text])
                    continue
            out.append(block)
        prev_open = open_end
    return out
