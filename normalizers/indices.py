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

from normalizers.text import fold
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
    key = " ".join(_NON_WORD.sub(" ", key).split())
    return _PREFIX.sub("", key).strip()


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
