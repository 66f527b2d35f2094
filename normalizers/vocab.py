"""Conservative vocabulary-driven repair of OCR noise and typos.

Vocabulary: units.csv (canonical names, abbreviations, variants), indices.csv (names, aliases)
and vocabulary.csv (genre headings, titles, terms, acronyms). Three repairs, each one word:

* abbreviation: an unknown all-caps token that is not a Vietnamese syllable, at edit distance 1
  (after OCR confusions such as II→H) from exactly one known acronym with the same first letter:
  "VHXXH" → "VHXH", "TTIIC" → "TTHC", "DCCI" → "DDCI";
* noise word: a word that is not a Vietnamese syllable ("Tur"), inside a phrase whose other words
  match a vocabulary phrase exactly: "Tur pháp" → "Tư pháp";
* near phrase: in a vocabulary phrase of 3+ words with every other word exact, a word at edit
  distance 1 from the phrase word: "Tín minh bạch" → "Tính minh bạch", "Chỉ phí không chính thức"
  → "Chi phí …" — unless the word forms a dictionary compound with a neighbour ("cơ hội kinh
  doanh" stays, "cung cấp" stays).

A known word or a well-formed text phrase is never touched; ambiguous candidates are skipped.
The compound dictionary is underthesea's Viet74K word list (read as a file, without importing the
package); without it the near-phrase repair is simply off.
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import ne
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from pipeline.resources import read_csv, split_list

from .syllable import is_syllable
from .text import normalize_text

_WORD = re.compile(r"[^\W\d_]+")
_WORD_SPLIT = re.compile(r"([^\W\d_]+)")
# Separators allowed between the words of one phrase occurrence (no line break, no sentence end).
_LINKS = frozenset({" ", "-", " -", "- ", " - "})
_OLD_TONES = re.compile("o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ]")  # dictionary lines needing the tone convention
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
# Typical OCR confusions, tried as alternatives to the token as read.
_OCR_CONFUSIONS = (("II", "H"), ("ur", "ư"), ("or", "ơ"), ("Ur", "Ư"), ("Or", "Ơ"), ("rn", "m"))
# Anchor offsets by phrase length: the two ends of 3 words, head/tail pairs of 4-5 words, head/tail
# triples from 6 words on (short, common heads such as "chỉ số" would match too often).
_ANCHORS = {3: (0, 2), 4: (0, 1), 5: (0, 1), 6: (0, 1, 2)}


@dataclass
class _Vocab:
    abbrs: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    by_word: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    # (offsets, words at those offsets) -> phrases holding them from index i. Only head and tail
    # pairs or triples (and the ends of a 3-word phrase): a phrase with one word off keeps one.
    anchors: dict[tuple[tuple[int, ...], tuple[str, ...]], list[tuple[tuple[str, ...], int]]] = field(
        default_factory=dict)
    # the same anchors grouped by offsets: offsets -> {words at those offsets: phrases}
    anchor_tables: list[tuple[tuple[int, ...], dict[tuple[str, ...], list[tuple[tuple[str, ...], int]]]]] = field(
        default_factory=list)


def _entries() -> list[str]:
    out: list[str] = []
    for row in read_csv("units.csv"):
        out += [row.get("canonical") or ""] + split_list(row.get("abbreviations"))
        out += split_list(row.get("variants"))
    for row in read_csv("indices.csv"):
        out += [row.get("name_vi") or "", row.get("family") or ""] + split_list(row.get("aliases"))
    out += [row.get("entry") or "" for row in read_csv("vocabulary.csv")]
    return [normalize_text(e) for e in out if e.strip()]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    v = _Vocab()
    for entry in _entries():
        toks = _WORD.findall(entry)
        v.abbrs.update(t for t in toks if len(t) >= 2 and t.isupper())
        words = tuple(t.lower() for t in toks)
        v.words.update(words)
        if len(words) < 2:
            continue
        v.phrases.add(words)
    for ph in v.phrases:
        for i, w in enumerate(ph):
            v.by_word.setdefault(w, []).append((ph, i))
        n = len(ph)
        if n >= 3:
            offs = _ANCHORS[min(n, 6)]
            for i, off in ((0, offs), (n - 1 - offs[-1], offs)):
                key = (off, tuple(ph[i + o] for o in off))
                v.anchors.setdefault(key, []).append((ph, i))
    tables: dict[tuple[int, ...], dict[tuple[str, ...], list[tuple[tuple[str, ...], int]]]] = {}
    for (off, at), found in v.anchors.items():
        tables.setdefault(off, {})[at] = found
    v.anchor_tables = sorted(tables.items())
    return v


@lru_cache(maxsize=1)
def _compounds() -> frozenset[tuple[str, str]] | None:
    """Two-syllable words of the Viet74K dictionary (lowercase, this module's tone convention)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "corpus" / "data" / "Viet74K.txt"
    try:
        lines = path.read_text(encoding="utf-8").lower().split("\n")
    except OSError:
        return None
    pairs = ((normalize_text(line) if _OLD_TONES.search(line) else line).split()
             for line in lines if line.count(" ") == 1)
    return frozenset((p[0], p[1]) for p in pairs if len(p) == 2)


def _in_compound(words: list[str], i: int) -> bool | None:
    """Whether words[i] forms a dictionary word with a neighbour; None without a dictionary."""
    comp = _compounds()
    if comp is None:
        return None
    return (i > 0 and (words[i - 1], words[i]) in comp) or (
        i + 1 < len(words) and (words[i], words[i + 1]) in comp)


def _variants(token: str) -> list[str]:
    out = [token]
    out += [token.replace(a, b) for a, b in _OCR_CONFUSIONS if a in token]
    return out


def _distance(token: str, target: str) -> int:
    return min(Levenshtein.distance(t, target, score_cutoff=2) for t in _variants(token))


def _same_letter(a: str, b: str) -> bool:
    return a == b or {a, b} == {"D", "Đ"}


@lru_cache(maxsize=8192)
def _repair_abbr(raw: str) -> str | None:
    """The known acronym an all-caps token was meant to be, or None."""
    v = _vocab()
    token = raw.replace("l", "I")  # OCR reads the I of acronyms as l: "DDCl"
    if token in v.abbrs and token != raw:
        return token
    if token in v.abbrs or len(token) < 4 or _ROMAN.match(token) or is_syllable(token):
        return None
    near = [(_distance(token, k), k) for k in v.abbrs if len(k) >= 3 and _same_letter(k[0], token[0])]
    near = [(d, k) for d, k in near if d <= 1]
    best = [k for d, k in near if d == min(near)[0]] if near else []
    return best[0] if len(best) == 1 else None


def _match_case(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _phrase_fix(words: list[str], linked: list[bool], start: int,
                phrase: tuple[str, ...]) -> tuple[int, str] | None:
    """(word index, vocabulary word) when the phrase fits at `start` with one word off by one edit."""
    end = start + len(phrase)
    if start < 0 or end > len(words) or not all(linked[start:end - 1]):
        return None
    here = tuple(words[start:end])
    if here in _vocab().phrases:  # the phrase itself (the common case) or another known phrase
        return None
    if sum(map(ne, here, phrase)) != 1:
        return None
    off = [i for i, (w, p) in enumerate(zip(here, phrase, strict=True)) if w != p]
    k = start + off[0]
    if _distance(words[k], phrase[off[0]]) > 1:
        return None
    # A real-looking word changes only inside a long phrase and when it is no part of a compound.
    if is_syllable(words[k]) and (
            len(phrase) < 3 or _in_compound(words, k) is not False):
        return None
    return k, phrase[off[0]]


@lru_cache(maxsize=65536)
def _is_noise(token: str) -> bool:
    """A token that cannot be a word of the text: no syllable, no vocabulary word or acronym."""
    v = _vocab()
    if token.isupper():
        return len(token) >= 3 and token not in v.abbrs and not is_syllable(token)
    return len(token) >= 2 and token.lower() not in v.words and not is_syllable(token)


def _phrase_repairs(words: list[str], gaps: list[str], noise: set[str], tokens: list[str]) -> dict[int, str]:
    """Word index -> vocabulary word, for words one edit off a vocabulary phrase around them.
    `gaps[k]` is the text between word k and word k+1; `noise` the noise tokens of the text."""
    v = _vocab()
    linked = [g in _LINKS for g in gaps]
    linked.append(False)
    # Anchors: the words at a phrase's anchor offsets, looked up at every position (a set test in
    # C first: most offset shapes match nowhere in a text).
    tried: set[tuple[int, tuple[str, ...]]] = set()  # (start, phrase): head and tail anchors meet
    for off, table in v.anchor_tables:
        keys = list(zip(*(words[o:] for o in off), strict=False))  # the words at the offsets, from each k
        if table.keys().isdisjoint(keys):
            continue
        last = off[-1]
        for k in [k for k, at in enumerate(keys) if at in table]:
            if all(linked[k:k + last]):
                tried.update((k - i, ph) for ph, i in table[keys[k]])
    if noise:
        # A noise word: align every phrase that contains one of its neighbours.
        n_words = len(words)
        for k in [k for k, t in enumerate(tokens) if t in noise]:
            for n in (k - 1, k + 1):
                tried.update((n - i, ph) for ph, i in (v.by_word.get(words[n], ()) if 0 <= n < n_words else ()))
    found: dict[int, set[str]] = {}
    for start, ph in tried:
        fix = _phrase_fix(words, linked, start, ph)
        if fix:
            found.setdefault(fix[0], set()).add(fix[1])
    return {k: next(iter(c)) for k, c in found.items() if len(c) == 1}


def repair_text(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Repair near-miss words against the vocabularies; never invents text, never raises.
    Tokens in `keep` (abbreviations the plan defines itself) are never touched."""
    if not text:
        return text
    parts = _WORD_SPLIT.split(text)  # one pass: [text before word 0, word 0, gap, word 1, …, text after]
    tokens, pieces = parts[1::2], parts[0::2]
    fixes: dict[int, str] = {}
    caps = [k for k, w in enumerate(tokens)  # all caps once OCR's l is read as I ("DDCl")
            if len(w) >= 3 and (w.isupper() or "l" in w and w.replace("l", "I").isupper())]
    for k in caps:
        if tokens[k] not in keep and (fix := _repair_abbr(tokens[k])):
            fixes[k] = fix
    noise = {t for t in set(tokens) if _is_noise(t)}
    # Lower-casing one character keeps it a letter or a non-letter (checked over all of Unicode),
    # so the lowered text splits into the lowered words (a Greek final sigma lowered in context)
    # unless a character lowers to two (İ).
    lowered = text.lower()
    words = _WORD.findall(lowered) if len(lowered) == len(text) else [t.lower() for t in tokens]
    for k, word in _phrase_repairs(words, pieces[1:-1], noise, tokens).items():
        fixes.setdefault(k, _match_case(word, tokens[k]))
    if not fixes:
        return text
    out = [pieces[0]]
    for k, token in enumerate(tokens):
        out += [fixes.get(k, token), pieces[k + 1]]
    return "".join(out)
