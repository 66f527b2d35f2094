"""Document-level fields: the Decree 30/2020 header (issuing body, Số, place-date), the title, the
signature block and the funding section. Every value carries its evidence span into doc.text.

Works with or without header_cell blocks (a plain text whose header was lost still names its
issuer in the body: "UBND xã X xây dựng Kế hoạch…", "Trên đây là kế hoạch … của UBND xã X") and
with or without segmented sections (the signature is then looked for before the appendix).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar

from normalizers.places import after_reform, candidates, key, resolve, successor_2025, unresolved_note
from normalizers.text import fold
from pipeline.model import Block, PlanDoc
from pipeline.resources import read_csv, read_toml, split_list

UP = "".join(c for c in map(chr, range(0x41, 0x1EFA))
             if c.isalpha() and c.isupper() and (ord(c) < 0x250 or ord(c) >= 0x1EA0))
LOW = "".join(c for c in map(chr, range(0x61, 0x1EFA))
              if c.isalpha() and c.islower() and (ord(c) < 0x250 or ord(c) >= 0x1EA0))
_MARKUP = re.compile(r"</?\w+>|[*#_\\`]+")
_YEAR = r"(?:19|20)\d{2}"
_HEADING = re.compile(r"^(?:[IVX]+|\d+)\s*[.)/]\s*\S")
_RULE = re.compile(r"^[-_=.*~ ]{3,}$")
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s*)?[0-9IVX]+[a-z]?)?\s*[.:-]?\s*(?:$|[" + UP + r"]{2})")
_NAME_WORD = f"[{UP}](?:['’][{UP}])?[{LOW}]*|[{UP}]+(?:['’][{UP}]+)?"  # "H'Loan", "H'LOAN"
_NAME = re.compile(rf"^(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD})){{1,4}}$")
_T = TypeVar("_T")
TITLE_MAX_LINES = 6
SIGNATURE_REACH = 4000  # characters before the appendix searched for the signature block


@dataclass
class Field:
    """One extracted document-level value with its evidence span in PlanDoc.text."""

    value: object
    start: int | None = None
    end: int | None = None


@dataclass
class Line:
    start: int  # offsets of the line without surrounding whitespace/markup
    end: int
    text: str  # cleaned text (markup removed, spaces collapsed)


@dataclass
class Signature:
    authority: Field | None  # "TM. Ủy ban nhân dân"
    title: Field | None  # canonical: "Phó Chủ tịch"
    name: Field | None  # proper-cased: "Lương Văn Mao"; the span holds the spelling as written


@dataclass
class UnitMention:
    ltype: str  # lower-case locality type ("thị xã")
    name: str  # proper-cased name
    start: int
    end: int


# ---------------------------------------------------------------- per-document results

def once_per_document(fn: Callable[[PlanDoc], _T]) -> Callable[[PlanDoc], _T]:
    """Compute fn once per segmented document and keep the result on it (PlanDoc.analyses): the
    people extractor asks again for the signature that the header extractor already found."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @wraps(fn)
    def cached(doc: PlanDoc) -> _T:
        if name not in doc.analyses:
            doc.analyses[name] = fn(doc)
        return doc.analyses[name]

    return cached


# ---------------------------------------------------------------- text helpers shared by extractors

def clean(s: str) -> str:
    return " ".join(_MARKUP.sub(" ", s).split())


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Non-empty lines of text[start:end] with tight offsets (markup and blanks trimmed)."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while s < e and (text[s].isspace() or _MARKUP.match(text[s])):
            s += 1
        while e > s and (text[e - 1].isspace() or _MARKUP.match(text[e - 1])):
            e -= 1
        if s < e:
            out.append(Line(s, e, clean(text[s:e])))
    return out


def proper_case(name: str) -> str:
    """'HỒNG PHONG' -> 'Hồng Phong', "H'LOAN MLÔ" -> "H'Loan Mlô"; mixed-case names keep their spelling."""
    words = name.split()
    if all(w.isupper() or not w.isalpha() for w in words):
        return " ".join(re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), w) for w in words)
    return " ".join(w[:1].upper() + w[1:] for w in words)


def appendix_start(doc: PlanDoc) -> int:
    """Start of the first appendix (Phụ lục) after the body, or the end of the text."""
    sections = doc.sections_of("appendix")
    if sections:
        return sections[0].start
    half = len(doc.text) // 3
    for line in lines_of(doc.text, half):
        if _APPENDIX.match(line.text):
            return line.start
    return len(doc.text)


def preamble_end(doc: PlanDoc) -> int:
    """End of the preamble (header, title, legal bases): the first section after it, or the first
    top-level numbered heading."""
    later = [s.start for s in doc.sections if s.kind != "preamble" and s.start > 0]
    if later:
        return min(later)
    title = _doc_type_line(doc)
    for line in lines_of(doc.text, title.end if title else 0):
        if _HEADING.match(line.text) and line.text[:1] in "I1":
            return line.start
    return min(len(doc.text), 3000)


@lru_cache(maxsize=1)
def _vocab() -> dict:
    return read_toml("admin_units.toml")


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, str], ...]:
    """(alias, kind) pairs, longest alias first."""
    pairs = [(a, r["kind"]) for r in read_csv("doc_kinds.csv") for a in split_list(r["aliases"])]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _block_at(doc: PlanDoc, pos: int) -> Block | None:
    for b in doc.blocks:
        if b.start <= pos < b.end or (b.start == pos == b.end):
            return b
    return None


# ---------------------------------------------------------------- document type and title

def _doc_type_line(doc: PlanDoc) -> Line | None:
    """The upper-case document-type line ("KẾ HOẠCH") near the top."""
    for line in lines_of(doc.text, 0, min(len(doc.text), 4000))[:60]:
        head = line.text.split(" ", 2)
        for alias, _kind in _kinds():
            n = len(alias.split())
            lead = " ".join(head[:n])
            if fold(lead) == fold(alias) and (lead.isupper() or fold(line.text) == fold(alias)):
                return Line(line.start, line.end, line.text)
    return None


def _kind_of(upper: str) -> str | None:
    for alias, kind in _kinds():
        if fold(upper).startswith(fold(alias)):
            return kind
    return None


def _title(doc: PlanDoc, type_line: Line) -> Field | None:
    body = _vocab()["body"]
    openers = [re.escape(fold(o)) for o in body["basis_openers"] + body["after_title"]]
    alias_len = len(next(a for a, _ in _kinds() if fold(type_line.text).startswith(fold(a))))
    parts: list[Line] = []
    rest = type_line.text[alias_len:].strip(" :-")
    if rest:  # title on the same line as the document type
        offset = doc.text.find(rest, type_line.start, type_line.end)
        at = (offset, offset + len(rest)) if offset != -1 else (type_line.start, type_line.end)
        parts.append(Line(*at, rest))
    type_block = _block_at(doc, type_line.start)
    styled = bool(type_block and (type_block.bold or type_block.centered))
    for line in lines_of(doc.text, type_line.end):
        if len(parts) >= TITLE_MAX_LINES or _RULE.match(line.text) or _HEADING.match(line.text):
            break
        if len(line.text) > 250 or parts and any(re.match(rf"{o}\b", fold(line.text)) for o in openers):
            break
        block = _block_at(doc, line.start)
        if styled and parts and block is not None and not (block.bold or block.centered):
            break
        parts.append(line)
        if line.text.endswith((".", ";", ":")):
            break
    if not parts:
        return None
    text = " ".join(p.text for p in parts).strip(" .;:")
    return Field(text, parts[0].start, parts[-1].end)


def title_period(title: str) -> tuple[int, int] | None:
    """(first, last) year a title covers: a range "2023 - 2025", "năm 2025 đến năm 2027", or years
    joined as one scope "những tháng cuối năm 2025 và năm 2026"; else the latest year it names ("Khắc
    phục hạn chế năm 2024 và thực hiện … năm 2025": a plan looks ahead)."""
    joins = "|".join(re.escape(j) for j in _vocab()["period"]["year_joins"])
    m = re.search(rf"({_YEAR})\s*(?:{joins})\s*(?:năm\s*)?({_YEAR})(?!\d)", title, flags=re.I)
    if m and int(m.group(2)) >= int(m.group(1)):
        return int(m.group(1)), int(m.group(2))
    years = [int(y) for y in re.findall(rf"\bnăm\s+({_YEAR})\b", title, flags=re.I)]
    years = years or [int(y) for y in re.findall(rf"\b({_YEAR})\b", title)]
    return (max(years), max(years)) if years else None


# ---------------------------------------------------------------- header: Số, place-date, issuer

def _header_span(doc: PlanDoc, type_line: Line | None) -> tuple[int, int]:
    cells = [b for b in doc.blocks if b.kind == "header_cell"]
    if cells:
        return min(b.start for b in cells), max(b.end for b in cells)
    return 0, type_line.start if type_line else min(len(doc.text), 800)


def _number(doc: PlanDoc, span: tuple[int, int], out: dict[str, Field]) -> None:
    m = re.compile(r"\bSố\s*:?\s*(\d[\w.]*)?\s*/\s*([^\s,;|]+)").search(doc.text, *span)
    if not m:
        return
    if m.group(1):
        out["doc_number"] = Field(m.group(1), m.start(1), m.end(1))
    out["doc_symbol"] = Field(m.group(2).rstrip("."), m.start(2), m.end(2))


def _place_date(doc: PlanDoc, span: tuple[int, int], out: dict[str, Field]) -> None:
    from normalizers.dates import parse_date

    word = f"[{UP}][{LOW}]*"
    pattern = re.compile(rf"(?<![^\s|(])({word}(?:[ \t]+{word}){{0,4}})\s*,\s*(ngày\b[^\n|]*?năm\s*\d{{4}})")
    m = pattern.search(doc.text, span[0], span[1] + 200)
    if not m:
        return
    out["issue_place"] = Field(m.group(1), m.start(1), m.end(1))
    iso = parse_date(m.group(2))
    if iso:
        out["issue_date"] = Field(iso, m.start(2), m.end(2))


def _type_alternation(upper: bool) -> str:
    types = sorted(_vocab()["locality_types"], key=len, reverse=True)
    return "|".join(re.escape(t.upper() if upper else t) for t in types)


def header_units(doc: PlanDoc, span: tuple[int, int]) -> list[UnitMention]:
    """Committees named in upper case in the header ("UBND HUYỆN CAO LỘC", "ỦY BAN NHÂN DÂN /
    XÃ HỒNG PHONG"), in order; names stop at the words of the motto column. A narrow header column
    may wrap the name onto the next line ("UBND THÀNH PHỐ / LONG KHÁNH", "UBND TỈNH ĐỒNG <motto> /
    NAI"): the wrapped form counts when only it is a place the gazetteer knows."""
    committee = "|".join(re.escape(c) for c in _vocab()["issuer"]["committee"])
    stops = set(_vocab()["issuer"]["header_stop_words"])
    types = _type_alternation(True)
    name = rf"([{UP}\d]+(?!\w)(?:[ \t]+[{UP}\d]+(?!\w))*)"
    # "ỦY BAN NHÂN DÂN XÃ X", or a line "XÃ X" alone (its committee line may carry the motto too);
    # the type may end its line, the name on the next one
    pattern = re.compile(rf"(?:(?:{committee})\s+|(?m:^)[ \t]*)({types})(?:[ \t]+|([ \t]*\n[ \t]*)){name}")
    found = []
    motto = [fold(x) for x in _vocab()["issuer"]["header_not_units"]]
    for m in pattern.finditer(doc.text, *span):
        if any(fold(f"{m.group(1)} {m.group(3)}").startswith(x) for x in motto):
            continue
        words = m.group(3).split()
        keep = []
        for w in words:
            if w in stops:
                break
            keep.append(w)
        if not keep:
            continue
        ltype, words = m.group(1).lower(), " ".join(keep)
        end = m.start(3) + len(words)
        if m.group(2) is not None and not candidates(ltype, proper_case(words)):
            continue  # a type ending its line is followed by its name only when the gazetteer says so
        line_end = end if len(keep) == len(m.group(3).split()) else doc.text.find("\n", end)
        if line_end >= 0 and (wrapped := _wrapped_name(doc.text, ltype, words, line_end, stops)):
            words, end = wrapped
        name = proper_case(words)
        if len(keep) == len(m.group(3).split()) and (dashed := _dashed_name(doc.text, ltype, name, end, True)):
            name, end = dashed
        found.append(UnitMention(ltype, name, m.start(), end))
    return found


def _dashed_name(text: str, ltype: str, name: str, end: int, upper: bool = False) -> tuple[str, int] | None:
    """A name written with a dash, "tỉnh Bà Rịa - Vũng Tàu", "thành phố Phan Rang - Tháp Chàm":
    (the whole name, its end) when the words after `end` continue it with a dash and the gazetteer
    knows the whole name (else the dash starts something else: "xã A - huyện B")."""
    word = f"[{UP}\\d]+(?!\\w)" if upper else f"[{UP}\\d][{LOW}\\d]*"
    m = re.compile(rf"[ \t]*[-–][ \t]*({word}(?:[ \t]+{word}){{0,2}})").match(text, end)
    if not m:
        return None
    rest = proper_case(m.group(1)) if upper else m.group(1)
    for cut in range(len(rest.split()), 0, -1):  # the longest continuation the gazetteer knows
        joined = f"{name} - {' '.join(rest.split()[:cut])}"
        if candidates(ltype, joined):
            return joined, m.start(1) + len(" ".join(m.group(1).split()[:cut]))
    return None


def _wrapped_name(text: str, ltype: str, name: str, end: int, stops: set[str]) -> tuple[str, int] | None:
    """A name the narrow header column wrapped ("HUYỆN KRÔNG / NĂNG"): (joined name, its end) when
    the line after `end` (the end of the name, or of its line when the motto column follows the
    name on it) is one or two upper-case words and only the joined name is a place the gazetteer
    knows."""
    m = re.compile(rf"[ \t]*\n[ \t]*([{UP}]+(?:[ \t]+[{UP}]+)?)[ \t]*(?=\n|$)").match(text, end)
    types = {fold(t) for t in _vocab()["locality_types"]}
    if not m or any(w in stops for w in m.group(1).split()) or fold(m.group(1)) in types:
        return None
    joined = f"{name} {' '.join(m.group(1).split())}"
    if candidates(ltype, proper_case(name)) or not candidates(ltype, proper_case(joined)):
        return None
    return joined, m.end(1)


def body_units(text: str, start: int = 0, end: int | None = None, named_only: bool = True,
               committee_only: bool = True) -> list[UnitMention]:
    """Units named in running text: "UBND xã Cao Lâu", "thị xã Bỉm Sơn", "tỉnh Lạng Sơn"."""
    forms = [*_vocab()["issuer"]["committee"]]
    forms += [c.capitalize() for c in forms if " " in c]
    committee = "|".join(re.escape(c) for c in forms)
    lead = rf"(?:{committee})\s+" if committee_only else rf"(?:(?:{committee})\s+)?"
    # the first letter a match can start with, tested before the alternations at each position
    starts = forms if committee_only else [*forms, *_vocab()["locality_types"]]
    first = "".join(sorted({re.escape(f[0]) for f in starts}))
    word = f"[{UP}\\d][{LOW}\\d]*"
    pattern = re.compile(rf"(?=[{first}]){lead}\b({_type_alternation(False)})\s+({word}(?:[ \t]+{word}){{0,3}})")
    out = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        name, stop = m.group(2), m.end()
        if named_only and not name[:1].isupper():
            continue
        if dashed := _dashed_name(text, m.group(1), name, stop):
            name, stop = dashed
        out.append(UnitMention(m.group(1), name, m.start(), stop))
    return out


def _issuer(doc: PlanDoc, head: tuple[int, int], title: Field | None) -> tuple[UnitMention | None,
                                                                                UnitMention | None]:
    """(issuing unit, its parent as named in the header) — header first, then the body."""
    units = header_units(doc, head)
    if units:
        return units[-1], (units[-2] if len(units) > 1 else None)
    text = doc.text
    verbs = "|".join(fold(v) for v in _vocab()["issuer"]["self_verbs"])
    kinds = "|".join(re.escape(fold(a)) for a, _ in _kinds())
    own = re.compile(rf"\s*(?:{verbs})\s+(?:{kinds})\b(?!\s*so\b)")  # "… xây dựng Kế hoạch" (not "… số 12")
    for u in body_units(text):
        if own.match(fold(text[u.end:u.end + 60])):
            return u, None
    for opener in _vocab()["issuer"]["closing_openers"]:
        for m in re.finditer(re.escape(opener), text):
            sentence_end = text.find("./.", m.end())
            sentence_end = sentence_end if sentence_end != -1 else m.end() + 400
            units = body_units(text, m.end(), sentence_end)
            if units:
                return units[0], None
    if title:
        units = body_units(text, title.start or 0, title.end, committee_only=False)
        if units:
            return min(units, key=lambda u: _rank(u.ltype)), None
    return None, None


def _rank(ltype: str) -> int:
    """0 for communes, 1 for districts, 2 for provinces (lower is more specific)."""
    return {"commune": 0, "district": 1, "province": 2}[_vocab()["locality_types"][ltype]]


def _level(u: UnitMention) -> str:
    level = _vocab()["locality_types"][u.ltype]
    return "province" if u.ltype == "thành phố" and _is_province_city(u.name) else level


def _ranked(units: list[UnitMention], level: str) -> list[UnitMention]:
    """Named units of one level, one per name, most mentioned first (ties: first mentioned)."""
    units = [u for u in units if _level(u) == level]
    counts = Counter(fold(u.name) for u in units)
    firsts = {fold(u.name): u for u in reversed(units)}
    return sorted(firsts.values(), key=lambda u: (-counts[fold(u.name)], u.start))


def _is_province_city(name: str) -> bool:
    place = resolve("thành phố", name)
    return bool(place and place.district is None)


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and key(a) == key(b)


def _places(doc: PlanDoc, head: tuple[int, int], title: Field | None, out: dict[str, Field]) -> None:
    """Issuer and its parents: header lines first, then body mentions confirmed by the gazetteer
    (preamble first: the commune implements its district's plan), then the gazetteer alone."""
    unit, parent = _issuer(doc, head, title)
    if unit is None:
        return
    level = _level(unit)
    span = (unit.start, unit.end)
    out["issuer"] = Field(f"{_vocab()['issuer']['output_prefix']} {unit.ltype} {unit.name}", *span)
    out["admin_level"] = Field(level, *span)
    out["locality_type"] = Field(unit.ltype, *span)
    out["locality"] = Field(unit.name, *span)
    mentions = body_units(doc.text, committee_only=False)
    pre_end = preamble_end(doc)
    parents = [parent] if parent else []
    modern = after_reform(out["issue_date"].value if "issue_date" in out else None)
    header_district = [p for p in parents if _level(p) == "district"]
    # a commune's plan issued after the 2025 reform (two levels: province, commune) has no district
    # unless its header names one: a district in its body is a former one ("các xã thuộc huyện X (cũ)")
    districts = [] if level != "commune" or (modern and not header_district) else header_district + _ranked(
        [m for m in mentions if m.start < pre_end], "district") + _ranked(mentions, "district")
    provinces = [] if level == "province" else [p for p in parents if _level(p) == "province"] + _ranked(
        mentions, "province")
    context = [(d.name, None) for d in districts] or [(None, v.name) for v in provinces] or [(None, None)]
    # the first context that decides wins (header parent, then preamble, then the body); a unit
    # the named district or province does not contain is left unresolved, never guessed
    place = next((p for d, v in context if (p := resolve(unit.ltype, unit.name, d, v, modern))), None)
    if place is None:
        out["place_note"] = Field(unresolved_note(unit.ltype, unit.name, *context[0], modern=modern), *span)
    else:
        successor = successor_2025(place)
        if successor:
            for name, value in (("admin_code_2025", successor.code), ("unit_2025", successor.unit),
                                ("province_2025", successor.province)):
                if value:
                    out[name] = Field(value)
    district = next((d for d in districts if place and _same(d.name, place.district)),
                    districts[0] if districts and place is None else None)
    province = next((v for v in provinces if place and _same(v.name, place.province)),
                    provinces[0] if provinces and place is None else None)
    if district:
        out["district"] = Field(district.name, district.start, district.end)
    elif level == "commune" and place and place.district and not (modern and not header_district):
        out["district"] = Field(place.district)
    if province:
        out["province"] = Field(province.name, province.start, province.end)
    elif level == "province":  # a province's plan: the issuer is the province
        out["province"] = Field(unit.name, *span)
    elif place and place.province:
        out["province"] = Field(place.province)
    if place:
        out["admin_code"] = Field(place.code, *span)


# ---------------------------------------------------------------- signature block

def _signature_window(doc: PlanDoc) -> tuple[int, int]:
    """The signature section (with the recipients: a two-column table may put either first), or the
    text from the closing "./." or "Nơi nhận" to the appendix."""
    sections = doc.sections_of("signature")
    end = appendix_start(doc)
    if sections:
        sections += doc.sections_of("recipients")
        return min(s.start for s in sections), max(s.end for s in sections)
    start = max(0, end - SIGNATURE_REACH)
    marks = [m.start() for m in re.finditer(r"\./\.|Nơi nhận", doc.text[start:end])]
    return (start + marks[0] if marks else start), end


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    return tuple(sorted(_vocab()["signature"]["titles"], key=len, reverse=True))


def _split_title(text: str) -> tuple[str, str | None]:
    """'ỦY BAN NHÂN DÂN CHỦ TỊCH' -> ('ỦY BAN NHÂN DÂN', 'Chủ tịch'); (text, None) without a title."""
    words = text.split()
    for title in _titles():
        n = len(title.split())
        if len(words) >= n and fold(" ".join(words[-n:])) == fold(title):
            return " ".join(words[:-n]), title
    return text, None


@once_per_document
def find_signature(doc: PlanDoc) -> Signature | None:
    """The signature block: authority line (TM./KT./…), the signer's title and name."""
    start, end = _signature_window(doc)
    lines = lines_of(doc.text, start, end)
    prefixes = "|".join(_vocab()["signature"]["authority_prefixes"])
    authority_re = re.compile(rf"(?<![\w])({prefixes})\s?\.\s*([{UP}][{UP}\s]*[{UP}])$")
    noise = [fold(n) for n in _vocab()["signature"]["noise"]]
    best: Signature | None = None
    for i, line in enumerate(lines):
        authority = title = None
        m = authority_re.search(line.text)
        if m:
            rest, title = _split_title(m.group(2))
            if not rest:  # "KT. CHỦ TỊCH": the title is on the next line
                rest, title = m.group(2), None
            authority = Field(f"{m.group(1)}. {rest[:1].upper()}{rest[1:].lower()}", *_locate(doc, line, m))
        else:
            head, title = _split_title(line.text)
            if title is None or (head and not head.isupper()) or not line.text.isupper():
                continue
            if best and best.name is None and best.title is None:  # "KT. CHỦ TỊCH", then recipients
                authority = best.authority  # a two-column PDF may interleave them before "PHÓ CHỦ TỊCH"
        name_from = i + 1
        if authority and title is None:
            if i + 1 >= len(lines) or authority_re.search(lines[i + 1].text):
                continue  # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH": the inner line signs
            _, title = _split_title(lines[i + 1].text)
            if title is None or not lines[i + 1].text.isupper():
                title = None
            else:
                name_from = i + 2
        title_line = lines[name_from - 1]
        name = None
        for cand in lines[name_from:name_from + 8]:
            if any(n in fold(cand.text) for n in noise) or _split_title(cand.text)[1]:
                continue
            text = cand.text.strip(" .,;:")
            if _NAME.match(text):
                at = doc.text.find(text, cand.start)
                name = Field(proper_case(text), at, at + len(text))
                break
        sig = Signature(authority, Field(title, title_line.start, title_line.end) if title else None, name)
        if name or best is None or best.name is None:
            best = sig
        if name:
            break
    return best


def _locate(doc: PlanDoc, line: Line, m: re.Match[str]) -> tuple[int, int]:
    """Offsets of a match on a cleaned line, mapped back to doc.text."""
    at = doc.text.find(m.group(0).split()[0], line.start, line.end)
    return (at, line.end) if at != -1 else (line.start, line.end)


# ---------------------------------------------------------------- funding

def _is_funding_heading(heading: str) -> bool:
    """'III. NGUỒN KINH PHÍ THỰC HIỆN', '4. Kinh phí thực hiện: …' — not a task that mentions funds."""
    key = re.sub(r"^[\divxlc().\s]+[.)/]\s*", "", fold(clean(heading)))
    return bool(re.match(_vocab()["funding"]["heading"], key))


def _funding(doc: PlanDoc) -> Field | None:
    spans = [(s.node.heading_end if s.node else doc.text.find("\n", s.start, s.end) % (s.end + 1), s.end,
              s.heading) for s in doc.sections_of("funding")]
    if not spans:
        spans = [(n.heading_end, n.end, n.heading) for n in doc.outline if _is_funding_heading(n.heading)]
    if not spans and not doc.outline:  # not segmented: look for the heading line itself
        lines = lines_of(doc.text, 0, appendix_start(doc))
        for i, line in enumerate(lines):
            if _HEADING.match(line.text) and _is_funding_heading(line.text):
                stop = next((ln.start for ln in lines[i + 1:] if _HEADING.match(ln.text)
                             or fold(ln.text).startswith("noi nhan")), lines[-1].end)
                spans = [(line.end, stop, line.text)]
                break
    if not spans:
        return None
    start, end, heading = spans[0]
    if ":" in heading and heading.split(":", 1)[1].strip():  # "3. Kinh phí: Từ nguồn …" inline
        inline = heading.split(":", 1)[1].strip()
        at = doc.text.find(inline, max(0, start - len(heading)), end)
        if at != -1:
            start = at
    body = lines_of(doc.text, start, end)
    if not body:
        return None
    return Field(" ".join(ln.text for ln in body), body[0].start, body[-1].end)


# ---------------------------------------------------------------- entry point

def extract_header(doc: PlanDoc) -> dict[str, Field]:
    """Values for DocumentRow fields (title, doc_type, doc_number, doc_symbol, issuer,
    admin_level, locality_type, locality, district, province, admin_code, issue_place, issue_date,
    period_start_year, period_end_year, index_families, signer_name, signer_title,
    signing_authority, funding_source), keyed by DocumentRow field name."""
    return dict(_extract_header(doc))  # a copy: the stored dict stays as extracted


@once_per_document
def _extract_header(doc: PlanDoc) -> dict[str, Field]:
    from normalizers.indices import detect_families

    out: dict[str, Field] = {}
    if not doc.text:
        return out
    type_line = _doc_type_line(doc)
    title = None
    if type_line:
        out["doc_type"] = Field(_kind_of(type_line.text), type_line.start, type_line.end)
        title = _title(doc, type_line)
    if title:
        out["title"] = title
        period = title_period(str(title.value))
        if period:
            out["period_start_year"] = Field(period[0], title.start, title.end)
            out["period_end_year"] = Field(period[1], title.start, title.end)
        families = detect_families(str(title.value))
        if families:
            out["index_families"] = Field(families, title.start, title.end)
    head = _header_span(doc, type_line)
    _number(doc, head, out)
    _place_date(doc, head, out)
    _places(doc, head, title, out)
    sig = find_signature(doc)
    if sig:
        if sig.name:
            out["signer_name"] = sig.name
        if sig.title:
            out["signer_title"] = sig.title
        if sig.authority:
            out["signing_authority"] = sig.authority
    funding = _funding(doc)
    if funding:
        out["funding_source"] = funding
    return out
