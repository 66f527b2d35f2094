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
import contextlib
import fcntl
import html
import operator
import os
import re
import select
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable, Iterator
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
_FOREIGN = re.compile("[^\x00-\x7f" + "".join(sorted(_VIET_MARKED)) + "]")  # neither ASCII nor Vietnamese


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
    foreign = sum(1 for c in _FOREIGN.findall(s) if not _is_punct(c))
    if foreign > 0.03 * len(s):
        return False
    marked = sum(map(_VIET_MARKED.__contains__, s))  # every marked character is a letter
    return letters < 200 or marked >= 0.03 * letters


def _is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] in "PSZ" and c not in "¸¹»¼½¾µ¶·®¯¬¤¥¦§¨©ª«°±²³´"


# --- geometry ----------------------------------------------------------------------------------

@dataclass(slots=True)
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


class Line:
    """Words of one line (sorted by x0) and their box; text, height and style are derived from the
    words when first asked (hot: asked for every pair of lines) and forgotten by refresh()."""

    __slots__ = ("words", "x0", "x1", "y0", "y1", "_text", "_height", "_style")

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.refresh()

    def refresh(self) -> None:
        words = self.words
        if len(words) == 1:
            w = words[0]
            self.x0, self.x1, self.y0, self.y1 = w.x0, w.x1, w.y0, w.y1
        else:
            words.sort(key=_X0)
            self.x0 = words[0].x0  # sorted by x0
            self.x1 = max([w.x1 for w in words])
            self.y0 = min([w.y0 for w in words])
            self.y1 = max([w.y1 for w in words])
        self._text: str | None = None
        self._height: float | None = None
        self._style: tuple[bool, bool] | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join([w.text for w in self.words])
        return self._text

    @property
    def height(self) -> float:
        if self._height is None:
            self._height = _median([w.y1 - w.y0 for w in self.words])
        return self._height

    @property
    def bold(self) -> bool:
        return (self._style or self._styles())[0]

    @property
    def italic(self) -> bool:
        return (self._style or self._styles())[1]

    def _styles(self) -> tuple[bool, bool]:
        words = self.words
        total = sum([len(w.text) for w in words]) or 1
        self._style = (sum([len(w.text) for w in words if w.bold]) / total >= 0.6,
                       sum([len(w.text) for w in words if w.italic]) / total >= 0.6)
        return self._style


Font = tuple[float, float, float, float, bool, bool]  # box of a text object (x0, top, x1, bottom), bold, italic
Marks = tuple[list[Font], list[Ruling], bool]  # what pdfium gives of a page; False: it failed on the page


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    fonts: list[Font] = field(default_factory=list)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], list[re.Pattern[str]]]:
    data = read_toml("readers.toml")
    return re.compile(data["page_number"]), [re.compile(p) for p in data["motto_patterns"]]


_FOOTNOTE_MARK = re.compile(r"^[(\[]?\d{1,2}[)\]]?$")
_DIGIT = re.compile(r"\d")


# --- entry point -------------------------------------------------------------------------------

def read_pdf(path: Path, ocr: str = "auto") -> ReadResult:
    poppler = _Pdftotext(path)  # started first: poppler finds the words while pdfium reads the fonts
    try:
        pdf = _open(path)
        try:
            n_pages = len(pdf)
            # fonts and rulings of every page, read while poppler runs (used for the text pages)
            marks = [] if ocr == "always" else [_page_marks(pdf, n) for n in range(1, n_pages + 1)]
            usable: set[int] = set()
            readers: dict[int, _PageReader] = {}

            def arrived(page: PageLayout) -> None:
                # while poppler reads on: a page with a good text layer is a text page whatever comes next
                if text_is_usable(" ".join([w.text for w in page.words])):
                    usable.add(page.number)
                    if marks:
                        readers[page.number] = _PageReader(page, marks[page.number - 1])

            pages, poppler_errors, n_read = poppler.pages(n_pages, arrived)
            blank: set[int] = set()
            for p in pages:
                if p.number not in usable and not _has_images(pdf, p.number):
                    text = " ".join(w.text for w in p.words).strip()
                    # a page comes out empty when poppler cannot decode it: ask again about this page
                    # when poppler reported errors, or did not see the page at all
                    damaged = (poppler_errors or p.number > n_read) and _page_is_damaged(path, p.number)
                    if (not text or _patterns()[0].match(text)) and not damaged:
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
                if page.number not in readers:
                    readers[page.number] = _PageReader(page, marks[page.number - 1] if marks
                                                       else _page_marks(pdf, page.number))
                if not readers[page.number].marked:
                    # poppler's words are kept; only bold hints and table lines are lost
                    warnings.append(f"page {page.number}: the page is damaged; its text was kept without "
                                    "bold marks and table lines")
            lost = [p for p in to_ocr if not any(b.text or b.rows for b in ocr_blocks.get(p, []))]
            if lost:
                warnings.append(f"pages {_ranges(lost)}: no text could be read (blank or damaged page)")
            lost += skipped
        finally:
            pdf.close()
    finally:
        poppler.close()
    body_left, body_right = _body_margins(text_pages)
    per_page: list[tuple[int, list[Block], bool]] = []
    for number in range(1, n_pages + 1):
        if number in ocr_blocks:
            blocks = ocr_blocks[number]
            for b in blocks:
                b.page = b.page or number
            per_page.append((number, blocks, bool(blocks) and blocks[-1].kind == "table"))  # a table may go on
    for page in text_pages:
        blocks, open_end = readers[page.number].blocks(body_left, body_right)
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

_PAGE_RE = re.compile(rb'width="([0-9.]+)" height="([0-9.]+)">')  # right after "<page "
# numbers as pdftotext prints them (%f); a word's text is XML-escaped, so it holds no "<". Matched on
# the raw bytes (faster than on text), each distinct word decoded once: UTF-8 never puts "<" or "\n"
# inside a character, so decoding word by word equals decoding the page
_WORD_RE = re.compile(rb'<word xMin="([-.0-9]+)" yMin="([-.0-9]+)" xMax="([-.0-9]+)" yMax="([-.0-9]+)">'
                      rb'([^<\n]*)</word>')
_PIPE_SIZE = 1 << 20  # a whole document's -bbox output usually fits: poppler need not wait for us


class _Pdftotext:
    """`pdftotext -bbox` over the whole document, started before pdfium opens the file so that both
    read it at once; its output is parsed page by page as it arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.proc: subprocess.Popen[bytes] | None = None
        self.deadline = time.monotonic() + PDFTOTEXT_TIMEOUT
        self.stderr: list[bytes] = []
        exe = shutil.which("pdftotext")
        if exe is None:
            return
        # without -q: its error messages tell whether a page that came out empty may be damaged
        self.proc = subprocess.Popen([exe, "-bbox", "-enc", "UTF-8", str(path), "-"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if hasattr(fcntl, "F_SETPIPE_SZ"):
            with contextlib.suppress(OSError):  # above the system's limit: the default pipe only makes poppler wait
                fcntl.fcntl(self.proc.stdout, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)

    def pages(self, n_pages: int, arrived: Callable[[PageLayout], None]) -> tuple[list[PageLayout], bool, int]:
        """The words of the first `n_pages` pages (empty pages added up to `n_pages`), whether
        poppler reported errors (without any, none of the pages it read is damaged), and how many
        pages it read. `arrived` is called with each page read as soon as it is complete, while
        poppler reads the next ones."""
        if self.proc is None:
            raise ReadError("missing_tool", "pdftotext (poppler-utils) is not installed")
        parser = _BboxParser(n_pages)
        done = 0
        try:
            for data in self._stream():
                parser.feed(data)
                for page in parser.pages[done:]:
                    arrived(page)
                done = len(parser.pages)
            self.proc.wait(max(5.0, self.deadline - time.monotonic()))  # its output has ended
        except subprocess.TimeoutExpired as exc:
            raise ReadError("timeout", f"{self.path.name}: text extraction took longer than "
                            f"{PDFTOTEXT_TIMEOUT}s") from exc
        err = b"".join(self.stderr)
        if self.proc.returncode != 0 and not parser.saw_page:
            raise ReadError("corrupt_file", f"{self.path.name} is a damaged PDF: "
                            f"{err.decode(errors='replace').strip()[:200]}")
        pages = parser.close()
        for page in pages[done:]:
            arrived(page)
        n_read = len(pages)
        while len(pages) < n_pages:
            pages.append(PageLayout(len(pages) + 1, 595.0, 842.0))
        return pages, b"Error" in err, n_read

    def _stream(self) -> Iterator[bytes]:
        """Its output as it comes; its messages are collected on the way (both pipes are read, so
        that neither fills up and stalls it)."""
        assert self.proc is not None and self.proc.stdout is not None and self.proc.stderr is not None
        out, err = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        poller = select.poll()
        poller.register(out, select.POLLIN)
        poller.register(err, select.POLLIN)
        open_pipes = 2
        while open_pipes:
            # past the deadline only if poppler has nothing more to say: our own work may take a while
            events = poller.poll(max(0.0, self.deadline - time.monotonic()) * 1000)
            if not events:
                raise subprocess.TimeoutExpired(str(self.path), PDFTOTEXT_TIMEOUT)
            for fd, _ in events:
                data = os.read(fd, _PIPE_SIZE)
                if not data:  # closed
                    poller.unregister(fd)
                    open_pipes -= 1
                elif fd == err:
                    self.stderr.append(data)
                else:
                    yield data

    def close(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:  # an error (or a timeout) before its output was read
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe:
                pipe.close()


class _BboxParser:
    """pdftotext -bbox output, fed in pieces, → one PageLayout per `<page` element."""

    def __init__(self, n_pages: int) -> None:
        self.n_pages = n_pages
        self.pages: list[PageLayout] = []
        self.started = False  # a "<page" was seen
        self._buf = bytearray()
        self._scan = 0
        self._texts: dict[bytes, str] = {}  # raw word → clean text ("" if blank); syllables repeat a lot

    def feed(self, data: bytes) -> None:
        buf = self._buf
        buf += data
        while (i := buf.find(b"<page ", self._scan)) >= 0:
            if self.started:
                self._page(bytes(buf[:i]))
            self.started = True
            del buf[:i + 6]
            self._scan = 0
        self._scan = max(0, len(buf) - 5)

    @property
    def saw_page(self) -> bool:
        """Whether the output so far holds "<page" at all."""
        return self.started or b"<page" in self._buf

    def close(self) -> list[PageLayout]:
        if self.started:
            self._page(bytes(self._buf))
        self._buf.clear()
        return self.pages

    def _page(self, chunk: bytes) -> None:
        if len(self.pages) >= self.n_pages:
            return
        m = _PAGE_RE.match(chunk)
        width, height = (float(m.group(1)), float(m.group(2))) if m else (595.0, 842.0)
        texts = self._texts
        words: list[Word] = []
        add = words.append
        top = bottom = b""  # the words of a line share their top and bottom: convert those once
        y0 = y1 = 0.0
        for x0, top_, x1, bottom_, raw in _WORD_RE.findall(chunk):
            clean = texts.get(raw)
            if clean is None:
                clean = texts[raw] = _clean_word(raw.decode("utf-8", errors="replace"))
            if clean:
                if top_ != top:
                    top, y0 = top_, float(top_)
                if bottom_ != bottom:
                    bottom, y1 = bottom_, float(bottom_)
                add(Word(clean, float(x0), y0, float(x1), y1))
        self.pages.append(PageLayout(len(self.pages) + 1, width, height, words))


def _clean_word(raw: str) -> str:
    """A word as pdftotext escaped it → NFC text, or "" when it is only blanks."""
    text = html.unescape(raw) if "&" in raw else raw
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text if text.strip() else ""


def _page_marks(pdf, number: int) -> Marks:
    """(box, bold, italic) of the text objects and ruling lines from thin path objects (and the
    edges of stroked rectangles) of one page, and False if pdfium failed on the page (what was
    read before the failure is kept)."""
    import ctypes

    import pypdfium2.raw as raw
    from pypdfium2 import PdfiumError

    fonts: list[Font] = []
    rulings: list[Ruling] = []
    try:
        pg = pdf[number - 1]
        try:
            _, _, _, top = pg.get_cropbox()
            buf = ctypes.create_string_buffer(128)
            names: dict[int, tuple[bool, bool]] = {}
            left, bottom, right, otop = (ctypes.c_float() for _ in range(4))
            text_kind, path_kind = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH
            get_bounds, font_of = raw.FPDFPageObj_GetBounds, _font_address()
            for obj, kind in _page_objects(pg.raw, 3):
                if kind != text_kind and kind != path_kind:
                    continue  # images, shadings, forms: no bold hint, no ruling
                if not get_bounds(obj, left, bottom, right, otop):
                    raise PdfiumError("Failed to locate pageobject.")
                box = (left.value, top - otop.value, right.value, top - bottom.value)
                if kind == text_kind:
                    key = font_of(obj) or 0
                    flags = names.get(key)
                    if flags is None:
                        font = raw.FPDFTextObj_GetFont(obj)
                        raw.FPDFFont_GetBaseFontName(font, buf, 128)
                        name = buf.value.decode("latin-1").lower()
                        weight = raw.FPDFFont_GetWeight(font)
                        flags = names[key] = ("bold" in name or "black" in name or "heavy" in name
                                              or "semibold" in name or weight >= 600,
                                              "italic" in name or "oblique" in name)
                    fonts.append((*box, *flags))
                else:
                    rulings.extend(_path_rulings(box, obj))
        finally:
            pg.close()
    except PdfiumError:
        return fonts, rulings, False
    return fonts, rulings, True


@lru_cache(maxsize=1)
def _font_address() -> Callable[..., int | None]:
    """FPDFTextObj_GetFont returning the font's address as an int (a dict key for the font's
    flags) instead of a ctypes pointer object that would have to be cast."""
    import ctypes

    import pypdfium2.raw as raw

    address = ctypes.cast(raw.FPDFTextObj_GetFont, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)(address)


def _add_marks(page: PageLayout, marks: Marks) -> bool:
    """Give a page its fonts and rulings; bold/italic per word unless pdfium failed on the page."""
    page.fonts, page.rulings, ok = marks
    if ok:
        _assign_fonts(page)
    return ok


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


def _path_rulings(box: tuple[float, float, float, float], obj) -> list[Ruling]:
    import pypdfium2.raw as raw

    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if (h <= 3 and w > 3) or (w <= 3 and h > 3):
        return [Ruling(*box)]
    if w > 3 and h > 3 and 4 <= raw.FPDFPath_CountSegments(obj) <= 6:  # a stroked rectangle (cell border)
        return [Ruling(x0, y0, x1, y0), Ruling(x0, y1, x1, y1), Ruling(x0, y0, x0, y1), Ruling(x1, y0, x1, y1)]
    return []


def _assign_fonts(page: PageLayout) -> None:
    """A word takes the style of the first bold or italic text object (by top edge) holding its
    centre; plain objects only confirm the plain default, so only styled objects are searched,
    each among the words whose centre lies in its height (few objects are styled)."""
    if not page.fonts:
        return
    tallest = max(f[3] - f[1] for f in page.fonts)
    styled = sorted((f for f in page.fonts if f[4] or f[5]), key=lambda f: f[1])
    if not styled:
        return  # no bold or italic text object: every word keeps its plain default
    words = page.words
    centres = [(w.y0 + w.y1) / 2 for w in words]
    order = sorted(range(len(words)), key=centres.__getitem__)
    ys = [centres[k] for k in order]
    styled_already = [False] * len(words)
    for fx0, fy0, fx1, fy1, bold, italic in styled:
        for j in range(bisect.bisect_left(ys, fy0), bisect.bisect_right(ys, fy1)):
            k = order[j]
            # objects starting above cy - tallest were never searched for a word (they end above it)
            if styled_already[k] or fy0 < ys[j] - tallest:
                continue
            w = words[k]
            if fx0 - 1 <= (w.x0 + w.x1) / 2 <= fx1 + 1:
                w.bold, w.italic = bold, italic
                styled_already[k] = True


def _body_margins(pages: list[PageLayout]) -> tuple[float, float]:
    xs0 = sorted([w.x0 for p in pages for w in p.words])
    xs1 = sorted([w.x1 for p in pages for w in p.words])
    if not xs0:
        return 0.0, 0.0
    return xs0[len(xs0) // 50], xs1[len(xs1) * 49 // 50]


# --- per page layout -------------------------------------------------------------------------

def _group_lines(words: list[Word]) -> list[Line]:
    """Words → lines by vertical overlap (robust to superscripts and small baseline jitter)."""
    lines = [Line(g) for g in _line_groups(words)]
    for line in lines:
        _drop_footnote_marks(line)
    return lines


def _line_groups(words: list[Word]) -> list[list[Word]]:
    """The words of each line, top to bottom, in the order of their centres."""
    groups: list[list[Word]] = []
    ref_cy = ref_h = 0.0  # centre and height of the current line's first word
    centres = [(w.y0 + w.y1) / 2 for w in words]
    for k in sorted(range(len(words)), key=centres.__getitem__):
        w, cy = words[k], centres[k]
        h = w.y1 - w.y0
        # same line: centres close (a raised superscript still is), not merely overlapping boxes
        if groups and abs(cy - ref_cy) < 0.35 * (h if h >= ref_h else ref_h):
            groups[-1].append(w)
            continue
        groups.append([w])
        ref_cy, ref_h = cy, h
    return groups


def _line_texts(words: list[Word]) -> list[str]:
    """The texts of _group_lines(words) without building Lines (their boxes): what a table cell needs."""
    texts: list[str] = []
    for g in _line_groups(words):
        if len(g) == 1:
            texts.append(g[0].text)
            continue
        g.sort(key=_X0)
        text = " ".join([w.text for w in g])
        kept = _without_footnote_marks(g, text)
        texts.append(text if kept is g else " ".join([w.text for w in kept]))
    return texts


def _drop_footnote_marks(line: Line) -> None:
    kept = _without_footnote_marks(line.words, line.text)
    if kept is not line.words:
        line.words = kept
        line.refresh()


def _without_footnote_marks(words: list[Word], text: str) -> list[Word]:
    """The words of a line (sorted by x0, joined into `text`) without its footnote marks (small
    raised numbers after the first word); `words` itself when it has none."""
    # a mark holds a digit: most lines have none after their first word (and need their text anyway)
    if len(words) < 2 or not _DIGIT.search(text, len(words[0].text)) \
            or not any(_FOOTNOTE_MARK.match(w.text) for w in words[1:]):
        return words
    h = _median([w.y1 - w.y0 for w in words])
    kept = [words[0]] + [w for w in words[1:] if not (w.height < 0.75 * h and _FOOTNOTE_MARK.match(w.text))]
    return kept if len(kept) != len(words) else words


def _segments(line: Line, gap: float) -> list[tuple[float, float]]:
    """(x0, x1) of the runs of words in a line that no gap wider than `gap` separates."""
    words = line.words  # sorted by x0
    out: list[tuple[float, float]] = []
    x0 = x1 = prev = 0.0
    for k, w in enumerate(words):
        if k == 0 or w.x0 - prev > gap:
            if k:
                out.append((x0, x1))
            x0, x1 = w.x0, w.x1
        elif w.x1 > x1:
            x1 = w.x1
        prev = w.x1
    out.append((x0, x1))
    return out


class _PageReader:
    """One text page. What depends on the page alone (bold marks, tables, lines) is read as soon as
    the page arrives from poppler; blocks() lays it out within the body margins of the document."""

    def __init__(self, page: PageLayout, marks: Marks) -> None:
        self.page = page
        self.marked = _add_marks(page, marks)  # False: pdfium failed on the page
        self.tables, free = _find_tables(page)
        self.lines = self._drop_furniture(_group_lines(free))
        self.left = self.right = 0.0

    def blocks(self, left: float, right: float) -> tuple[list[Block], bool]:
        """Blocks of the page in reading order, and whether its last paragraph runs on."""
        self.left, self.right = left, right
        tables, lines = self.tables, self.lines
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
        height = _median([ln.height for ln in lines])
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
        total = sum([len(w.text) for w in words]) or 1  # lists, not generators: faster on these sizes
        bold = sum([len(w.text) for w in words if w.bold]) / total >= 0.6
        italic = sum([len(w.text) for w in words if w.italic]) / total >= 0.6
        centered = all(_is_centered(ln, left, right) for ln in lines)
        return Block("paragraph", join_lines([ln.text for ln in lines]), page=self.page.number, bold=bold,
                     italic=italic, centered=centered, font_size=round(_median([w.y1 - w.y0 for w in words]) / 1.15, 1))


def _is_centered(line: Line, left: float, right: float) -> bool:
    # beyond a first-line indent (≤ ~36pt) and balanced around the column centre
    return line.x0 > left + 40 and abs((line.x0 + line.x1) / 2 - (left + right) / 2) < 12


def _subline(line: Line, keep) -> Line | None:
    words = [w for w in line.words if keep(w)]
    return Line(words) if words else None


def _column_zones(lines: list[Line], page_width: float, height: float) -> list[tuple[int, int, float]]:
    """Runs of lines laid out as two side-by-side columns: (start, end, split x)."""
    gap = max(2.0 * height, 24.0)
    segments = [_segments(ln, gap) for ln in lines]
    close: dict[int, list[tuple[float, float]]] = {}  # segments at gap / 2, of lines inside zones

    def right_x0(k: int) -> float | None:
        # a right-column piece sits in the right part and is centred there, not on the page
        for x0, x1 in segments[k]:
            if x0 > 0.4 * page_width and (x0 + x1) / 2 > 0.58 * page_width:
                return x0
        return None

    def fits_close(k: int, split: float) -> bool:
        if k not in close:
            close[k] = _segments(lines[k], gap / 2)
        return _fits_columns(close[k], split)

    zones: list[tuple[int, int, float]] = []
    i = 0
    while i < len(lines):
        r = right_x0(i)
        if r is None or r <= lines[i].x0:
            i += 1
            continue
        split = r - 1
        start = i
        while start > (zones[-1][1] if zones else 0):
            above = right_x0(start - 1)
            if above is None or above > lines[start - 1].x0 or not _fits_columns(segments[start - 1], split):
                break
            start -= 1  # a right-column line above the first side-by-side line (TM. ỦY BAN ...)
        end = i + 1
        while end < len(lines):
            r = right_x0(end)
            # a right-column line may start left of the split found so far (centred names)
            candidate = min(split, r - 1) if r is not None else split
            if not all(fits_close(k, candidate) for k in range(start, end + 1)):
                break
            split = candidate
            end += 1
        zones.append((start, end, split))
        i = end
    return zones


def _fits_columns(segments: list[tuple[float, float]], split: float) -> bool:
    """No run of closely spaced words straddles the column split."""
    return all(x1 <= split + 1 or x0 > split - 1 for x0, x1 in segments)


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

    def block(self, page: int) -> Block:
        return Block("table", page=page, rows=[[Cell(t, bold=b) for t, b in zip(r, br, strict=True)]
                                               for r, br in zip(self.rows, self.bolds, strict=True)])


def _find_tables(page: PageLayout) -> tuple[list[_Table], list[Word]]:
    """The ruled tables of a page and the words outside all of them."""
    tables: list[_Table] = []
    free = page.words
    for grid in find_grids(page.rulings):
        inside, outside = _split_words(grid, page.words)
        tables.append(_build_table(grid, inside))
        free = outside if free is page.words else _split_words(grid, free)[1]
    return tables, free


def _split_words(grid: Grid, words: list[Word]) -> tuple[list[Word], list[Word]]:
    """The words whose centre lies in the grid (Grid.contains) and the others."""
    x0, x1, y0, y1 = grid.xs[0] - 1.0, grid.xs[-1] + 1.0, grid.ys[0] - 1.0, grid.ys[-1] + 1.0
    inside: list[Word] = []
    outside: list[Word] = []
    for w in words:
        (inside if x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1 else outside).append(w)
    return inside, outside


def _build_table(grid: Grid, words: list[Word]) -> _Table:
    """The table of a grid from the words inside it."""
    cell_words: dict[int, list[Word]] = {}
    for w in words:
        cell = grid.cell((w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2)
        if cell is not None:
            cell_words.setdefault(cell, []).append(w)
    texts: dict[int, tuple[str, bool]] = {}
    for cell, in_cell in cell_words.items():
        if len(in_cell) == 1:  # most cells: a number, a date, a short name
            texts[cell] = (join_lines([in_cell[0].text]), bool(in_cell[0].text) and in_cell[0].bold)
            continue
        total = sum([len(w.text) for w in in_cell]) or 1
        texts[cell] = (join_lines(_line_texts(in_cell)),
                       sum([len(w.text) for w in in_cell if w.bold]) / total >= 0.6)
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
