"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC fonts like .VnTime, VNI fonts like VNI-Times)
read as Latin-1 text: detection and conversion to Unicode NFC.

Old Word files and PDFs typed with these fonts carry text such as "KÕ ho¹ch" (TCVN3) or
"Keá hoaïch" (VNI) for "Kế hoạch". The mapping lives in pipeline/data/legacy_encodings.csv
(encoding, legacy sequence, Unicode). Run before `normalize_text`: TCVN3 writes "ư" as a soft
hyphen (U+00AD), which the text normalizer removes as an invisible character.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from pipeline.resources import read_csv

from .syllable import is_syllable

ENCODINGS = ("tcvn3", "vni")
_TOKEN = re.compile(r"\S+")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_MIN_SHARE = 0.03  # share of words with legacy characters below which a text is taken as Unicode


@cache
def _table(encoding: str) -> dict[str, str]:
    return {r["legacy"]: r["unicode"] for r in read_csv("legacy_encodings.csv") if r["encoding"] == encoding}


@cache
def _pattern(encoding: str) -> re.Pattern[str]:
    keys = sorted(_table(encoding), key=len, reverse=True)  # "oä" (ộ) before "ô" (ơ) alone
    return re.compile("|".join(re.escape(k) for k in keys))


@cache
def _signs() -> frozenset[str]:
    """Characters of legacy text that Unicode Vietnamese never uses as letters."""
    chars = {ch for enc in ENCODINGS for seq in _table(enc) for ch in seq if ord(ch) > 127}
    vietnamese = {ch for enc in ENCODINGS for uni in _table(enc).values() for ch in uni}
    return frozenset(chars - vietnamese)


def _upper_caps_runs(line: str) -> str:
    """TCVN3 capitals come from separate fonts (.VnTimeH) that draw the lower-case codes as
    capitals: a line whose plain letters are all upper case is upper case throughout."""
    words = [w for w in _TOKEN.findall(line) if len(_ASCII_LETTERS.findall(w)) >= 2]
    if words and all("".join(_ASCII_LETTERS.findall(w)).isupper() for w in words):
        return line.upper()
    return line


def convert_legacy(text: str, encoding: str) -> str:
    """Text in a legacy encoding (as Latin-1 characters) converted to Unicode NFC."""
    table = _table(encoding)
    if not table:
        raise ValueError(f"unknown legacy encoding: {encoding}")
    out = _pattern(encoding).sub(lambda m: table[m.group()], text)
    if encoding == "tcvn3":
        out = "\n".join(_upper_caps_runs(line) for line in out.split("\n"))
    return unicodedata.normalize("NFC", out)


def _valid_share(words: list[str]) -> float:
    letters = ["".join(ch for ch in w if ch.isalpha()).lower() for w in words]
    letters = [w for w in letters if w]
    return sum(is_syllable(w) for w in letters) / max(1, len(letters))


def _sign_class() -> str:
    return "".join(re.escape(ch) for ch in sorted(_signs()) if not ch.isspace())


@cache
def _any_sign() -> re.Pattern[str]:
    """One legacy sign anywhere (a character-set scan: the quick test for a Unicode text)."""
    return re.compile(f"[{_sign_class()}]")


@cache
def _odd_word() -> re.Pattern[str]:
    """A whole \\S+ word holding a legacy sign (found by the regex engine, not per character in
    Python); it starts only where a word starts, so a long word is not rescanned from each of its
    characters."""
    signs = _sign_class()
    return re.compile(rf"(?<!\S)[^\s{signs}]*[{signs}]\S*")


def detect_legacy_encoding(text: str) -> str | None:
    """'tcvn3', 'vni' or None: the encoding whose conversion turns the text's odd words into
    real Vietnamese syllables (a Unicode text with a stray '§' or '«' stays None)."""
    text = text[:200_000]
    if not _any_sign().search(text):  # a Unicode text
        return None
    odd = _odd_word().findall(text)  # the words (\S+ runs) holding a sign, in order
    if not odd:
        return None
    words = _TOKEN.findall(text)
    if len(odd) < _MIN_SHARE * len(words):
        return None
    sample = " ".join(odd[:2000])
    scores = {enc: _valid_share(_TOKEN.findall(convert_legacy(sample, enc))) for enc in ENCODINGS}
    best = max(scores, key=lambda enc: scores[enc])
    return best if scores[best] >= 0.6 else None
