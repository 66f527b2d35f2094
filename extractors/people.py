"""People: the signer, the leaders in charge of each index ("Lãnh đạo phụ trách: Đồng chí X, Phó
Chủ tịch UBND xã") and other officials named with an honorific ("đồng chí X", "ông X").

Spelling variants of one person (tone or vowel-mark typos of the same name: Huấn/Huân) are merged
into one row: the signature spelling wins, else the most frequent one. Names that differ only in
marks but carry different titles are kept apart (two officials, not a typo).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from extractors.header import LOW, UP, Field, clean, extract_header, find_signature, proper_case
from normalizers.text import fold
from pipeline.model import PlanDoc
from pipeline.resources import read_toml
from pipeline.rows import AssignmentRow, PersonRow

ROLE_ORDER = ("signer", "leader", "other")
TITLE_MAX_WORDS = 10
_WORD = f"[{UP}][{LOW}]*"
_NAME = f"{_WORD}(?:[ \\t]+{_WORD}){{1,4}}"


@dataclass
class _Mention:
    name: str
    start: int
    end: int
    role: str
    title: str | None
    index_code: str | None = None


@lru_cache(maxsize=1)
def _vocab() -> dict:
    return read_toml("admin_units.toml")


def _trim_name(name: str) -> str | None:
    """Cut a captured name at the first title/organisation word; a name has 2-4 syllables."""
    words = []
    for w in name.split():
        if w in _vocab()["people"]["name_stop_words"] and words:
            break
        words.append(w)
    return " ".join(words) if 2 <= len(words) <= 4 else None


def _core_title(title: str | None) -> str | None:
    """'Phó Chủ tịch UBND xã' -> 'Phó Chủ tịch' (the post, without the body)."""
    if not title:
        return None
    for t in sorted(_vocab()["signature"]["titles"], key=len, reverse=True):
        if fold(title).startswith(fold(t)):
            return t
    return None


def _title_after(text: str, pos: int) -> str | None:
    """", Phó Chủ tịch UBND xã" right after a name."""
    m = re.compile(r"\s*[,-]\s*([^,;.\n]{3,80})").match(text, pos)
    if not m or not _core_title(m.group(1)):
        return None
    title = re.split(r"\s+(?:[a-zđ]|\d{1,2})\)\s|\s+[-+*]\s|\s*\(", m.group(1))[0]  # a run-in list item
    return " ".join(clean(title).split()[:TITLE_MAX_WORDS])


def _signer(doc: PlanDoc, header: dict[str, Field]) -> _Mention | None:
    """The signer; the title names the committee ("Chủ tịch UBND xã") when the plan is a UBND's."""
    sig = find_signature(doc)
    if not sig or not sig.name:
        return None
    title = str(sig.title.value) if sig.title else None
    ltype = header.get("locality_type")
    committee = fold(_vocab()["issuer"]["committee"][0])
    authority = fold(str(sig.authority.value)) if sig.authority else ""
    issuer = header.get("issuer")
    if title and ltype and issuer and (committee in authority or authority.startswith("kt") or not authority) \
            and str(issuer.value).startswith(_vocab()["issuer"]["output_prefix"]):
        title = f"{title} {_vocab()['issuer']['output_prefix']} {ltype.value}"
    return _Mention(str(sig.name.value), sig.name.start or 0, sig.name.end or 0, "signer", title)


def _index_code(doc: PlanDoc, pos: int, family_hint: str | None) -> str | None:
    """Catalog code of the index whose outline node encloses pos ("1. Chỉ số “…”")."""
    from normalizers.indices import match_index

    nodes = sorted((n for n in doc.outline if n.start <= pos < n.end), key=lambda n: -n.level)
    headings = [n.heading for n in nodes]
    if not nodes:  # not segmented: the nearest "Chỉ số" heading line above
        lines = re.findall(r"(?m)^\W*\d+\s*[.)]\s*Chỉ số.*$", doc.text[:pos])
        headings = lines[-1:]
    for heading in headings:
        quoted = re.search(r'"([^"]{3,120})"', heading)
        match = match_index(quoted.group(1) if quoted else clean(heading), family_hint)
        if match:
            return match.code
    return None


def _leaders(doc: PlanDoc, family_hint: str | None) -> list[_Mention]:
    """"Lãnh đạo phụ trách: Đồng chí X, Phó Chủ tịch UBND xã" or "…: Phó Chủ tịch UBND xã - đồng chí X"."""
    people = _vocab()["people"]
    labels = "|".join(re.escape(label) for label in people["leader_labels"])
    honor = "|".join(re.escape(h) for h in people["honorifics"])
    label_re = re.compile(rf"(?:{labels})\W{{0,6}}")
    named = re.compile(rf"(?:(?<!\w)(?:{honor})\s+)({_NAME})")
    bare = re.compile(rf"({_NAME})")
    out = []
    for m in label_re.finditer(doc.text):
        line_end = doc.text.find("\n", m.end())
        line_end = min(line_end if line_end != -1 else len(doc.text), m.end() + 200)
        found = named.search(doc.text, m.end(), line_end) or bare.match(doc.text, m.end(), line_end)
        name = _trim_name(found.group(1)) if found else None
        if not found or not name:
            continue
        end = found.start(1) + len(name)
        before = clean(doc.text[m.end():found.start()]).strip(" ,:-")
        title = _title_after(doc.text, end) or (before if _core_title(before) else None)
        out.append(_Mention(name, found.start(1), end, "leader", title, _index_code(doc, m.start(), family_hint)))
    return out


def _others(doc: PlanDoc, taken: list[_Mention]) -> list[_Mention]:
    people = _vocab()["people"]
    honor = "|".join(re.escape(h) for h in people["honorifics"])
    first = "".join(sorted({re.escape(h[0]) for h in people["honorifics"]}))  # a quick first test
    pattern = re.compile(rf"(?=[{first}])(?<!\w)(?:{honor})\s+({_NAME})")
    out = []
    for m in pattern.finditer(doc.text):
        name = _trim_name(m.group(1))
        if not name or name.split()[0] not in people["family_names"]:
            continue
        if any(t.start <= m.start(1) < t.end for t in taken):
            continue
        end = m.start(1) + len(name)
        out.append(_Mention(name, m.start(1), end, "other", _title_after(doc.text, end)))
    return out


def _merge(mentions: list[_Mention]) -> list[PersonRow]:
    clusters: list[list[_Mention]] = []
    for m in mentions:
        for c in clusters:
            titles = {_core_title(x.title) for x in c} - {None}
            core = _core_title(m.title)
            if fold(c[0].name) == fold(m.name) and (core is None or not titles or core in titles):
                c.append(m)
                break
        else:
            clusters.append([m])
    rows = []
    for c in clusters:
        signed = [m for m in c if m.role == "signer"]
        counts = Counter(m.name for m in c)
        canonical = signed[0].name if signed else max(counts, key=lambda n: counts[n])
        titles = Counter(m.title for m in c if m.title)
        anchor = signed[0] if signed else next(m for m in c if m.name == canonical)
        rows.append(PersonRow(
            name=canonical,
            title=max(titles, key=lambda t: (titles[t], len(t))) if titles else None,
            roles=[r for r in ROLE_ORDER if any(m.role == r for m in c)],
            index_codes=list(dict.fromkeys(m.index_code for m in c if m.index_code)),
            variants=list(dict.fromkeys(m.name for m in c if m.name != canonical)),
            span_start=anchor.start, span_end=anchor.end))
    return rows


def extract_people(doc: PlanDoc, assignments: list[AssignmentRow]) -> list[PersonRow]:
    """Named officials of the plan, one row per person."""
    from normalizers.indices import detect_families

    header = extract_header(doc)
    title = header.get("title")
    families = detect_families(str(title.value)) if title else []
    hint = families[0] if len(families) == 1 else None
    mentions: list[_Mention] = []
    signer = _signer(doc, header)
    if signer:
        mentions.append(signer)
    mentions += _leaders(doc, hint)
    mentions += _others(doc, mentions)
    for m in mentions:
        m.name = proper_case(m.name)
    return _merge(mentions)
