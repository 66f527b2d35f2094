"""Segmenter: fills PlanDoc.outline (numbered headings and their bodies) and PlanDoc.sections
(the plan's parts with SCHEMA kinds).

How it works:
* the text is cut into lines (block by block; table cells are lines too, but only for the
  unnumbered markers such as "Nơi nhận" / the signature, which often sit in a layout table);
* a line is a numbered heading candidate when it starts with a numbering token (Phần I, I., 1.,
  1.1., a), (1), ...; "A." only in plans whose top parts are lettered A., B. above I., II.); the
  level of a numbering style comes from nesting (a stack of the styles as they appear), and a
  candidate is kept only when it continues the sequence of its style (so "2." after "1." of the
  same list, Roman numerals consecutive), or starts a new list;
* in documents read by OCR a misread numeral is read as the one its sequence expects when it looks
  like it ("H." after "I." is II, "II." after "II." is III, "S." after "4." is 5; look-alikes in
  pipeline/data/ocr_numerals.toml); text documents are read as written;
* unnumbered parts (closing "Trên đây là…", "Nơi nhận", signature, "Phụ lục") cut the outline;
* plans without numbered parts: unnumbered part headings (upper case, or a short bold line alone that
  names a section kind) are the top level;
* top-level headings are classified into section kinds by fuzzy matching against
  pipeline/data/headings.toml on accent-folded text.

`python -m pipeline.segment FILE` prints the outline tree and the sections of a file.
"""
from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from normalizers.text import fold, fold_same_length

from .model import Block, OutlineNode, PlanDoc, Section
from .resources import read_toml

REQUIRED_KINDS = ("purpose", "assignments", "funding", "implementation")


# --- text helpers -------------------------------------------------------------------------------

class _Gaps(dict):
    """str.translate table: [a-z0-9] kept, any other character a space (filled on first sight)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = kept = ch if "a" <= ch <= "z" or "0" <= ch <= "9" else " "
        return kept


_GAPS = _Gaps()


def fold_words(text: str) -> str:
    """Accent-folded lower-case words separated by single spaces (for fuzzy matching): the [a-z0-9]
    runs of fold(text) (a translate and a split: no regex match object per word)."""
    return " ".join(fold(text).translate(_GAPS).split())


_LEAD_MARKUP = re.compile(r"^[\s#>*_\\]+")
_TRAIL_MARKUP = re.compile(r"[\s#*_\\]+$")
_UPPER_OK = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]{2,}")


_ASCII_LOWER = re.compile(r"[a-z]")


def _is_upper(text: str) -> bool:
    if _ASCII_LOWER.search(text):  # most lines: a lower-case letter, found without listing letters
        return False
    letters = _UPPER_OK.findall(text)
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


# --- lines --------------------------------------------------------------------------------------

@dataclass
class _Line:
    start: int  # offsets of the line's text without leading/trailing markup
    end: int
    text: str
    block: Block
    first: bool  # first line of its block
    strong: bool  # heading block, bold, markdown heading/bold wrapper, or upper case
    table: bool  # inside a table (or a tab-separated row)
    key: str | None = None  # fold_same_length(text), sliced from the document's folded text
    ocr: bool = False  # the document was read by OCR: numerals may be misread (see _ocr_numeral)


def _lines(doc: PlanDoc) -> list[_Line]:
    out: list[_Line] = []
    # One fold of the whole text (per character, so a slice of it is the fold of the slice; the
    # extractors reuse it), instead of one per line and per numbering test.
    key = fold_same_length(doc.text)

    def add(start: int, end: int, block: Block, first: bool, table: bool) -> None:
        raw = doc.text[start:end]
        lead = _LEAD_MARKUP.match(raw)
        s = start + (lead.end() if lead else 0)
        trail = _TRAIL_MARKUP.search(doc.text, s, end) if s < end else None
        e = trail.start() if trail else end
        if e <= s:
            return
        text = doc.text[s:e]
        strong = (block.kind == "heading" or block.bold or raw.lstrip().startswith(("#", "**", "__"))
                  or _is_upper(text))
        out.append(_Line(s, e, text, block, first, strong, table or "\t" in text or " | " in text, key[s:e],
                         doc.ocr))

    for block in doc.blocks:
        if block.kind == "header_cell":
            continue
        if block.kind == "table":
            for row in block.rows or []:
                seen: set[int] = set()
                for cell in row:
                    if cell.start in seen or cell.end <= cell.start:
                        continue  # merged cells are repeated; read each once
                    seen.add(cell.start)
                    for s, e, first in _split(doc.text, cell.start, cell.end):
                        add(s, e, block, first, True)
            continue
        for s, e, first in _split(doc.text, block.start, block.end):
            add(s, e, block, first, False)
    return out


def _split(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_first) of the non-blank lines of text[start:end]."""
    pos = start
    first = True
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            yield pos, stop, first
            first = False
        pos = stop + 1


# --- numbering ----------------------------------------------------------------------------------

@dataclass
class _Num:
    key: str  # numbering style: 'phan', 'roman', 'arabic.', 'multi2', 'letter)', 'paren1', ...
    rank: int  # hierarchy prior: a lower rank is never nested below a higher rank
    value: int | tuple[int, ...]
    number: str  # as written: 'II', '1', '1.1', 'a', '(1)', 'thứ nhất'
    title_start: int  # offset in the line where the heading title starts
    alts: tuple[int, ...] = ()  # OCR'd Roman numerals: the values the token may stand for (_ocr_readings)


_BRACKET_RANK = 10
_PHAN = re.compile(r"(phan|chuong|muc)\s+(thu\s+[a-z]+|[ivxl]{1,6}|\d{1,2})(?=$|[\s.:\-–)])[\s.:\-–)]*")
_PART_WORDS = ("phan", "chuong", "muc", "label")  # numbered by a word: the path keeps the number only
_MULTI = re.compile(r"(\d{1,2}(?:\.\d{1,2}){1,3})\.?(?=\s|$)\s*")
_ARABIC = re.compile(r"(\d{1,2})\s*([.)])(?![\d/])\s*")
_PAREN = re.compile(r"\((\d{1,2}|[a-z])\)\s*")
_ROMAN = re.compile(r"([ivxl]{1,6})\s*[.\-–:)](?!\d)\s*")
_ROMAN_NO_SEP = re.compile(r"([ivxl]{1,6})\s+")  # "II NHIỆM VỤ" (OCR lost the dot): upper-case title only
_LETTER = re.compile(r"([a-z])\s*([.)])(?=\s|$)\s*")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman_value(s: str) -> int | None:
    total = 0
    values = [_ROMAN_VALUES[c] for c in s.lower()]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total if total > 0 and _to_roman(total) == s.upper() else None


def _ocr_roman(token: str) -> str | None:
    """An upper-case Roman numeral; OCR's lower-case 'l' for 'I' is repaired ('Il' -> 'II')."""
    if token.isupper():
        return token if token.isascii() else None  # "Í." folds to "i." but is no numeral as written
    if "l" in token and any(c in "IVX" for c in token) and token.replace("l", "I").isupper():
        return token.replace("l", "I")
    return None


def _to_roman(n: int) -> str:
    out = ""
    for v, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + sym, n - v
    return out


@lru_cache(maxsize=1)
def _config() -> dict:
    return read_toml("headings.toml")


def _letters() -> list[str]:
    return _config()["numbering"]["letters"].split()


_CAPITAL_RANK = 3  # lettered parts "A.", "B.": below Phần/Chương/Mục, above Roman numerals


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    """A task heading numbered by a label word ("Nhiệm vụ 1.", "Giải pháp 2:", headings.toml
    [numbering].labels): the word, an arabic number, then a separator or the end of the line (a
    sentence "Nhiệm vụ 2024 …" or "Nhiệm vụ 1 là …" is no heading)."""
    words = "|".join(re.escape(fold_words(w)).replace(r"\ ", r"\s+") for w in _config()["numbering"]["labels"])
    return re.compile(rf"({words})\s+(\d{{1,2}})\s*(?:$|[.:\-–)](?!\d)\s*)")


def labelled_number(text: str) -> tuple[str, str] | None:
    """(number, title) of a heading numbered by a label word: "Nhiệm vụ 2. Cải cách …" -> ("2",
    "Cải cách …"); None otherwise. For the extractors, which read list numbers themselves."""
    m = _label_pattern().match(fold_same_length(text))
    return (m.group(2), text[m.end():]) if m else None


def _parse_number(text: str, folded: str | None = None, capitals: bool = False, ocr: bool = False) -> _Num | None:
    """The numbering token at the start of a heading line, or None (`folded`: its
    fold_same_length, when the caller has it; `capitals`: the plan's top parts are lettered
    "A.", "B.", so an upper-case letter with a dot is a part number, see _capital_parts; `ocr`:
    the text was read by OCR, so a numeral may be misread, see _ocr_numeral and _ocr_arabic)."""
    folded = fold_same_length(text) if folded is None else folded
    if m := _PHAN.match(folded):
        word, token = m.group(1), m.group(2)
        if token.startswith("thu"):
            value = _config()["numbering"]["ordinals"].get(token.split()[-1])
        elif token.isdigit():
            value = int(token)
        else:
            value = _roman_value(token) if text[m.start(2):m.end(2)].isupper() else None
        if value is None:
            return None
        rank = {"phan": 0, "chuong": 1, "muc": 2}[word]
        return _Num(word, rank, value, text[m.start(1):m.end(2)], m.end())
    if m := _label_pattern().match(folded):
        # rank of an arabic "1.": below the Roman/Phần parts, and a "1." list inside it nests; one
        # list per label word ("Giải pháp 3" does not continue "Nhiệm vụ 2")
        word = " ".join(m.group(1).split())
        return _Num(f"label {word}", 5, int(m.group(2)), text[m.start(1):m.end(2)], m.end())
    if m := _MULTI.match(folded):
        parts = tuple(int(p) for p in m.group(1).split("."))
        return _Num(f"multi{len(parts)}", 4 + len(parts), parts, m.group(1), m.end())
    if m := _ARABIC.match(folded):
        sep = m.group(2)
        return _Num("arabic" + sep, 5 if sep == "." else _BRACKET_RANK, int(m.group(1)), m.group(1), m.end())
    if m := _PAREN.match(folded):
        token = text[m.start(1):m.end(1)]
        if token.isdigit():
            return _Num("paren1", _BRACKET_RANK, int(token), f"({token})", m.end())
        if token in _letters():
            return _Num("parena", _BRACKET_RANK, _letters().index(token) + 1, f"({token})", m.end())
        return None
    m = _ROMAN.match(folded) or ((m2 := _ROMAN_NO_SEP.match(folded)) and _is_upper(text[m2.end():]) and m2)
    if m and (token := _ocr_roman(text[m.start(1):m.end(1)])):
        if value := _roman_value(token):
            return _Num("roman", 4, value, token, m.end(), _ocr_readings(token) if ocr else ())
        return _ocr_numeral(text) if ocr else None
    if m := _LETTER.match(folded):
        token = text[m.start(1):m.end(1)]
        if token in _letters():
            return _Num("letter" + m.group(2), _BRACKET_RANK, _letters().index(token) + 1, token, m.end())
        if capitals and m.group(2) == "." and token.isupper() and token.lower() in _letters():
            return _Num("capital", _CAPITAL_RANK, _letters().index(token.lower()) + 1, token, m.end())
    return _ocr_numeral(text) if ocr else None


def _line_number(line: _Line, capitals: bool = False) -> _Num | None:
    return _parse_number(line.text, line.key, capitals, line.ocr)


# --- OCR'd numerals -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _ocr_glyphs() -> tuple[dict[str, tuple[str, ...]], re.Pattern[str]]:
    """{glyph: Roman strokes it may stand for} (pipeline/data/ocr_numerals.toml) and the pattern of
    a numeral made of such glyphs at the start of a line (with a separator, or a space before an
    upper-case title)."""
    spec = read_toml("ocr_numerals.toml")["roman"]
    glyphs = {"I": ("I",), "V": ("V",), "X": ("X",)} | {g: tuple(r) for g, r in spec["glyphs"].items()}
    chars = "".join(re.escape(g) for g in glyphs)
    return glyphs, re.compile(rf"([{chars}]{{1,{spec['max_len']}}})(?:\s*([.\-–:)])(?!\d)\s*|\s+(?=\S))")


@lru_cache(maxsize=256)
def _ocr_readings(token: str) -> tuple[int, ...]:
    """Values of the Roman numerals an OCR'd token may stand for: "H" -> (2,), "IIL" -> (2, 3),
    "Í" -> (1,), "II" -> (2,); () when a character is no look-alike."""
    glyphs = _ocr_glyphs()[0]
    if not token or any(c not in glyphs for c in token):
        return ()
    values = {_roman_value(s) for s in map("".join, itertools.product(*(glyphs[c] for c in token))) if s}
    return tuple(sorted(v for v in values if v))


def _stroke_variants(values: set[int]) -> set[int]:
    """Numerals one "I" stroke away from `values` ("II" -> I, III): OCR drops or doubles a stroke."""
    out: set[int] = set()
    for v in values:
        s = _to_roman(v)
        for t in {s + "I", "I" + s, *(s[:k] + s[k + 1:] for k, c in enumerate(s) if c == "I")}:
            if t and (w := _roman_value(t)):
                out.add(w)
    return out


def ocr_roman_as(token: str, expected: int, running: bool = False) -> str | None:
    """The Roman numeral `expected` (as "II") when an OCR'd `token` may be it: a look-alike ("H",
    "Í", "IL"), or, with `running` (earlier numerals of the sequence were read), one stroke away
    ("II" for III). None otherwise. For other numbered lists than the outline (table groups)."""
    looks = set(_ocr_readings(token))
    if running:
        looks |= _stroke_variants(looks)
    return _to_roman(expected) if expected in looks else None


def _heading_like(title: str) -> bool:
    """A part title: upper case, or naming a section kind."""
    return bool(title.strip()) and (_is_upper(title) or classify_heading(title)[0] is not None)


def _ocr_numeral(text: str) -> _Num | None:
    """A Roman part numeral as OCR misread it ("H.", "IL.", "IIL CHỈ TIÊU", "Í."), on a line whose
    title is a part heading: value = its smallest reading, alts = all readings (the numbering
    sequence picks the one it expects, see _ocr_sequence)."""
    m = _ocr_glyphs()[1].match(text)
    if not m or m.group(1).isdigit():
        return _ocr_arabic(text)
    title = text[m.end():]
    if not (m.group(2) or _is_upper(title)) or not _heading_like(title):
        return _ocr_arabic(text)
    alts = _ocr_readings(m.group(1))
    return _Num("roman", 4, alts[0], _to_roman(alts[0]), m.end(), alts) if alts else _ocr_arabic(text)


@lru_cache(maxsize=1)
def _ocr_digit_glyphs() -> tuple[dict[str, str], re.Pattern[str]]:
    """{glyph: digit} and the pattern of a list number as OCR misreads it: "S." for "5.", "2-" for
    "2.", before a capital letter."""
    glyphs = {g: d for g, d in read_toml("ocr_numerals.toml")["arabic"]["glyphs"].items()}
    chars = "".join(re.escape(g) for g in glyphs)
    return glyphs, re.compile(rf"([0-9{chars}]{{1,2}})\s*([.,\-])\s*(?=[^\W\d_])")


def _ocr_arabic(text: str) -> _Num | None:
    """A "1." list number OCR misread ("S. Thanh tra tỉnh:", "2- Tập trung …"), marked by its alts;
    _numbered takes it only as the exact next item of a running list, never as a list's start."""
    glyphs, pattern = _ocr_digit_glyphs()
    m = pattern.match(text)
    if not m or not text[m.end()].isupper() or (m.group(1).isdigit() and m.group(2) == "."):
        return None
    digits = "".join(glyphs.get(c, c) for c in m.group(1))
    value = int(digits)
    return _Num("arabic.", 5, value, str(value), m.end(), (value,)) if value > 1 else None


def _ocr_sequence(num: _Num, last: _Num | None, title: str) -> _Num:
    """OCR'd plans: a Roman numeral that looks like the one its sequence expects next is that one
    ("H." after "I." is II; "II." after "II." is III, a stroke lost). Read as written otherwise."""
    expected = last.value + 1 if last is not None and isinstance(last.value, int) else 1
    if num.value == expected:
        return num
    looks = {*num.alts, num.value}
    if last is not None:  # a lost or doubled stroke only where a running sequence says so
        looks |= _stroke_variants(looks)
    if expected in looks and _heading_like(title):
        return replace(num, value=expected, number=_to_roman(expected))
    return num


def _is_first(num: _Num, parent: _Num | None) -> bool:
    if isinstance(num.value, tuple):
        prefix_ok = (parent is None or not parent.key.startswith(("arabic.", "multi"))
                     or _tuple(parent.value) == num.value[:-1])
        return num.value[-1] == 1 and prefix_ok
    return num.value == 1


def _tuple(value: int | tuple[int, ...]) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value,)


def _follows(num: _Num, last: _Num, tolerant: bool) -> bool:
    """Does `num` continue the list whose last item is `last`?"""
    a, b = _tuple(last.value), _tuple(num.value)
    if a[:-1] != b[:-1]:
        return False
    step = b[-1] - a[-1]
    if step == 1:
        return True
    if num.key.startswith(("letter", "parena", "capital")):  # 'e' may follow 'd' (đ skipped)
        letters = _letters()
        if letters[a[-1] - 1] == "d" and letters[b[-1] - 1] == "e":
            return True
    return tolerant and 0 <= step <= _config()["numbering"]["max_gap"] + 1


# --- classification -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, str, bool], ...]:
    return tuple((kind, fold_words(p), bool(spec.get("nested")))
                 for kind, spec in _config()["kinds"].items() for p in spec["phrases"])


def _phrase_score(phrase: str, title: str) -> tuple[float, int]:
    if len(phrase) <= len(title):
        al = fuzz.partial_ratio_alignment(phrase, title)
        return (al.score, al.dest_start) if al else (0.0, 0)
    return fuzz.ratio(phrase, title), 0


@lru_cache(maxsize=2048)  # bounded; a heading is classified several times, and plans share headings
def classify_heading(title: str, nested: bool = False) -> tuple[str | None, float]:
    """Section kind of a heading title (numbering removed) and its score, or (None, best score).

    Nested (sub-)headings must be little more than the phrase itself: "3. Kinh phí thực hiện"
    is funding, "2. Công chức Kế toán: ... bố trí nguồn kinh phí" is not."""
    cfg = _config()["match"]
    if nested:
        title = re.split(r"[:(]", title, maxsplit=1)[0]
    folded = fold_words(title)
    if not folded:
        return None, 0.0
    best: tuple[float, int, int, str] | None = None
    for kind, phrase, can_nest in _phrases():
        if nested and (not can_nest or len(folded) > len(phrase) + cfg["nested_max_extra"]):
            continue
        score, pos = _phrase_score(phrase, folded)
        cand = (score, len(phrase), -pos, kind)
        if best is None or cand > best:
            best = cand
    if best is None:
        return None, 0.0
    threshold = cfg["nested_min_score"] if nested else cfg["top_min_score"]
    return (best[3] if best[0] >= threshold else None), best[0]


def also_kinds(title: str, primary: str) -> list[str]:
    """Other required kinds named verbatim in a top-level heading, after or before the primary one:
    "KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN" is implementation and also funding."""
    folded = f" {fold_words(title)} "
    found: dict[str, int] = {}
    for kind, phrase, _ in _phrases():
        if kind != primary and kind in REQUIRED_KINDS and f" {phrase} " in folded:
            found[kind] = max(found.get(kind, 0), len(phrase))
    return [k for k, n in found.items() if n >= _config()["match"]["also_min_chars"]]


# --- unnumbered markers -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _markers() -> dict[str, list[re.Pattern[str]]]:
    return {k: [re.compile(p) for p in v] for k, v in _config()["unnumbered"].items()}


def _marker(line: _Line) -> tuple[str, str | None] | None:
    """(kind, appendix number) when the line opens an unnumbered part."""
    folded = fold_words(line.text)
    m = _markers()
    if any(p.search(folded) for p in m["closing"]):
        return "closing", None
    if any(p.search(folded) for p in m["recipients"]):
        return "recipients", None
    if any(p.search(folded) for p in m["signature"]):
        return "signature", None
    if _is_upper(line.text) and len(line.text) <= 60 and any(p.search(folded) for p in m["signature_upper"]):
        return "signature", None
    for p in m["appendix"]:
        if (am := p.search(folded)) and _appendix_line(line.text, folded[am.end():]):
            num = am.group("num")
            return "appendix", (_written_token(line.text, num) if num else None)
    return None


def _appendix_line(text: str, rest: str) -> bool:
    """'Phụ lục 2', 'PHỤ LỤC I: ...', but not a sentence that starts with 'Phụ lục'."""
    return not rest.strip() or _is_upper(text) or len(text) <= 40


def _written_token(text: str, folded_token: str) -> str:
    m = re.search(r"\b" + re.escape(folded_token) + r"\b", fold_same_length(text)[len("phu luc"):])
    return text[len("phu luc") + m.start(): len("phu luc") + m.end()] if m else folded_token.upper()


# --- the segmenter ------------------------------------------------------------------------------

@dataclass
class _Entry:
    num: _Num
    node: OutlineNode
    dormant: bool = False  # a numbered part interrupted by an unnumbered one (its list may go on)


@dataclass
class _Cut:
    """An unnumbered part opening at `start`."""

    kind: str
    start: int
    heading: str
    number: str | None
    node: OutlineNode | None = None


def _hard_wrapped(lines: list[_Line]) -> bool:
    """Is the text hard-wrapped (many lines continue a sentence), as in unreflowed PDF text?"""
    body = [ln for ln in lines if not ln.table]
    starts_lower = sum(1 for ln in body if ln.text[:1].islower() and _WORD.match(ln.text))
    return len(body) >= 20 and starts_lower >= 0.08 * len(body)


def _wrapped(prev: _Line | None, line: _Line, hard_wrapped: bool) -> bool:
    """Does the line look like the continuation of a sentence wrapped from the previous line?"""
    if not line.first:
        return True
    if not hard_wrapped or prev is None or prev.strong or prev.table:
        return False
    last = fold_same_length(prev.text.rstrip()[-1:])
    return len(prev.text) >= 55 and (last.isalnum() or last in ",-")


_BARE = _Num("bare", -1, 0, "", 0)


def _bare_kind(line: _Line, capitals: bool = False) -> str | None:
    """Kind of an unnumbered upper-case part heading ("TỔ CHỨC THỰC HIỆN" on its own line)."""
    if line.table or not line.first or not _is_upper(line.text) or len(line.text) > 80:
        return None
    if _line_number(line, capitals) or _marker(line):
        return None
    kind, score = classify_heading(line.text)
    return kind if kind not in (None, "other") and score >= _config()["match"]["bare_min_score"] else None


_SENTENCE_END = ".:;!?"


def _soft_kind(line: _Line, prev: _Line | None, alone: bool, styled: bool) -> str | None:
    """Kind of an unnumbered sentence-case part heading ("Mục đích, yêu cầu" as a paragraph of its
    own), or None. Such a line is a body sentence unless everything says heading: it is a whole
    paragraph (`alone`), short, starts with a capital, has no sentence punctuation at its end, its
    words are a section phrase and little more (the strict sub-heading match), and it is bold or a
    heading. A document without reliable style (OCR, plain text: not `styled`) cannot show bold;
    there the previous paragraph must have ended a sentence, so that the line is no wrapped tail."""
    text = line.text
    if line.table or not alone or _is_upper(text) or len(text) > _config()["match"]["soft_max_chars"]:
        return None
    if not text[:1].isupper() or text[-1] in ".;,!?" or (text[-1] == ":" and not line.strong):
        return None
    if not line.strong and (styled or prev is None or prev.text.rstrip()[-1:] not in _SENTENCE_END):
        return None
    if _line_number(line) or _marker(line):
        return None
    kind = classify_heading(text, nested=True)[0]
    return kind if kind in REQUIRED_KINDS else None


def _soft_parts(doc: PlanDoc, lines: list[_Line]) -> dict[int, str]:
    """{line index: kind} of the sentence-case part headings of a plan whose parts are such lines,
    else {}. Guards: they come after some prose (not the title), before any numbered list item,
    and there are at least two of different kinds (one bold "Nhiệm vụ" line is no outline)."""
    styled = not doc.ocr and any(b.bold for b in doc.blocks if b.kind in ("paragraph", "heading"))
    found: dict[int, str] = {}
    prose = False
    for i, line in enumerate(lines):
        if line.table:
            continue
        if _marker(line) is not None:
            break
        if _line_number(line) is not None and not found:
            return {}
        alone = line.first and (i + 1 == len(lines) or lines[i + 1].block is not line.block)
        if prose and (kind := _soft_kind(line, lines[i - 1] if i else None, alone, styled)):
            found.setdefault(i, kind)
        prose = prose or (not line.strong and len(line.text) >= 40)
    return found if len(set(found.values())) >= 2 else {}


def _bare_body_start(lines: list[_Line], capitals: bool = False) -> int | None:
    """For plans without numbered parts: the first unnumbered part heading after some prose (so
    that upper-case title lines such as "KẾ HOẠCH THỰC HIỆN ..." are not taken for one)."""
    prose = False
    for i, line in enumerate(lines):
        if prose and _bare_kind(line, capitals):
            return i
        prose = prose or (not line.strong and not line.table and len(line.text) >= 40)
    return None


def _capital_parts(lines: list[_Line]) -> bool:
    """Are the plan's top parts lettered ("A. MỤC ĐÍCH, YÊU CẦU", "B. NHIỆM VỤ ...", Roman numerals
    inside)? Yes when a heading-looking "A." (bold or upper case, or its title names a section kind)
    comes before any "I." or "1." heading and before the closing parts, and a "B." follows.
    Elsewhere "A." is no numbering (lists inside parts, tables, appendices keep their old reading)."""
    seen_a = False
    for line in lines:
        if line.table or not line.first:
            continue
        if _marker(line) is not None:
            return False
        num = _line_number(line, capitals=True)
        if num is None:
            continue
        title = line.text[num.title_start:]
        if num.key == "capital" and title and (line.strong or classify_heading(title)[0] not in (None, "other")):
            if num.value == 1 and not seen_a:
                seen_a = True
            elif num.value == 2 and seen_a:
                return True
        elif not seen_a and num.value in (1, (1,)) and num.key in ("roman", "arabic."):
            return False
    return False


def _top_kind(node: OutlineNode) -> str:
    node.kind = node.kind or classify_heading(node.heading[_title_start(node.heading):])[0] or "other"
    return node.kind


def _body_start(lines: list[_Line], capitals: bool = False, soft: dict[int, str] | None = None) -> int | None:
    """Index of the first top-level heading: the first 'Phần/Chương/A./I.' heading, else the first
    '1.' whose title names a section kind, else the first unnumbered part heading (upper case,
    then sentence case: `soft`), else the first '1.'."""
    firsts: list[tuple[int, _Num]] = []
    soft_first = min(soft) if soft else len(lines)
    for i, line in enumerate(lines):
        if line.table:
            continue
        if i == soft_first:
            # sentence-case part headings before any numbered part are the top level; a Roman list
            # below them ("I. Chỉ số …" inside "Nội dung và phân công nhiệm vụ") is their content
            return i
        num = _line_number(line, capitals)
        if num and num.value in (1, (1,)) and num.key in ("phan", "chuong", "muc", "capital", "roman"):
            return i
        if num and _ocr_first_part(num, line):
            return i
        if num and num.key == "arabic." and num.value == 1:
            firsts.append((i, num))
    for i, num in firsts:
        if classify_heading(lines[i].text[num.title_start:])[0] not in (None, "other"):
            return i
    bare = _bare_body_start(lines, capitals)
    if bare is None and soft:
        bare = min(soft)
    return bare if bare is not None else (firsts[0][0] if firsts else None)


def _ocr_first_part(num: _Num, line: _Line) -> bool:
    """An OCR'd "I." misread as another Roman numeral ("L. KẾT QUẢ ..." read as fifty): a numeral
    that may read as one, on a line whose title is a part heading (no plan starts at part L)."""
    return (line.ocr and num.key == "roman" and num.value != 1 and 1 in num.alts
            and _heading_like(line.text[num.title_start:]))


def segment(doc: PlanDoc) -> PlanDoc:
    doc.outline, doc.sections = [], []
    if not doc.text:
        return doc
    lines = _lines(doc)
    capitals = _capital_parts(lines)
    soft = _soft_parts(doc, lines)
    body = _body_start(lines, capitals, soft)
    if body is None or body not in soft:
        soft = {}  # sentence-case part headings only where they are the plan's top level
    hard_wrapped = _hard_wrapped(lines)
    nodes: list[OutlineNode] = []
    cuts: list[_Cut] = []
    stack: list[_Entry] = []
    prefix = ""  # "Phụ lục 4/" inside appendices
    mode = "body" if body is not None else "tail"  # body: numbered parts; tail: after them
    base_level = 0  # 1 inside an appendix (its own node is level 1)
    prev: _Line | None = None
    family: dict[int, tuple[str, int | None]] = {}  # id(node) -> (numbering style, id(parent))
    seen_kinds: set[str] = set()  # kinds of the top-level parts so far
    title_line = -1  # a line taken as the title of the numbered heading before it
    for i, line in enumerate(lines):
        if body is not None and i < body:
            continue
        mark = _marker(line)
        if mark and line.table and not (mark[0] == "recipients" or (mark[0] == "signature" and cuts
                                                                     and cuts[-1].kind == "recipients")):
            mark = None  # in a table only the layout cells "Nơi nhận" | signature open parts
        if mark and mark[0] != "appendix" and (mode == "appendix" or (cuts and cuts[-1].kind == mark[0])
                                               or (mark[0] == "closing" and cuts)):
            mark = None
        if mark:
            kind, number = mark
            cut = _Cut(kind, line.start, line.text, number)
            cuts.append(cut)
            stack = []
            if kind == "appendix":
                label = "Phụ lục" + (f" {number}" if number else "")
                cut.node = OutlineNode(1, number, line.text, line.start, line.end, len(doc.text),
                                       doc.page_at(line.start), label, "appendix")
                nodes.append(cut.node)
                prefix, mode, base_level = label + "/", "appendix", 1
            else:
                mode = "tail"
            prev = line
            continue
        if i == title_line:
            prev = line
            continue
        if mode == "body" and (kind := _bare_kind(line, capitals) or soft.get(i)) and kind not in seen_kinds:
            node = OutlineNode(1, None, line.text, line.start, line.end, len(doc.text), doc.page_at(line.start),
                               "", kind)
            nodes.append(node)
            seen_kinds.add(kind)
            top = next((e for e in stack if e.num.key != "bare"), None)
            stack[:] = ([_Entry(top.num, top.node, True)] if top else []) + [_Entry(_BARE, node)]
            prev = line
            continue
        if mode != "tail" and not line.table:
            guarded = not line.strong and _wrapped(prev, line, hard_wrapped)
            for sub, inline in _candidates(line):
                node = _numbered(doc, sub, stack, base_level, prefix, guarded, inline, capitals)
                if not node:
                    continue
                nodes.append(node)
                untitled = not inline and not fold_words(line.text[_title_start(line.text):])
                if untitled and i + 1 < len(lines) and _take_title_line(node, lines[i + 1], capitals):
                    title_line = i + 1
                if node.level == 1:
                    seen_kinds.add(_top_kind(node))
                parent = stack[-2].node if len(stack) > 1 else None
                family[id(node)] = (stack[-1].num.key, id(parent) if parent else None)
        prev = line
    nodes = _drop_lone_footnotes(nodes, family)
    _close_nodes(nodes, cuts, len(doc.text))
    doc.outline = nodes
    doc.sections = _sections(doc, nodes, cuts)
    return doc


def _title_start(heading: str) -> int:
    num = _parse_number(heading, capitals=True)  # the heading of a node: "A." is its number if anything
    return num.title_start if num else 0


def _take_title_line(node: OutlineNode, nxt: _Line, capitals: bool = False) -> bool:
    """'PHẦN THỨ NHẤT' alone on its line: its title is the next line (heading = both, one line)."""
    if nxt.table or _line_number(nxt, capitals) is not None or _marker(nxt) is not None:
        return False
    node.heading = f"{node.heading} {nxt.text}"
    node.heading_end = nxt.end
    return True


_INLINE = re.compile(r"\s([a-zđ]\))\s+(\S)")


def _candidates(line: _Line) -> Iterator[tuple[_Line, bool]]:
    """The line itself, then a lettered item run into it ("... UBND xã a) Giao Công chức ...", as in
    DOCX paragraphs that merged a lead line with the first item): (sub-line, inline). Several
    items in one line are an enumeration inside a sentence, not headings."""
    yield line, False
    found = list(_INLINE.finditer(line.text))
    for m in found if len(found) == 1 else ():
        before = fold_words(line.text[:m.start()]).rsplit(" ", 1)[-1]
        if m.group(2)[0].isupper() and before not in _config()["numbering"]["inline_not_after"]:
            s = line.start + m.start(1)
            key = line.key[m.start(1):] if line.key is not None else None
            yield _Line(s, line.end, line.text[m.start(1):], line.block, False, False, False, key,
                        line.ocr), True


def _numbered(doc: PlanDoc, line: _Line, stack: list[_Entry], base_level: int, prefix: str,
              guarded: bool, inline: bool, capitals: bool = False) -> OutlineNode | None:
    """Push the line on the numbering stack when it is a heading that fits the outline.

    `guarded`: the line may be a wrapped sentence, so only an exact continuation of a list counts;
    `inline`: an item inside a line, accepted only as the exact next item of a bracketed list."""
    num = _line_number(line, capitals and not prefix)  # appendices keep "A." unread
    if num is None or num.title_start >= len(line.text) and not num.key.startswith((*_PART_WORDS, "roman")):
        return None
    if inline and num.rank < _BRACKET_RANK:
        return None
    at = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].num.key == num.key), None)
    if num.key == "roman" and line.ocr:
        num = _ocr_sequence(num, stack[at].num if at is not None else None, line.text[num.title_start:])
    if num.key == "arabic." and num.alts and (at is None or not _follows(num, stack[at].num, tolerant=False)):
        return None  # an OCR look-alike ("S." for "5.") only continues a running list
    if at is not None:
        last = stack[at].num
        tolerant = not inline and not guarded and (num.rank >= _BRACKET_RANK or line.strong)
        if num.key == "roman":  # Roman parts are consecutive, unless OCR misread one that names a part
            tolerant = tolerant and classify_heading(line.text[num.title_start:])[0] is not None
        if not _follows(num, last, tolerant=False) and not (tolerant and _follows(num, last, tolerant=True)):
            return None
        if num.key == "roman" and isinstance(last.value, int) and num.value != last.value + 1:
            # accepted as a part heading, so OCR misread its numeral ("III." read as "II."): a plan
            # has no two parts II, so store the numeral the sequence requires
            num = replace(num, value=last.value + 1, number=_to_roman(last.value + 1))
        del stack[at:]
    else:
        parent = next((e.num for e in reversed(stack) if e.num.rank < num.rank), None)
        if (guarded and not inline) or not _is_first(num, parent):
            return None
        while stack and stack[-1].num.rank > num.rank:
            stack.pop()
    level = base_level + sum(not e.dormant for e in stack) + 1
    path = prefix + _path([e.num for e in stack if not e.dormant] + [num])
    node = OutlineNode(level, num.number, line.text, line.start, line.end, len(doc.text),
                       doc.page_at(line.start), path)
    stack.append(_Entry(num, node))
    return node


def _drop_lone_footnotes(nodes: list[OutlineNode], family: dict[int, tuple[str, int | None]]
                         ) -> list[OutlineNode]:
    """A lone "(1)" with neither siblings nor children is a footnote mark, not a list."""
    groups: dict[tuple[str, int | None], int] = {}
    parents = {p for _, p in family.values()}
    for key in family.values():
        groups[key] = groups.get(key, 0) + 1
    return [n for n in nodes if not (id(n) in family and family[id(n)][0].startswith("paren")
                                     and groups[family[id(n)]] == 1 and id(n) not in parents)]


def _path(nums: list[_Num]) -> str:
    """'II.1.a'; a multi-level number subsumes its parents ('II' + '1' + '1.1' -> 'II.1.1')."""
    parts = []
    for k, n in enumerate(nums):
        nxt = nums[k + 1] if k + 1 < len(nums) else None
        if nxt and nxt.key.startswith("multi") and nxt.number.startswith(n.number + "."):
            continue
        if n.number:
            parts.append(_part_number(n) if n.key.startswith(_PART_WORDS) else n.number)
    return ".".join(parts)


def _part_number(n: _Num) -> str:
    """A part's number without its word, as an outline path writes it: 'Phần III' -> 'III',
    'Phần thứ hai' -> '2', 'Mục 2' -> '2', 'Nhiệm vụ 3' -> '3'."""
    if n.key.startswith("label"):
        return str(n.value)
    token = n.number.split(None, 1)[-1]
    return str(n.value) if fold_words(token).startswith("thu ") else token.upper()


def _close_nodes(nodes: list[OutlineNode], cuts: list[_Cut], text_end: int) -> None:
    """Node end = start of the next node at the same or a higher level, or of the next cut
    (an appendix node, being a cut itself, runs to the next cut)."""
    events = sorted([(n.start, n.level, n) for n in nodes if n.kind != "appendix"]
                    + [(c.start, 0, c.node) for c in cuts], key=lambda e: e[0])
    for k, (_, level, node) in enumerate(events):
        if node is not None:
            node.end = next((s for s, lv, _ in events[k + 1:] if lv <= level), text_end)


def _sections(doc: PlanDoc, nodes: list[OutlineNode], cuts: list[_Cut]) -> list[Section]:
    tops: list[Section] = []
    for node in nodes:
        if node.level == 1 and node.kind != "appendix":
            _top_kind(node)
            tops.append(Section(0, node.kind, node.number, node.heading, node.start, 0,
                                doc.page_at(node.start), node))
    for cut in cuts:
        tops.append(Section(0, cut.kind, cut.number, cut.heading, cut.start, 0, doc.page_at(cut.start),
                            cut.node))
    tops.sort(key=lambda s: s.start)
    if not tops or tops[0].start > 0:
        tops.insert(0, Section(0, "preamble", None, "", 0, 0, doc.page_at(0)))
    for k, sec in enumerate(tops):
        sec.end = tops[k + 1].start if k + 1 < len(tops) else len(doc.text)
    present = {s.kind for s in tops}
    nested: list[Section] = []
    for sec in tops:
        if sec.node is not None and sec.kind in REQUIRED_KINDS:
            for kind in also_kinds(sec.node.heading[_title_start(sec.node.heading):], sec.kind):
                if kind not in present:
                    present.add(kind)
                    nested.append(Section(0, kind, sec.number, sec.heading, sec.start, sec.end, sec.page,
                                          sec.node, level=2))
    for node in nodes:
        if node.level != 2 or node.path.startswith("Phụ lục"):
            continue
        title = node.heading[_title_start(node.heading):]
        kind = classify_heading(title, nested=True)[0]
        if kind in REQUIRED_KINDS and kind not in present:
            present.add(kind)
            nested.append(Section(0, kind, node.number, node.heading, node.start, node.end,
                                  doc.page_at(node.start), node, level=2))
    out = sorted(tops + nested, key=lambda s: (s.start, s.level))
    for k, sec in enumerate(out, 1):
        sec.seq = k
    return out


# --- debugging CLI ------------------------------------------------------------------------------

def _main(argv: list[str]) -> int:
    from pathlib import Path

    from .run import load_plan

    for arg in argv:
        doc = load_plan(Path(arg))
        print(f"== {arg}: {len(doc.text)} chars, {len(doc.blocks)} blocks")
        for node in doc.outline:
            kind = f" [{node.kind}]" if node.kind else ""
            print(f"{'  ' * (node.level - 1)}{node.path}{kind}  {node.heading[:90]!r}  "
                  f"@{node.start}-{node.end}" + (f" p{node.page}" if node.page else ""))
        print("-- sections")
        for s in doc.sections:
            print(f"{s.seq:3} {'  ' * (s.level - 1)}{s.kind:15} {s.number or '':8} {s.start:6}-{s.end:<6} "
                  f"{s.heading[:70]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
