"""OCR reader: page images -> Tesseract (vie) word boxes -> lines -> paragraph Blocks.

Tesseract runs as a CLI subprocess with TSV output (word boxes + confidences), one process per
page, single-threaded (OMP_THREAD_LIMIT=1) and parallel across pages: Tesseract's own threading is
much slower on small machines. Layout is rebuilt from the word geometry: two-column regions (the
Decree 30 header, the "Nơi nhận" / signature block) are split at wide gaps, wrapped lines are
re-joined into paragraphs (a centred title wrapped over lines too), page numbers and stamp/signature
debris are dropped. Ink that no word covers is read again (Tesseract's layout analysis can drop a
whole line), so are short lines read with low confidence.
Before OCR a page is cleaned where needed (ocr_prep: uneven light, skew, small text); ruled
tables are found on the image, their lines erased, and the words in their cells become table
Blocks (ocr_tables), continued across page breaks like the text-PDF reader's tables.
"""
from __future__ import annotations

import itertools
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops

from normalizers.dates import repair_quarter_numerals
from normalizers.syllable import is_syllable
from normalizers.vocab import repair_text

from ..model import Block
from ..resources import read_toml
from . import ReadError
from .ocr_prep import enlarge, flatten_light, straighten
from .ocr_tables import (
    PageGrid,
    dark_mask,
    erase_rulings,
    find_page_grids,
    repair_numbering,
    reread_cells,
    table_block,
)
from .tables import Grid, append_table, same_columns

DPI = 300  # measured (benchmarks/cer.py): 400 dpi took ~1.5x the time and raised CER 0.18% -> 0.23%
LANG = "vie"
PSM = "4"  # one column of variable-size text; columns are split from the word geometry below
TESS_TIMEOUT = 180  # seconds per page
COLOUR_CHROMA = 60  # max-min channel spread of seal/signature ink (paper and print stay below ~25)
COLOUR_SHARE = 0.0005  # share of thumbnail pixels that must be coloured to run the ink removal
# Look-alikes Tesseract's vie model emits that Vietnamese never uses (Icelandic eth for Đ).
_CONFUSABLES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
MIN_SEGMENT_CONF = 50.0  # mean word confidence below which a line segment is debris (stamp, signature)
MIN_RESCUED_WORD_CONF = 30.0  # below MIN_SEGMENT_CONF, well-formed words this sure of each stay text
# Ink that no word covers is read again when it looks like a text line (Tesseract's layout analysis
# may drop a whole line): band height and width in word heights, share of dark pixels in its box.
MISSED_HEIGHT = (0.6, 3.0)
MISSED_MIN_WIDTH = 3.0
MISSED_MIN_INK = 0.06  # printed text ~0.12; signature strokes and specks stay below
# One word as printed: letters/digits joined by / . , : -, optional brackets and end punctuation.
_CLEAN_WORD = re.compile(r"[(\[“\"]?[^\W_]+(?:[/.,:-][^\W_]+)*[)\]”\".,;:]*")
# Centred lines (titles), in word heights: set off from both margins by more than CENTRED_INDENT,
# centres within CENTRE_TOLERANCE of the column centre (and of each other).
CENTRED_INDENT = 0.5
CENTRE_TOLERANCE = 0.75
_BRACKETED = re.compile(r"\([^()]*\)")
# A note under a title, "(Kèm theo Kế hoạch số …)": a bracket that does not close on its first word.
_NOTE = re.compile(r"\((?![^\s()]*\))")


@dataclass
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float


@dataclass
class Line:
    words: list[Word]
    column: int | None = None  # set inside two-column regions

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class PageOCR:
    page: int
    width: int
    height: int
    lines: list[Line] = field(default_factory=list)
    grids: list[PageGrid] = field(default_factory=list)  # ruled tables (their lines erased before OCR)


# --- engine -----------------------------------------------------------------------------------


@cache
def _tesseract_status() -> str | None:
    """None when tesseract with Vietnamese data is usable, else the reason."""
    exe = shutil.which("tesseract")
    if not exe:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return f"tesseract cannot run: {e}"
    if LANG not in out.stdout.split():
        return "tesseract has no Vietnamese language data (apt-get install tesseract-ocr-vie)"
    return None


def require_tesseract() -> None:
    reason = _tesseract_status()
    if reason:
        raise ReadError("ocr_unavailable", reason, stage="ocr")


def _has_colour_ink(rgb: Image.Image) -> bool:
    """Seal or signature on the page? Strongly coloured pixels on a 1/8 thumbnail (cheap)."""
    small = rgb.reduce(8)
    r, g, b = small.split()
    chroma = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b),
                                 ImageChops.darker(ImageChops.darker(r, g), b))
    strong = sum(chroma.histogram()[COLOUR_CHROMA:])
    return strong > COLOUR_SHARE * small.width * small.height


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale that drops coloured ink: red seals vanish in the max channel, blue signatures
    are whitened; black print is untouched (measured: removes seal/signature debris lines).
    Pages without coloured ink take the plain (faster) grayscale."""
    if image.mode in ("L", "1", "I;16", "I"):
        return image.convert("L")
    rgb = image.convert("RGB")
    if not _has_colour_ink(rgb):
        return rgb.convert("L")
    red, green, blue = rgb.split()
    value = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    bluish = ImageChops.subtract(blue, red).point(lambda v: 255 if v > 12 else 0)
    return ImageChops.lighter(value, bluish)


def _pgm(image: Image.Image) -> bytes:
    """Uncompressed PGM for tesseract's stdin (PNG encoding would cost ~10% of OCR time)."""
    header = f"P5\n{image.width} {image.height}\n255\n".encode()
    return header + image.tobytes()


def run_tesseract(data: bytes, psm: str = PSM) -> str:
    """TSV of one page image (any format leptonica reads) from the tesseract CLI. The image goes
    through a temporary file: tesseract reads stdin a byte at a time (measured: +7% per page)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        with tempfile.TemporaryDirectory(prefix="vnplan-ocr-") as tmp:
            src = Path(tmp) / "page"
            src.write_bytes(data)
            out = subprocess.run(
                ["tesseract", str(src), "stdout", "-l", LANG, "--psm", psm, "tsv"],
                capture_output=True, env=env, timeout=TESS_TIMEOUT,
            )
    except subprocess.TimeoutExpired as e:
        raise ReadError("ocr_timeout", f"tesseract took more than {TESS_TIMEOUT}s on a page", "ocr") from e
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ReadError("ocr_failed", f"tesseract failed: {msg}", stage="ocr")
    return out.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> list[Line]:
    """Word rows (level 5) grouped into tesseract's lines, in reading order."""
    lines: dict[tuple[str, str, str], list[Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        conf = float(cols[10])
        if not text or conf < 0:
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        word = Word(text.translate(_CONFUSABLES), left, top, left + width, top + height, conf)
        lines.setdefault((cols[2], cols[3], cols[4]), []).append(word)
    return [Line(sorted(ws, key=lambda w: w.left)) for ws in lines.values()]


def ocr_page(page: int, load: Callable[[], Image.Image], slots: threading.Semaphore) -> PageOCR:
    # the skew estimate needs even light; the text size is known only after a first reading
    image, grids = straighten(flatten_light(prepare(load())))
    result = _read_page(page, image, grids, slots)
    larger = enlarge(image, _unit(result.lines)) if result.lines else None
    return _read_page(page, larger, find_page_grids(larger), slots) if larger is not None else result


def _read_page(page: int, image: Image.Image, grids: list[PageGrid], slots: threading.Semaphore) -> PageOCR:
    """The page read with its tables' lines erased, then its doubtful table cells, its doubtful
    short lines and the text lines Tesseract left out read again."""
    image = erase_rulings(image, grids)
    with slots:  # at most `workers` tesseract processes; the next page is prepared meanwhile
        lines = parse_tsv(run_tesseract(_pgm(image)))
        if lines:
            unit, tables = _unit(lines), [pg.grid for pg in grids]
            for box in missed_boxes(image, lines, tables, unit):
                for line in _read_lines(image, box, round(0.4 * unit)):
                    _add_line(lines, line)
            _reread_doubtful(image, _outside(lines, tables), lines, unit)
        words = [w for line in lines for w in line.words]
        for grid in grids:
            reread_cells(image, grid, words, _read_block)
    return PageOCR(page, image.width, image.height, lines, grids)


def _runs(on: np.ndarray, max_gap: int) -> list[tuple[int, int]]:
    """[start, end) runs of True values, runs closer than max_gap merged."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for start, end in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and start - runs[-1][1] <= max_gap:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def missed_boxes(image: Image.Image, lines: list[Line], grids: list[Grid],
                 unit: float) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of text-like ink that no word covers and no table holds:
    a line Tesseract's layout analysis dropped (seen: a 'Nơi nhận' row beside the signer's name).
    Bands of text height and width with print-like ink density; specks, rules and signatures
    fail one of the three."""
    dark = dark_mask(np.asarray(image))
    pad = round(0.3 * unit)
    for line in lines:
        for w in line.words:
            dark[max(0, w.top - pad):w.bottom + pad, max(0, w.left - pad):w.right + pad] = False
    for g in grids:
        dark[max(0, int(g.ys[0]) - pad):int(g.ys[-1]) + pad, max(0, int(g.xs[0]) - pad):int(g.xs[-1]) + pad] = False
    boxes = []
    rows = np.count_nonzero(dark, axis=1) >= max(3, 0.1 * unit)
    for top, bottom in _runs(rows, pad):
        if not MISSED_HEIGHT[0] * unit <= bottom - top <= MISSED_HEIGHT[1] * unit:
            continue
        band = dark[top:bottom]
        spans = [(a, b) for a, b in _runs(band.any(axis=0), round(2.5 * unit)) if b - a >= unit]
        if not spans or spans[-1][1] - spans[0][0] < MISSED_MIN_WIDTH * unit:
            continue
        ink = sum(int(np.count_nonzero(band[:, a:b])) for a, b in spans)
        if ink >= MISSED_MIN_INK * (bottom - top) * sum(b - a for a, b in spans):
            boxes.append((spans[0][0], top, spans[-1][1], bottom))
    return boxes


def _read_lines(image: Image.Image, box: tuple[int, int, int, int], pad: int) -> list[Line]:
    """The lines in a box of the page (read as one block of text), in page coordinates."""
    left, top = max(0, box[0] - pad), max(0, box[1] - pad)
    crop = image.crop((left, top, min(image.width, box[2] + pad), min(image.height, box[3] + pad)))
    lines = parse_tsv(run_tesseract(_pgm(crop), psm="6"))
    for line in lines:
        for w in line.words:
            w.left, w.right, w.top, w.bottom = w.left + left, w.right + left, w.top + top, w.bottom + top
    return lines


def _add_line(lines: list[Line], new: Line) -> None:
    """A recovered line into the page's lines: joined to a line at the same height, else inserted
    before the first line below it."""
    for line in lines:
        overlap = min(line.bottom, new.bottom) - max(line.top, new.top)
        if overlap > 0.5 * min(line.bottom - line.top, new.bottom - new.top):
            line.words = sorted(line.words + new.words, key=lambda w: w.left)
            return
    at = next((i for i, line in enumerate(lines) if line.top > new.top), len(lines))
    lines.insert(at, new)


def _reread_doubtful(image: Image.Image, free: list[Line], lines: list[Line], unit: float) -> None:
    """Segments of text size read with low confidence ("II/2024." alone on a line) outside the
    tables (their cells have reread_cells) are read again in a tight crop; the more confident
    reading replaces the words in `lines`."""
    for seg in (s for line in free for s in split_segments(line, gap=2.5 * unit)):
        conf = statistics.fmean(w.conf for w in seg.words)
        if conf >= MIN_SEGMENT_CONF or not _text_sized(seg, unit):
            continue
        again = [w for ln in _read_lines(image, (seg.left, seg.top, seg.right, seg.bottom), round(0.2 * unit))
                 for w in ln.words]
        if not again or statistics.fmean(w.conf for w in again) <= conf:
            continue
        doubtful = {id(w) for w in seg.words}
        for line in lines:
            if any(id(w) in doubtful for w in line.words):
                line.words = sorted([w for w in line.words if id(w) not in doubtful] + again, key=lambda w: w.left)


def _read_block(image: Image.Image) -> list[Word]:
    """Words of an image read as one uniform block of text (the strip of re-read table cells)."""
    return [w for line in parse_tsv(run_tesseract(_pgm(image), psm="6")) for w in line.words]


def ocr_images(
    loaders: Sequence[tuple[int, Callable[[], Image.Image]]], workers: int | None = None
) -> list[PageOCR]:
    """OCR pages in parallel (default workers = min(cores, pages)); results in page order."""
    require_tesseract()
    workers = max(1, min(workers or os.cpu_count() or 1, len(loaders)))
    slots = threading.Semaphore(workers)
    with ThreadPoolExecutor(min(workers + 1, len(loaders))) as pool:
        return list(pool.map(lambda item: ocr_page(*item, slots), loaders))


def pdf_page_loaders(path: Path, pages: list[int], dpi: int = DPI):
    """Loaders that render 1-based PDF pages; pdfium is not thread-safe, so renders are serialized."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    lock = threading.Lock()

    def loader(page: int) -> Callable[[], Image.Image]:
        def load() -> Image.Image:
            with lock:
                return pdf[page - 1].render(scale=dpi / 72).to_pil()

        return load

    return pdf, [(p, loader(p)) for p in pages]


def ocr_pdf_pages(path: Path, pages: list[int]) -> tuple[dict[int, list[Block]], float | None]:
    """OCR the given 1-based pages of a PDF: page -> Blocks, and the mean word confidence."""
    require_tesseract()
    pdf, loaders = pdf_page_loaders(path, pages)
    try:
        results = ocr_images(loaders)
    finally:
        pdf.close()
    return layout_pages(results)


def layout_pages(results: list[PageOCR]) -> tuple[dict[int, list[Block]], float | None]:
    confs = [w.conf for r in results for line in r.lines for w in line.words]
    blocks = {r.page: page_blocks(r, first_page=r.page == 1) for r in results}
    return blocks, (round(statistics.fmean(confs), 2) if confs else None)


# --- layout -----------------------------------------------------------------------------------


@cache
def _rules() -> dict[str, re.Pattern[str]]:
    cfg = read_toml("readers.toml")
    return {
        "starts": re.compile("|".join(f"(?:{p})" for p in cfg["paragraph_starts"])),
        "bullet": re.compile(cfg["bullet_starts"]),
        "terminal": re.compile(cfg["line_end_terminal"]),
        "page_number": re.compile(cfg["page_number"]),
    }


def _unit(lines: list[Line]) -> float:
    """Typical word height on the page: the yardstick for gaps and indents."""
    heights = [w.bottom - w.top for line in lines for w in line.words if len(w.text) > 1]
    return float(statistics.median(heights)) if heights else 40.0


def _is_debris(line: Line, unit: float) -> bool:
    """Stamp text, signature strokes and speckle: low confidence and few real letters. A short
    line of well-formed words at the text size stays, each word read with some confidence (the
    model is unsure of lone "(PAPI)" or "II/2024." lines)."""
    text = line.text
    letters = sum(ch.isalpha() for ch in text)
    mean_conf = statistics.fmean(w.conf for w in line.words)
    if mean_conf < MIN_SEGMENT_CONF:
        return not (_text_sized(line, unit) and all(
            w.conf >= MIN_RESCUED_WORD_CONF and _CLEAN_WORD.fullmatch(w.text) for w in line.words))
    return letters < 3 and mean_conf < 70 and not any(ch.isdigit() for ch in text)


def _text_sized(line: Line, unit: float) -> bool:
    """Words of the page's text height with at least two letters or digits."""
    height = statistics.median(w.bottom - w.top for w in line.words)
    return 0.6 * unit <= height <= 1.5 * unit and sum(ch.isalnum() for ch in line.text) >= 2


def split_segments(line: Line, gap: float) -> list[Line]:
    """Cut a line at horizontal gaps wider than `gap` (column gutters, not word spaces)."""
    parts = [[line.words[0]]]
    for prev, word in zip(line.words, line.words[1:], strict=False):
        if word.left - prev.right > gap:
            parts.append([])
        parts[-1].append(word)
    return [Line(p) for p in parts]


def _centre(line: Line) -> float:
    return (line.left + line.right) / 2


@dataclass
class _Region:
    """A two-column region, described by its first split line."""

    gutter_lo: float  # right edge of the left part
    gutter_hi: float  # left edge of the right part
    l_left: float
    l_centre: float
    r_centre: float

    @property
    def boundary(self) -> float:
        return (self.gutter_lo + self.gutter_hi) / 2


def assign_columns(lines: list[Line], unit: float) -> list[Line]:
    """Find two-column regions and label their segments with column 0/1.

    A region opens at a line that splits at a gutter (e.g. issuer | motto, or Nơi nhận |
    signer) and continues while each line either splits the same way or sits on one side,
    aligned with that column (left column: same left edge or centre; right column: same
    centre). A centred title or a full-width line ends it. Debris segments are dropped."""
    out: list[Line] = []
    region: _Region | None = None
    tol = 2.5 * unit
    for line in lines:
        segs = [s for s in split_segments(line, gap=2.5 * unit) if not _is_debris(s, unit)]
        if not segs:
            continue
        if len(segs) > 1:
            lo, hi = max(s.right for s in segs[:-1]), segs[-1].left
            if region is None or not lo <= region.boundary <= hi:
                left = Line([w for s in segs[:-1] for w in s.words])
                region = _Region(lo, hi, left.left, _centre(left), _centre(segs[-1]))
            for s in segs:
                s.column = 0 if _centre(s) < region.boundary else 1
            out += segs
            continue
        line = segs[0]
        if region is not None:
            if line.right < region.gutter_hi and (
                abs(line.left - region.l_left) < tol or abs(_centre(line) - region.l_centre) < tol
            ):
                line.column = 0
            elif line.left > region.gutter_lo and abs(_centre(line) - region.r_centre) < tol:
                line.column = 1
            else:
                region = None
        out.append(line)
    return out


def _drop_page_number(lines: list[Line], width: int, height: int) -> list[Line]:
    """Page numbers sit alone at the top centre (Decree 30) or at the bottom."""
    rule = _rules()["page_number"]
    keep = []
    for i, line in enumerate(lines):
        edge = i == 0 or i == len(lines) - 1
        near_edge = line.top < height * 0.1 or line.bottom > height * 0.9
        centred = abs(_centre(line) - width / 2) < width * 0.1
        if edge and near_edge and centred and rule.match(line.text):
            continue
        keep.append(line)
    return keep


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _numbered(text: str) -> bool:
    rules = _rules()
    return bool(rules["starts"].match(text) or rules["bullet"].match(text))


def text_column(lines: list[Line], unit: float) -> tuple[float, float]:
    """Left and right edge of the page's text column: the median of the line edges near the
    outermost ones (justified lines end on the margins; one wider header line barely moves it)."""
    lo = min(line.left for line in lines)
    hi = max(line.right for line in lines)
    return (statistics.median(line.left for line in lines if line.left < lo + 2 * unit),
            statistics.median(line.right for line in lines if line.right > hi - 2 * unit))


def _is_centred(line: Line, column: tuple[float, float], unit: float) -> bool:
    """Set off from both margins and balanced on the column centre: a title line (a justified
    first line is indented on the left only, a full line on neither side)."""
    left, right = column
    return (line.left > left + CENTRED_INDENT * unit and line.right < right - CENTRED_INDENT * unit
            and abs(_centre(line) - (left + right) / 2) < CENTRE_TOLERANCE * unit)


def _caps_style(text: str) -> bool | None:
    """ALL-CAPS or not, judged without bracketed acronyms ("(PCI)"); None when too few letters."""
    letters = [ch for ch in _BRACKETED.sub("", text) if ch.isalpha()]
    return None if len(letters) < 3 else all(ch.isupper() for ch in letters)


def _title_break(prev: Line, line: Line, column: tuple[float, float], unit: float,
                 pitch: float) -> bool | None:
    """Whether a new paragraph starts between two lines of a centred block (a title over several
    lines): True or False when either line is centred on the other, else None (the body rules
    decide).

    Centred lines are wrapped like the PDF reader's: a line starting in lower case goes on; else
    the block breaks where the first word of the next line would have fitted on this one (a
    deliberate end: "KẾ HOẠCH" over the title, "PHỤ LỤC" over its heading)."""
    if abs(_centre(prev) - _centre(line)) >= CENTRE_TOLERANCE * unit:
        return None
    prev_centred, centred = _is_centred(prev, column, unit), _is_centred(line, column, unit)
    text, prev_text = line.text, prev.text
    first = text[:1]
    if not (centred or prev_centred):
        return None
    # A full line over a centred one that starts a sentence: the body rules (indent) decide.
    if not prev_centred and first.isupper() and _caps_style(text) is not True:
        return None
    if (_rules()["terminal"].search(prev_text) or _numbered(text) or _NOTE.match(text)
            or line.top - prev.top > 1.45 * pitch):
        return True
    styles = {_caps_style(text), _caps_style(prev_text)} - {None}
    if len(styles) > 1:
        return True
    if first.islower():
        return False
    words = line.words
    space = 0.3 * (words[0].bottom - words[0].top)
    return (prev.right - prev.left) + space + (words[0].right - words[0].left) < column[1] - column[0] - unit


def paragraphs(lines: list[Line], unit: float, page_width: int,
               column: tuple[float, float] | None = None) -> list[list[Line]]:
    """Re-join wrapped lines: a new paragraph starts on a first-line indent, a wide vertical gap,
    after a short or sentence-final line followed by numbering, at ALL-CAPS or centred lines.
    Lines of one centred block (a title wrapped over lines) follow _title_break. `column`: the
    page's text column (default: the edges of these lines)."""
    if not lines:
        return []
    margin_left = min(line.left for line in lines)
    margin_right = max(line.right for line in lines)
    column = column or (margin_left, margin_right)
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top > a.top]
    pitch = statistics.median(pitches) if pitches else 2 * unit
    terminal = _rules()["terminal"]
    groups: list[list[Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        text, prev_text = line.text, prev.text
        short_prev = prev.right < margin_right - 3 * unit
        centred = abs(_centre(line) - page_width / 2) < unit and line.left > margin_left + 2 * unit
        new = _title_break(prev, line, column, unit, pitch)
        if new is None:
            new = (
                line.left > margin_left + 1.2 * unit  # first-line indent
                or line.top - prev.top > 1.45 * pitch  # paragraph spacing
                or (short_prev and (terminal.search(prev_text) or _numbered(text)))
                or (_numbered(text) and terminal.search(prev_text))
                or _is_caps(text) != _is_caps(prev_text)
                or centred
            )
        if new:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def repair_ocr_text(text: str) -> str:
    """OCR noise repaired: words Tesseract glued together split, words near the vocabularies
    (normalizers.vocab), then the look-alikes of a quarter's Roman numeral ("Quý IH/2024" ->
    "Quý III/2024")."""
    return repair_quarter_numerals(repair_text(split_glued(text)))


# A token's letters between edge punctuation: "(Nộivụ);" -> "(", "Nộivụ", ");"
_GLUE_TOKEN = re.compile(r"^(\W*)([^\W\d_]{4,})(\W*)$")
_ACRONYM_GLUE = re.compile(r"^([A-ZĐ]{2,})([a-zđ\u00c0-\u1ef9]{2,})$")
MIN_GLUED_PART = 2  # letters; one-letter words ("ở", "ý") are too easily OCR specks


def split_glued(text: str) -> str:
    """Words Tesseract read without the space between them (narrow spacing in table cells):
    "nghiệpvà" -> "nghiệp và", "Tínhminh" -> "Tính minh", "UBNDcác" -> "UBND các". A token is
    split only when it is no Vietnamese syllable, carries Vietnamese letters (loan words such as
    "Video" stay), and exactly one cut leaves two syllables (or an acronym and a syllable)."""
    return " ".join(_split_token(t) for t in text.split(" "))


def _split_token(token: str) -> str:
    m = _GLUE_TOKEN.match(token)
    if not m or m.group(2).isascii():
        return token
    lead, word, tail = m.groups()
    if is_syllable(word):
        return token
    if (a := _ACRONYM_GLUE.match(word)) and is_syllable(a.group(2)):
        return f"{lead}{a.group(1)} {a.group(2)}{tail}"
    cuts = [i for i in range(MIN_GLUED_PART, len(word) - MIN_GLUED_PART + 1)
            if _printed_syllable(word[:i]) and _printed_syllable(word[i:]) and not word[i:].isupper()]
    return f"{lead}{word[:cuts[0]]} {word[cuts[0]:]}{tail}" if len(cuts) == 1 else token


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STOP_FINAL = re.compile(r"(?:c|ch|p|t)$")


def _printed_syllable(word: str) -> bool:
    """A syllable as printed: is_syllable, and one closed by a stop (c, ch, p, t) carries its
    tone (is_syllable lets "tưp" pass, as OCR may drop a tone; here that would allow "tưp|háp")."""
    if not is_syllable(word):
        return False
    marked = any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", word))
    return marked or not _STOP_FINAL.search(word.lower())


def join_lines(lines: list[Line]) -> str:
    """Join wrapped lines; a word hyphenated at the line end ("75-" + "KH/HU") is re-glued."""
    text = ""
    for line in lines:
        part = line.text
        if text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


def _block(group: list[Line], page: int, page_width: int, unit: float) -> Block:
    text = repair_ocr_text(join_lines(group))
    centred = all(abs(_centre(line) - page_width / 2) < 2 * unit for line in group) and (
        group[0].right - group[0].left < page_width * 0.5
    )
    block = Block("paragraph", text, page=page, centered=centred)
    if _is_caps(text) and len(text) < 120:
        block.bold = True  # heading hint: bold is unknown in scans, ALL-CAPS short lines stand in
    return block


def page_blocks(result: PageOCR, first_page: bool) -> list[Block]:
    """Blocks of one OCR'd page in reading order: ruled tables become table Blocks (their words
    are not paragraphs too); single-column runs are re-flowed into paragraphs; a two-column
    region is read column by column (left, then right)."""
    grids = [pg.grid for pg in result.grids]
    words = [w for line in result.lines for w in line.words]
    tables = [(pg.grid.y0, table_block(pg, words, result.page, repair_ocr_text)) for pg in result.grids]
    free = _outside(result.lines, grids)
    unit = _unit(free or result.lines)
    lines = _drop_page_number(assign_columns(free, unit), result.width, result.height)
    cuts = sorted(y for y, _ in tables)
    chunks: list[list[Line]] = []  # runs of lines between tables
    for line in lines:
        if not chunks or any(chunks[-1][-1].bottom <= c <= line.top for c in cuts):
            chunks.append([])
        chunks[-1].append(line)
    items: list[tuple[float, list[Line] | Block]] = [(y, t) for y, t in tables if t.rows]
    items += [(chunk[0].top, chunk) for chunk in chunks]
    items.sort(key=lambda t: t[0])
    body = [line for line in lines if line.column is None]
    column = text_column(body, unit) if body else None
    out: list[Block] = []
    for i, (_, item) in enumerate(items):
        out += [item] if isinstance(item, Block) else _text_blocks(item, result, unit, first_page and i == 0, column)
    return out


def _outside(lines: list[Line], grids: list[Grid]) -> list[Line]:
    """The lines without the words that sit inside a table."""
    out = []
    for line in lines:
        keep = [w for w in line.words
                if not any(g.contains((w.left + w.right) / 2, (w.top + w.bottom) / 2) for g in grids)]
        if len(keep) == len(line.words):
            out.append(line)
        elif keep:
            out.append(Line(keep))
    return out


def _text_blocks(lines: list[Line], result: PageOCR, unit: float, first: bool,
                 column: tuple[float, float] | None = None) -> list[Block]:
    """Paragraphs and column regions of a run of lines (no table inside); `column` is the page's
    text column (for centred lines)."""

    def flow(run: list[Line], col: tuple[float, float] | None = column) -> list[Block]:
        return [_block(g, result.page, result.width, unit) for g in paragraphs(run, unit, result.width, col)]

    blocks: list[Block] = []
    for column_region, group in itertools.groupby(lines, key=lambda line: line.column is not None):
        run = list(group)
        if not column_region:
            blocks += flow(run)
            continue
        # The Decree 30 header is the document's first two-column region, before any body text.
        is_header = first and not blocks
        left = [line for line in run if line.column == 0]
        right = merge_same_height([line for line in run if line.column == 1], unit)
        if is_header:
            blocks += _header_cells(left, 0, result.page) + _header_cells(right, 1, result.page)
        else:
            # Right column = the signer block: one line per block ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH").
            # The left column (Nơi nhận) is measured on its own lines, not on the page's column.
            blocks += flow(left, None) + [_block([line], result.page, result.width, unit) for line in right]
    return blocks


def merge_same_height(lines: list[Line], unit: float) -> list[Line]:
    """Segments of one column at the same height as one line. Tesseract may hang the pieces of a
    line on different lines of the page (seen: a signer's name under a signature scrawl, its last
    word on the line of the left column above). Specks read between the pieces go: a word inside
    another word's box, or a mark without letters or digits well below the text height."""
    out: list[Line] = []
    for line in lines:
        mate = next((m for m in out if min(m.bottom, line.bottom) - max(m.top, line.top)
                     > 0.5 * min(m.bottom - m.top, line.bottom - line.top)), None)
        if mate is None:
            out.append(Line(list(line.words), line.column))
            continue
        words = sorted(mate.words + line.words, key=lambda w: w.left)
        mate.words = _unquoted([w for w in words if not _speck(w, words, unit)] or words)
    return out


_STRAY_QUOTES = "\"'`"


def _unquoted(words: list[Word]) -> list[Word]:
    """An unbalanced straight quote or backtick at a word's edge is a stroke of the scrawl."""
    if sum(w.text.count('"') for w in words) % 2 == 0 and not any("`" in w.text for w in words):
        return words
    out = [replace(w, text=w.text.strip(_STRAY_QUOTES)) for w in words]
    return [w for w in out if w.text]


def _speck(word: Word, words: list[Word], unit: float) -> bool:
    if not any(ch.isalnum() for ch in word.text) and word.bottom - word.top < 0.5 * unit:
        return True
    cx, cy = (word.left + word.right) / 2, (word.top + word.bottom) / 2
    return any(o is not word and o.left <= cx <= o.right and o.top <= cy <= o.bottom
               and (o.right - o.left) * (o.bottom - o.top) > (word.right - word.left) * (word.bottom - word.top)
               for o in words)


def _header_cells(lines: list[Line], column: int, page: int) -> list[Block]:
    """One header_cell per visual line of a header column (segments of one line are re-joined)."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and abs(line.top - rows[-1][0].top) < (line.bottom - line.top) / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    texts = [repair_ocr_text(" ".join(s.text for s in row)) for row in rows]
    return [Block("header_cell", t, page=page, column=column, centered=True) for t in texts]


def join_pages(per_page: dict[int, list[Block]]) -> list[Block]:
    """Pages in order as one block list; a paragraph cut by a page break (no sentence end, next
    page starting in lower case) is re-joined and keeps the page where it starts; a table that
    goes on at the top of the next page (same columns) is continued (repeated header rows,
    read with OCR noise, dropped; a row split by the break joined)."""
    terminal = _rules()["terminal"]
    out: list[Block] = []
    for page in sorted(per_page):
        blocks = list(per_page[page])
        if out and blocks:
            prev, first = out[-1], blocks[0]
            if (
                prev.kind == first.kind == "paragraph"
                and not terminal.search(prev.text)
                and first.text[:1].islower()
            ):
                prev.text = f"{prev.text} {first.text}"
                blocks = blocks[1:]
            elif prev.kind == first.kind == "table" and same_columns(prev, first):
                append_table(prev, first)
                blocks = blocks[1:]
        out += blocks
    for block in out:
        if block.kind == "table":
            repair_numbering(block)
    return out
