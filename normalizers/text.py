"""Text normalization applied to every block before the PlanText is assembled.

One canonical form for everything downstream: NFC, one tone-mark placement (the tone sits on the
main vowel of open oa/oe/uy syllables: hóa, thủy, khỏe; on the second vowel when a final follows:
hoàng, toán), no invisible characters, plain spaces, ASCII dashes and quotes, "- " bullets.
Idempotent, never raises, returns NFC.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Invisible characters that only break matching (zero-width, soft hyphen, bidi marks, BOM).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\u202a-\u202e\ufeff]")
# C0/C1 controls other than tab/newline carry no text (DOCX/PDF extraction leftovers).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACE_CHARS = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # a plain space first
# The runs of spaces that one plain space replaces, except those it would leave as they are (a
# single plain space: replacing each by itself cost a third of normalize_text).
_SPACE_RUNS = re.compile(f"[{_SPACE_CHARS}]{{2,}}|[{_SPACE_CHARS[1:]}]")
_LINE_EDGE_SPACES = re.compile(" *\n *")
_DASHES = re.compile("[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02]|''")
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u2032]")
# Bullet glyphs (incl. Symbol/Wingdings private-use code points) -> "- ".
# Mid-line only unambiguous glyphs; at a line start also squares, arrows, middle dot, en/em dash.
_BULLET_CHARS = "\u2022\u25e6\u25aa\u25cf\ue000-\uf8ff"
_BULLET = re.compile(f"[{_BULLET_CHARS}]")
_BULLET_LINE_START = re.compile(
    f"^ *[{_BULLET_CHARS}\u2023\u2043\u25ab\u25cb\u25a0\u25a1\u25c6\u25c7\u2219\u00b7\u27a2\u2756"
    "\u2013\u2014] *",
    re.M,
)

# Tone marks (combining) versus vowel-quality marks (circumflex, breve, horn) which stay put.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_INITIALS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x",
)
# Finals after oa/oe (consonants and the glides of oai, oay, oeo) and after uy (consonants).
_OA_FINALS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o")
_UY_FINALS = ("", "c", "ch", "n", "nh", "p", "t")
_SYLLABLE = re.compile(
    "^(?P<init>" + "|".join(sorted(_INITIALS, key=len, reverse=True)) + ")"
    r"(?P<nuc>oa|oe|uy)(?P<fin>[a-z]*)$"
)
_QU = re.compile(r"^qu(?P<rest>[a-zăâêôơư]+)$")


def _split_tone(ch: str) -> tuple[str, str]:
    """A letter -> (letter without tone, tone mark or "")."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in _TONES)
    if not tone:
        return ch, ""
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES)), tone


@lru_cache(maxsize=65536)
def _fix_word(word: str) -> str:
    """Move the tone mark of an oa/oe/uy (or qu+vowel) syllable to its canonical vowel."""
    parts = [_split_tone(c) for c in word]
    toned = [i for i, (_, t) in enumerate(parts) if t]
    if len(toned) != 1 or len(parts[toned[0]][1]) != 1:
        return word
    bare = "".join(p for p, _ in parts)
    low = bare.lower()
    target = None
    m = _SYLLABLE.match(low)
    if m:
        nuc_at = m.end("init")
        fin = m.group("fin")
        finals = _OA_FINALS if m.group("nuc") != "uy" else _UY_FINALS
        if fin in finals:
            target = nuc_at if not fin else nuc_at + 1
    else:
        q = _QU.match(low)
        if q and toned[0] == 1:  # "qúy" -> "quý": the u of qu is never the nucleus
            target = 3 if q.group("rest").startswith("yê") else 2
    if target is None or target == toned[0]:
        return word
    tone = parts[toned[0]][1]
    out = [p for p, _ in parts]
    out[target] = unicodedata.normalize("NFC", out[target] + tone)
    return "".join(out)


def _family(base: str) -> str:
    """Every Latin letter whose tone-less lower-case form (as _fix_word sees it) is `base`."""
    codes = [*range(0x41, 0x250), *range(0x1E00, 0x1F00), *range(0x2100, 0x2150)]
    return "".join(sorted({c for c in map(chr, codes) if _split_tone(c)[0].lower() == base}))


# A word _fix_word may change: its tone-less form holds oa, oe or uy, or starts with qu (any
# other word it returns as is). Only these words pay for the Python call.
_O, _A, _E, _U, _Y, _Q = (_family(c) for c in "oaeuyq")
_TONE_CANDIDATE = re.compile(
    rf"(?<![^\W\d_])(?:(?=[^\W\d_]*?(?:[{_O}][{_A}{_E}]|[{_U}][{_Y}]))|(?=[{_Q}][{_U}]))[^\W\d_]+")


def _class_chars(pattern: re.Pattern[str]) -> str:
    """The characters of a one-character-class pattern such as _DASHES ("[\\u2010-\\u2015…]")."""
    body = pattern.pattern.split("|")[0].strip("[]")
    out = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out += map(chr, range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


# _BULLET, _DASHES, _SINGLE_QUOTES and the one-character part of _DOUBLE_QUOTES as one table
_PUNCTUATION = str.maketrans({ch: to for pattern, to in ((_BULLET, "-"), (_DASHES, "-"), (_SINGLE_QUOTES, "'"),
                                                         (_DOUBLE_QUOTES, '"')) for ch in _class_chars(pattern)})


def _fix_tones(text: str) -> str:
    return _TONE_CANDIDATE.sub(lambda m: _fix_word(m.group()), text)


def normalize_text(raw: str) -> str:
    """Normalize one block's text; never raises, idempotent, NFC out."""
    if not raw:
        return ""
    text = _INVISIBLE.sub("", raw)
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACE_RUNS.sub(" ", text)
    text = _BULLET_LINE_START.sub("- ", text)
    # bullets, dashes and quotes in one pass (disjoint sets of single characters), then '' as "
    text = text.translate(_PUNCTUATION).replace("''", '"')
    text = _fix_tones(text)
    # each line's spaces collapsed and stripped (runs never cross a line break)
    text = _LINE_EDGE_SPACES.sub("\n", _SPACE_RUNS.sub(" ", text)).strip(" ")
    return unicodedata.normalize("NFC", text).strip("\n ")


_FOLD_SPACES = re.compile(r"\s+")


class _DropCombining(dict):
    """str.translate table deleting combining marks, filled on first sight of each character
    (translate runs in C; the table holds one entry per distinct character seen)."""

    def __missing__(self, code: int) -> str | None:
        self[code] = kept = None if unicodedata.combining(chr(code)) else chr(code)
        return kept


_DROP_COMBINING = _DropCombining()


@lru_cache(maxsize=8192)  # bounded: a worker's memory stays flat over thousands of plans
def fold(s: str) -> str:
    """Accent-insensitive key: lowercase, no diacritics (đ -> d), single spaces, stripped."""
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return _FOLD_SPACES.sub(" ", d.translate(_DROP_COMBINING).lower()).strip()


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    low = unicodedata.normalize("NFD", ch)[0].lower()
    return low if len(low) == 1 else ch


class _FoldTable(dict):
    """str.translate table filled on first sight of each character (translate runs in C)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


_LAST_FOLD: tuple[str, str] = ("", "")  # (text, folded) of the last long text


def fold_same_length(text: str) -> str:
    """Lowercase, accent-free copy of `text` with the same length, so regex match offsets on
    the folded copy are offsets into `text` (fold() collapses spaces and cannot promise that)."""
    global _LAST_FOLD
    last = _LAST_FOLD
    if text is last[0]:  # the same string object: several extractors fold one document's text
        return last[1]
    folded = text.translate(_FOLD_TABLE)
    if len(text) > 2000:
        _LAST_FOLD = (text, folded)
    return folded
