"""People: the signer, the leaders in charge of each index ("Lãnh đạo phụ trách: Đồng chí X, Phó
Chủ tịch UBND xã", or a table's "Lãnh đạo phụ trách" column) and other officials named with an
honorific ("đồng chí X", "ông X", "Đồng chí Phó Chủ tịch UBND tỉnh X") or in a table's officer column
("Công chức phụ trách").

Spelling variants of one person (tone or vowel-mark typos of the same name: Huấn/Huân) are merged
into one row: the signature spelling wins, else the most frequent one. Names that differ only in
marks but carry different titles are kept apart (two officials, not a typo).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from extractors.header import LOW, UP, Field, clean, extract_header, find_signature, proper_case
from normalizers.text import fold
from pipeline.model import Block, Cell, PlanDoc
from pipeline.resources import read_toml
from pipeline.rows import AssignmentRow, PersonRow

ROLE_ORDER = ("signer", "leader", "other")
TITLE_MAX_WORDS = 10
DASHED_NAME_WORDS = 2  # "Văn hóa - Xã hội", "Tài chính - Kế hoạch": the part after a dash in a title
_WORD = f"[{UP}](?:['’][{UP}])?[{LOW}]*"  # "H'Loan": Ê Đê given names carry an apostrophe
_NAME = f"{_WORD}(?:[ \\t]+{_WORD}){{1,4}}"
_NAME_LEN = (3, 4, 2)  # preferred lengths of a name cut from a longer capitalised run
TYPO_MIN_SYLLABLES = 3  # "Lê Nam" / "Lê Lam" may be two people; longer names rarely collide


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


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    """Posts a title starts with, longest first: the signature titles and posts like "Công chức"."""
    vocab = _vocab()
    return tuple(sorted(vocab["signature"]["titles"] + vocab["people"]["post_titles"], key=len, reverse=True))


def _core_title(title: str | None) -> str | None:
    """'Phó Chủ tịch UBND xã' -> 'Phó Chủ tịch' (the post, without the body)."""
    if not title:
        return None
    for t in _titles():
        if fold(title).startswith(fold(t)):
            return t
    return None


@lru_cache(maxsize=1)
def _title_end() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(_vocab()["people"]["title_end_words"], key=len, reverse=True))
    return re.compile(rf"\s+(?:{words})(?!\w)")


def _cut_title(title: str) -> str:
    """A title without a run-in list item or the predicate that follows it: "Phó Chủ tịch UBND xã
    trực tiếp chỉ đạo" -> "Phó Chủ tịch UBND xã"."""
    title = re.split(r"\s+(?:[a-zđ]|\d{1,2})\)\s|\s+[+*]\s|\s*\(", title)[0]
    parts = re.split(r"\s+-\s+", title)
    title = parts[0]
    for part in parts[1:]:  # "Công chức Văn hóa - Xã hội" goes on; "… xã - tổ chức …" is a list item
        if len(part.split()) > DASHED_NAME_WORDS or _honored().match(part):
            break
        title = f"{title} - {part}"
    title = _title_end().split(title, maxsplit=1)[0]
    return " ".join(clean(title).split()[:TITLE_MAX_WORDS])


def _title_after(text: str, pos: int, end: int | None = None) -> str | None:
    """", Phó Chủ tịch UBND xã" right after a name (within a table cell: not past its "|")."""
    m = re.compile(r"\s*[,-]\s*([^,;.\n|]{3,80})").match(text, pos, len(text) if end is None else end)
    if not m or not _core_title(m.group(1)):
        return None
    return _cut_title(m.group(1))


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
    # a label, with its colon or dash ("Lãnh đạo phụ trách: Bà X"); in running text the words name no
    # one ("… báo cáo Lãnh đạo phụ trách (yếu tố …). Giao Bà X thực hiện.")
    label_re = re.compile(rf"(?:{labels})(?=[\s*_]*[:\-–])\W{{0,6}}")
    named = _honored()
    bare = re.compile(rf"({_NAME})")
    out = []
    for m in label_re.finditer(doc.text):
        line_end = doc.text.find("\n", m.end())
        line_end = min(line_end if line_end != -1 else len(doc.text), m.end() + 200)
        found = named.search(doc.text, m.end(), line_end) or bare.match(doc.text, m.end(), line_end)
        if not (found and _trim_name(found.group(1))):  # "Phó Chủ tịch UBND xã Bùi Văn Hưởng": title first
            found = _after_title(bare, doc.text, m.end(), line_end)
        name = _trim_name(found.group(1)) if found else None
        if not found or not name:
            continue
        end = found.start(1) + len(name)
        before = clean(doc.text[m.end():found.start()]).strip(" ,:-")
        title = _title_after(doc.text, end) or (before if _core_title(before) else None)
        out.append(_Mention(name, found.start(1), end, "leader", title, _index_code(doc, m.start(), family_hint)))
    return out


def _after_title(bare: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The name after a title in a label line: "Lãnh đạo phụ trách: Phó Chủ tịch UBND xã Bùi Văn Hưởng"."""
    for run in bare.finditer(text, start, end):
        if _trim_name(run.group(1)) and _core_title(clean(text[start:run.start()]).strip(" ,:-")):
            return run
    return None


def _header_cells(table: Block) -> list[str]:
    """Folded heading of each column (the first row)."""
    return [fold(c.text) for c in (table.rows or [[]])[0]]


def _column_role(head: str) -> str | None:
    """"leader" for a "Lãnh đạo phụ trách" column, "other" for a "Công chức phụ trách" one."""
    people = _vocab()["people"]
    if any(head.startswith(fold(label)) for label in people["leader_labels"]):
        return "leader"
    if any(head.startswith(fold(label)) for label in people["officer_columns"]):
        return "other"
    return None


@lru_cache(maxsize=1)
def _item_columns() -> re.Pattern[str]:
    """Headings of the column that names a row's index ("Chỉ số nội dung", "Nội dung")."""
    return re.compile("|".join(read_toml("table_columns.toml")["patterns"]["item"]))


def _row_index(row: list[Cell], heads: list[str], family_hint: str | None) -> str | None:
    from normalizers.indices import match_index

    for cell, head in zip(row, heads, strict=False):
        if _item_columns().search(head) and (found := match_index(clean(cell.text), family_hint)):
            return found.code
    return None


def _cell_people(doc: PlanDoc, cell: Cell, role: str, index_code: str | None) -> list[_Mention]:
    """The people of a person column's cell: "Đồng chí X - Phó Chủ tịch UBND xã", "X, Công chức
    Văn phòng" or "Phó Chủ tịch UBND xã - đồng chí X"; the column says it is a name, so no family
    name is required."""
    found = [(m.start(), m.start(1), m.group(1)) for m in _honored().finditer(doc.text, cell.start, cell.end)]
    if not found:
        at = cell.start + len(doc.text[cell.start:cell.end]) - len(doc.text[cell.start:cell.end].lstrip())
        bare = re.compile(_NAME).match(doc.text, at, cell.end)
        found = [(at, at, bare.group())] if bare else []
    out = []
    for mention_start, start, raw in found:
        name = _trim_name(raw)
        if not name:
            continue
        end = start + len(name)
        before = clean(doc.text[cell.start:mention_start]).strip(" ,:-")
        title = _title_after(doc.text, end, cell.end) or (_cut_title(before) if _core_title(before) else None)
        out.append(_Mention(name, start, end, role, title, index_code if role == "leader" else None))
    return out


@lru_cache(maxsize=1)
def _honored() -> re.Pattern[str]:
    """An honorific and the name after it: "Đồng chí Vũ Thị Thanh Hương"."""
    honor = "|".join(re.escape(h) for h in _vocab()["people"]["honorifics"])
    return re.compile(rf"(?<!\w)(?:{honor})\s+({_NAME})")


def _table_people(doc: PlanDoc, family_hint: str | None) -> list[_Mention]:
    """People of tables with a "Lãnh đạo phụ trách" / "Công chức phụ trách" column; a leader takes
    the index of its row."""
    out: list[_Mention] = []
    for table in doc.tables():
        heads = _header_cells(table)
        roles = {i: r for i, h in enumerate(heads) if (r := _column_role(h))}
        if not roles:
            continue
        for row in (table.rows or [])[1:]:
            index_code = _row_index(row, heads, family_hint) if "leader" in roles.values() else None
            for col, role in roles.items():
                if col < len(row) and row[col].end > row[col].start:
                    out += _cell_people(doc, row[col], role, index_code)
    return out


def _split_run(run: list[str], after_body: bool) -> int | None:
    """Where the name starts in a capitalised run after a title ("Hà Tĩnh Trần Minh Đức"): at a
    family name, the preferred name lengths first; the whole run when none starts one and the run
    follows the title's body ("UBND tỉnh", "xã")."""
    families = _vocab()["people"]["family_names"]
    for length in _NAME_LEN:
        i = len(run) - length
        if i >= 0 and run[i] in families:
            return i
    return 0 if after_body and 2 <= len(run) <= 4 else None


@lru_cache(maxsize=1)
def _spot_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(an honorific, a title, a name, a capitalised run, the end of a title's body: "UBND tỉnh", "xã")."""
    honorifics = _vocab()["people"]["honorifics"]
    honor = "|".join(re.escape(h) for h in honorifics)
    first = "".join(sorted({re.escape(h[0]) for h in honorifics}))  # a quick first test
    titles = "|".join(re.escape(t) for t in _titles())
    localities = "|".join(re.escape(t) for t in _vocab()["locality_types"])
    return (re.compile(rf"(?=[{first}])(?<!\w)(?:{honor})\s+"),
            re.compile(rf"(?:{titles})(?!\w)"),
            re.compile(_NAME),
            re.compile(rf"(?<!\S){_WORD}(?:[ \t]+{_WORD})*(?!\w)"),
            re.compile(rf"(?:^|\s)(?:{localities}|[{UP}]{{2,}})\s*$"))


def _honorific_ends(text: str) -> list[int]:
    """Where the words after each honorific ("Đồng chí ", "ông ") start; one scan for all readers."""
    return [m.end() for m in _spot_patterns()[0].finditer(text)]


def _titled(doc: PlanDoc, taken: list[_Mention], spots: list[int]) -> list[_Mention]:
    """"Đồng chí Phó Chủ tịch UBND tỉnh Trần Minh Đức": an honorific, the title, then the name: the
    first capitalised run of the clause (before any predicate) that holds a name."""
    _, title_re, _, runs, body_end = _spot_patterns()
    out = []
    for at_title in spots:
        m = title_re.match(doc.text, at_title)
        if not m:
            continue
        clause = re.split(r"[,;.:()|\n]", doc.text[m.end():m.end() + 120], maxsplit=1)[0]
        clause = _title_end().split(clause, maxsplit=1)[0]
        for run in runs.finditer(clause):
            words = run.group().split()
            at = _split_run(words, bool(body_end.search(doc.text[at_title:m.end() + run.start()])))
            name = _trim_name(" ".join(words[at:])) if at is not None else None
            if at is None or name != " ".join(words[at:]):
                continue
            start = m.end() + run.start() + len(" ".join(words[:at])) + (1 if at else 0)
            if not any(t.start <= start < t.end for t in taken):
                title = _cut_title(doc.text[at_title:start].strip()) or None
                out.append(_Mention(name, start, start + len(name), "other", title))
            break
    return out


@lru_cache(maxsize=1)
def _heading_leader_words() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in _vocab()["people"]["heading_leader_words"])
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)")


def _heading_leader(doc: PlanDoc, start: int, end: int) -> bool:
    """Whether the name at `start`-`end` stands in brackets in a heading that puts it in charge of the
    part: "1. Nhóm nội dung … (Bà X, Phó Chủ tịch UBND xã phụ trách)"; the words are read up to the
    bracket's close. A numbered sentence "1. Đồng chí X, Phó Chủ tịch … chỉ đạo …" (an item the outline
    also holds) is no such heading: its name is not in brackets."""
    node = next((n for n in doc.outline if n.start <= start and end <= n.heading_end), None)
    if node is None:
        return False
    before = doc.text[node.start:start]
    if before.count("(") <= before.count(")"):
        return False
    rest = re.split(r"[()]", doc.text[end:node.heading_end], maxsplit=1)[0]
    return _heading_leader_words().search(rest) is not None


def _others(doc: PlanDoc, taken: list[_Mention], spots: list[int], family_hint: str | None) -> list[_Mention]:
    """"ông X", "đồng chí X, Phó Chủ tịch UBND xã": a name after an honorific starts with a family
    name, unless a title follows it; named in charge in a heading, the person is its leader."""
    families = _vocab()["people"]["family_names"]
    name_re = _spot_patterns()[2]
    out = []
    for start in spots:
        m = name_re.match(doc.text, start)
        name = _trim_name(m.group()) if m else None
        if not name or any(t.start <= start < t.end for t in taken):
            continue
        end = start + len(name)
        title = _title_after(doc.text, end)
        if name.split()[0] in families or title:
            if _heading_leader(doc, start, end):
                out.append(_Mention(name, start, end, "leader", title, _index_code(doc, start, family_hint)))
            else:
                out.append(_Mention(name, start, end, "other", title))
    return out


def _letter_typo(a: str, b: str) -> bool:
    """Two spellings of a name of 3+ syllables that differ, after folding marks, by one letter of one
    syllable ("Phan Thị Kim Oanh" / "Phan Thị Kim Oang"): a typo of the name, not another name."""
    wa, wb = fold(a).split(), fold(b).split()
    if len(wa) != len(wb) or len(wa) < TYPO_MIN_SYLLABLES:
        return False
    differ = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return len(differ) == 1 and Levenshtein.distance(*differ[0]) == 1


def _typo_merge(clusters: list[list[_Mention]], order: dict[int, int]) -> list[list[_Mention]]:
    """A spelling met once joins the person it is a one-letter typo of when that spelling is met more
    often (or signs) and both carry the same post: two officials of one post whose names differ by a
    letter would each be named more than once. `order` keeps the mentions' reading order."""
    absorbed: set[int] = set()
    for c in clusters:
        core = _core_title(c[0].title)
        if len(c) > 1 or c[0].role == "signer" or core is None:
            continue
        host = next((h for h in clusters if (len(h) > 1 or h[0].role == "signer") and id(h) not in absorbed
                     and _letter_typo(h[0].name, c[0].name)
                     and {_core_title(x.title) for x in h} - {None} == {core}), None)
        if host is not None:
            host.append(c[0])
            host.sort(key=lambda m: order[id(m)])
            absorbed.add(id(c))
    return [c for c in clusters if id(c) not in absorbed]


def _roles(mentions: list[_Mention]) -> list[str]:
    """The roles of one person; "other" only for a person who neither signs nor leads: the signer named
    again in the body ("1. Đồng chí X, Phó Chủ tịch UBND xã trực tiếp chỉ đạo …") is the signer."""
    roles = [r for r in ROLE_ORDER if any(m.role == r for m in mentions)]
    return [r for r in roles if r != "other"] if len(roles) > 1 else roles


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
    clusters = _typo_merge(clusters, {id(m): i for i, m in enumerate(mentions)})
    for c in clusters:
        signed = [m for m in c if m.role == "signer"]
        counts = Counter(m.name for m in c)
        canonical = signed[0].name if signed else max(counts, key=lambda n: counts[n])
        titles = Counter(m.title for m in c if m.title)
        anchor = signed[0] if signed else next(m for m in c if m.name == canonical)
        rows.append(PersonRow(
            name=canonical,
            title=max(titles, key=lambda t: (titles[t], len(t))) if titles else None,
            roles=_roles(c),
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
    mentions += _table_people(doc, hint)
    spots = _honorific_ends(doc.text)
    mentions += _titled(doc, mentions, spots)
    mentions += _others(doc, mentions, spots, hint)
    for m in mentions:
        m.name = proper_case(m.name)
    return _merge(mentions)
