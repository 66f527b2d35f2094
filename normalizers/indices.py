"""Index names → catalog codes (pipeline/data/indices.csv) and index-family detection.

Names are compared on a folded key (no accents, lowercase, no quotes/punctuation, without the
"Chỉ số (thành phần)" prefix and parentheticals) so that tone-mark styles, lost diacritics and
the genre's wrappers ("Chỉ số “…” (Chiếm tỷ trọng 30% …)") do not matter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from normalizers.text import fold, fold_same_length
from pipeline.resources import read_csv, read_toml, split_list

FAMILIES = ("DDCI", "PCI", "PAPI", "PAR_INDEX", "SIPAS")
THRESHOLD = 82.0  # below this a name is not an index of the catalog
OTHER_FAMILY_PENALTY = 12.0  # a hint's family wins ties (DDCI and PCI share component names)

_PREFIX = re.compile(r"^(?:(?:bo )?chi (?:so|tieu)(?: thanh phan)?(?: (?:so )?\d+)?\s*[:.]?\s*)+")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[^0-9a-z&]+")


def index_key(name: str) -> str:
    """The comparison key of an index name."""
    key = _PARENS.sub(" ", fold(name))
    acronyms = _name_acronyms()
    key = " ".join(acronyms.get(word, word) for word in _NON_WORD.sub(" ", key).split())
    return _PREFIX.sub("", key).strip()


@lru_cache(maxsize=1)
def _name_acronyms() -> dict[str, str]:
    return dict(read_toml("index_families.toml")["name_acronyms"])


@dataclass(frozen=True)
class IndexMatch:
    code: str
    family: str
    name: str  # catalog name (name_vi)
    score: float  # 0-100


@dataclass(frozen=True)
class _Entry:
    code: str
    family: str
    name: str
    keys: tuple[str, ...]


@lru_cache(maxsize=1)
def _catalog() -> tuple[_Entry, ...]:
    entries = []
    for row in read_csv("indices.csv"):
        names = [row["name_vi"], *split_list(row.get("aliases"))]
        keys = tuple(dict.fromkeys(k for k in (index_key(n) for n in names) if k))
        entries.append(_Entry(row["code"], row["family"], row["name_vi"], keys))
    return tuple(entries)


def _similarity(query: str, key: str) -> float:
    """Whole-string similarity, or subset similarity discounted by how much is left over, so that
    'Thủ tục hành chính' prefers the exact PAPI name over 'Cải cách thủ tục hành chính'. A raw
    name that extends a catalog name ('… tại tỉnh') is discounted less than a fragment of one
    ('Tổ chức thực hiện')."""
    whole = max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key))
    q, k = query.split(), key.split()
    coverage = min(len(q), len(k)) / max(len(q), len(k), 1)
    floor = 0.85 if len(q) >= len(k) else 0.6
    subset = fuzz.token_set_ratio(query, key) * (floor + (1 - floor) * coverage)
    if min(len(q), len(k)) < 2:  # one shared word says little
        subset *= 0.8
    return max(whole, subset)


@lru_cache(maxsize=16384)  # plans repeat the same names; results are immutable
def match_index(name: str, family_hint: str | None = None) -> IndexMatch | None:
    """Best catalog entry for a raw index name, or None when nothing is close enough.
    With a family hint, entries of that family win over equally good entries of others."""
    query = index_key(name)
    if not query:
        return None
    best: tuple[float, float, _Entry] | None = None
    for entry in _catalog():
        score = max((_similarity(query, k) for k in entry.keys), default=0.0)
        rank = score - (OTHER_FAMILY_PENALTY if family_hint and entry.family != family_hint else 0.0)
        if best is None or rank > best[0]:
            best = (rank, score, entry)
    if best is None or best[0] < THRESHOLD:
        return None
    _, score, entry = best
    return IndexMatch(entry.code, entry.family, entry.name, round(score, 1))


@lru_cache(maxsize=1)
def _family_patterns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    spec = read_toml("index_families.toml")["families"]
    return tuple((fam, tuple(re.compile(p) for p in spec[fam]["patterns"])) for fam in spec)


def detect_families(text: str) -> list[str]:
    """Families a title/sentence mentions, in order of first mention."""
    folded = fold(text)
    first: dict[str, int] = {}
    for family, patterns in _family_patterns():
        hits = [m.start() for p in patterns for m in p.finditer(folded)]
        if hits:
            first[family] = min(hits)
    return sorted(first, key=first.__getitem__)


@dataclass(frozen=True)
class IndexMention:
    start: int  # offsets into the text searched
    end: int
    match: IndexMatch


@lru_cache(maxsize=8)
def _mention_patterns(families: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, _Entry]]:
    """One alternation of every catalog name and alias of `families` (all when empty), longest
    first, words separated by any punctuation; the key of a hit finds its entry."""
    entries: dict[str, _Entry] = {}
    for entry in _catalog():
        if (families and entry.family not in families) or entry.code.endswith(".TOTAL"):
            continue
        for key in entry.keys:
            if len(key) >= 6:  # "dci", "pci": family codes are found by detect_families
                entries.setdefault(key, entry)
    words = [r"[^a-z0-9&]+".join(map(re.escape, key.split())) for key in sorted(entries, key=len, reverse=True)]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])"), entries


@lru_cache(maxsize=1)
def _mention_cue() -> re.Pattern[str]:
    cues = sorted(read_toml("index_families.toml")["mentions"]["cues"], key=len, reverse=True)
    return re.compile(r"(?:^|[^a-z0-9])(?:" + "|".join(map(re.escape, cues)) + r")\s*[\"']?\s*$")


def find_index_mentions(text: str, families: tuple[str, ...] = ()) -> list[IndexMention]:
    """Catalog indices a sentence names, in order: a name or alias written after a cue ("chỉ số",
    "tiêu chí"…), alone inside parentheses, or with a capital initial mid-sentence. Exact on the
    folded text, so accents, case and tone-mark style do not matter."""
    pattern, entries = _mention_patterns(tuple(families))
    folded = fold_same_length(text)
    found: list[IndexMention] = []
    for m in pattern.finditer(folded):
        before = folded[max(0, m.start() - 30): m.start()]
        boxed = before.rstrip().endswith("(") and folded[m.end():].lstrip().startswith(")")
        capital = text[m.start()].isupper() and not re.search(r"(?:^|[.:;!?\n])\W*$", text[:m.start()])
        if not (boxed or capital or _mention_cue().search(before)):
            continue
        entry = entries.get(" ".join(re.findall(r"[a-z0-9&]+", m.group())))
        if entry is not None:
            found.append(IndexMention(m.start(), m.end(), IndexMatch(entry.code, entry.family, entry.name, 100.0)))
    return found
