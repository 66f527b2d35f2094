"""Unit / officer-post phrases → canonical names (pipeline/data/units.csv).

`canonical_unit` resolves one phrase ("Công chức VHXXH", "Văn phòng - thống kê xã", "Phòng TC-KH
huyện"); `split_units` cuts a lead/support list into phrases; `plan_abbreviations` reads the
abbreviations a plan defines itself, which win over the catalog's. Vocabulary (prefixes, list
heads, qualifiers) lives in pipeline/data/unit_patterns.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from normalizers.text import fold, fold_same_length
from pipeline.resources import read_csv, read_toml, split_list

ABBR_FUZZY = 85.0  # typo'd abbreviations: VHXXH -> VHXH, LĐTBOXH -> LĐTBXH
NAME_FUZZY = 90.0  # typo'd long forms: "Tur pháp - hộ tịch"
LEVELS = ("commune", "district", "province")
NAME_LIST_WORDS = 3  # the fields a unit's name lists are short: "Văn hóa, Thể thao và Truyền thông"

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DASHES = re.compile(r"\s*[-–—]+\s*")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    level: str
    canonical: str
    prefix: str  # "Công chức" for commune civil-servant posts, else ""

    @property
    def rendered(self) -> str:
        return f"{self.prefix} {self.canonical}" if self.prefix else self.canonical


def _name_key(text: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", fold(text).replace("&", " va ")).split())


def _abbr_key(text: str) -> str:
    return _NON_ALNUM.sub("", fold(text))


@dataclass(frozen=True)
class _Catalog:
    names: dict[str, tuple[Unit, ...]]  # long-form key -> units (several levels may share one)
    headless: dict[str, tuple[Unit, ...]]  # "Tài chính - Kế hoạch" for "Phòng Tài chính - Kế hoạch"
    abbrs: dict[str, tuple[Unit, ...]]


@lru_cache(maxsize=1)
def _catalog() -> _Catalog:
    names: dict[str, list[Unit]] = {}
    headless: dict[str, list[Unit]] = {}
    abbrs: dict[str, list[Unit]] = {}
    for row in read_csv("units.csv"):
        unit = Unit(row["level"], row["canonical"], (row.get("prefix") or "").strip())
        for form in [row["canonical"], *split_list(row.get("variants"))]:
            names.setdefault(_name_key(form), []).append(unit)
        if fold(row["canonical"]).startswith("phong "):
            headless.setdefault(_name_key(row["canonical"].split(" ", 1)[1]), []).append(unit)
        for abbr in split_list(row.get("abbreviations")):
            abbrs.setdefault(_abbr_key(abbr), []).append(unit)

    def freeze(d: dict[str, list[Unit]]) -> dict[str, tuple[Unit, ...]]:
        return {k: tuple(v) for k, v in d.items()}

    return _Catalog(freeze(names), freeze(headless), freeze(abbrs))


@lru_cache(maxsize=1)
def _patterns() -> dict:
    spec = read_toml("unit_patterns.toml")
    return {
        "post_prefixes": tuple(spec["post_prefixes"]),
        "heads": tuple(spec["heads"]),
        "name_list_heads_excluded": frozenset(spec["generic_heads"] + spec["post_prefixes"]),
        "qualifier": re.compile(spec["qualifier"], re.IGNORECASE),
        "narrowing": re.compile(spec["narrowing"], re.IGNORECASE),
        "leading": re.compile(spec["leading"], re.IGNORECASE),
        "abbr_intro": re.compile(spec["abbreviation_intro"]),
        "level_of_word": spec["level_of_word"],
        "bound_levels": frozenset(spec["bound_levels"]),
        "level_word": re.compile(r"\s((?i:" + "|".join(sorted(spec["level_of_word"], key=len, reverse=True))
                                 + r"))(?:\s+[A-ZĐ]\S*){0,3}$"),
    }


def _pick(units: tuple[Unit, ...], level: str | None) -> Unit:
    for unit in units:
        if unit.level == level:
            return unit
    return units[0]


def _clean(raw: str) -> str:
    text = _SPACES.sub(" ", raw.replace("\u00a0", " ")).strip()
    text = _DASHES.sub(" - ", text)
    text = re.sub(r"^[\s\-+*•·.;:,]+|[\s.;:,…]+$", "", text)
    text = re.sub(r"\.{2,}$|…$", "", text).strip()
    return _patterns()["leading"].sub("", text).strip()


def _strip_post_prefix(text: str) -> tuple[str, bool]:
    """'Công chức VPTK' -> ('VPTK', True); 'Các công chức Văn hóa - xã hội' -> (…, True)."""
    folded = fold(text)
    for prefix in _patterns()["post_prefixes"]:
        if folded.startswith(prefix + " "):
            return text[len(prefix) + 1:].strip(), True
    return text, False


def _looks_abbreviated(text: str) -> bool:
    """'VHXH', 'TC-KH', and runs of upper-case words: 'UB MTTQ', 'VP HĐND&UBND'."""
    words = text.replace(" - ", "-").split()
    if len(words) > 1:
        return all(sum(c.isupper() for c in w) >= 2 and not any(c.islower() for c in w) for w in words)
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= len(letters) - 1


def _lookup_exact(text: str, level: str | None) -> Unit | None:
    cat = _catalog()
    key = _name_key(text)
    hit = cat.names.get(key) or (cat.headless.get(key) if level != "commune" else None)
    if hit:
        return _pick(hit, level)
    if _looks_abbreviated(text):
        hit = cat.abbrs.get(_abbr_key(text))
        return _pick(hit, level) if hit else None
    head, _, tail = text.partition(" ")
    if tail and _looks_abbreviated(tail):  # "Phòng TC-KH", "Sở KH&ĐT"; "Đoàn TN" is listed whole
        units = tuple(u for u in cat.abbrs.get(_abbr_key(tail), ()) if fold(u.canonical).startswith(fold(head)))
        units = units or cat.abbrs.get(_abbr_key(text), ())
        return _pick(units, level) if units else None
    return None


def _closest_abbr(key: str, keys: list[str]) -> str | None:
    """A typo'd abbreviation: same length or one letter more than a known one of 4+ letters
    (VHXXH -> VHXH); dropping letters is not allowed, short abbreviations are too ambiguous."""
    found = process.extractOne(key, [k for k in keys if 4 <= len(k) <= len(key)], scorer=fuzz.ratio,
                               score_cutoff=ABBR_FUZZY)
    return found[0] if found else None


@lru_cache(maxsize=512)
def _names_near(length: int) -> list[str]:
    """Catalog names within two letters of `length`, in catalog order (ties resolve as before)."""
    return [k for k in _catalog().names if abs(len(k) - length) <= 2]


def _lookup_fuzzy(text: str, level: str | None) -> Unit | None:
    cat = _catalog()
    if _looks_abbreviated(text):
        found = _closest_abbr(_abbr_key(text), list(cat.abbrs))
        return _pick(cat.abbrs[found], level) if found else None
    key = _name_key(text)
    if len(key) < 8:
        return None
    # typos change a few letters; a missing head word ("Sở …") is a different unit
    found = process.extractOne(key, _names_near(len(key)), scorer=fuzz.ratio, score_cutoff=NAME_FUZZY)
    return _pick(cat.names[found[0]], level) if found else None


def _forms(core: str) -> list[str]:
    """The phrase, then without an annotation "(…)" or a narrowing clause, then without a locality
    qualifier (tried at every word, so "Văn phòng HĐND và UBND huyện" loses only "huyện")."""
    pats = _patterns()
    forms = [core]
    bare = _SPACES.sub(" ", re.sub(r"\([^()]*\)", " ", core)).strip()
    for form in (bare, pats["narrowing"].sub("", bare).strip()):
        if form and form not in forms:
            forms.append(form)
    for form in list(forms):
        for space in re.finditer(r"\s", form):
            m = pats["qualifier"].match(form, space.start())
            names = [w for w in m.group("names").split() if w != "-"] if m else []
            if m and all(w[:1].isupper() for w in names) and form[: m.start()].strip():
                forms.append(form[: m.start()].strip())
    return list(dict.fromkeys(forms))


def resolve_unit(raw: str, level: str | None = None,
                 abbreviations: dict[str, str] | None = None, fuzzy: bool = True) -> Unit | None:
    """The catalog unit a phrase names, or None. An abbreviation the plan defines is expanded
    first, and its expansion must then match the catalog exactly (the plan's meaning wins)."""
    if abbreviations:
        forms = _phrase_forms(raw)
        expanded = _expand(forms[1], abbreviations) if forms else None
        if expanded is not None:
            return _resolve(expanded, level, False)
    return _resolve(raw, level, fuzzy)


def _phrase_forms(raw: str) -> tuple[str, list[str]] | None:
    """(core without a post prefix, the forms to look up), or None for an empty phrase."""
    text = _clean(raw)
    if not text:
        return None
    core, _ = _strip_post_prefix(text)
    return core, _forms(core) + ([text] if core != text else [])


@lru_cache(maxsize=8192)  # bounded; unit phrases recur within and across plans
def _resolve(raw: str, level: str | None, fuzzy: bool) -> Unit | None:
    found = _phrase_forms(raw)
    if not found:
        return None
    core, forms = found
    for lookup in (_lookup_exact, _lookup_fuzzy) if fuzzy else (_lookup_exact,):
        for form in forms:
            unit = lookup(form, level)
            if unit and _same_level(core, unit):
                return unit
    return None


def _qualifier_levels(text: str) -> set[str]:
    """Admin levels a trailing locality word names ("Công an tỉnh" -> province); empty if none."""
    m = _patterns()["level_word"].search(" " + text)
    return set(_patterns()["level_of_word"][m.group(1).lower()]) if m else set()


def _same_level(text: str, unit: Unit) -> bool:
    """A catalog name that carries its level ("Công an xã", "Bảo hiểm xã hội huyện") is not the
    unit of a phrase naming another level ("Công an tỉnh", "Bảo hiểm xã hội tỉnh"); nor is a unit of
    a bound level (district) the unit of a phrase naming higher levels only ("Văn phòng Đăng ký đất
    đai tỉnh" is no "Chi nhánh Văn phòng Đăng ký đất đai")."""
    want, have = _qualifier_levels(text), _qualifier_levels(unit.canonical)
    if want and not have and unit.level in _patterns()["bound_levels"]:
        return any(LEVELS.index(w) <= LEVELS.index(unit.level) for w in want)
    return not want or not have or bool(want & have)


def _expand(forms: list[str], abbreviations: dict[str, str]) -> str | None:
    """The plan's expansion of a phrase: a short name it defined ("Văn phòng" for "Văn phòng HĐND
    và UBND xã") must be the whole phrase (a parenthesis aside: "Văn phòng UBND tỉnh" is another
    unit); an acronym may be any form of it, or a typo of one."""
    words = {_name_key(k): v for k, v in abbreviations.items() if not _ABBR_TOKEN.match(k)}
    if words and forms:
        whole = {_name_key(forms[0]), _name_key(re.sub(r"\([^()]*\)", " ", forms[0]))}  # "(phối hợp)" aside
        hit = next((words[k] for k in whole if k in words), None)
        if hit:
            return hit
    keys = {_abbr_key(k): v for k, v in abbreviations.items() if _ABBR_TOKEN.match(k)}
    for form in forms:
        if not _looks_abbreviated(form):
            continue
        key = _abbr_key(form)
        found = key if key in keys else _closest_abbr(key, list(keys))
        if found:
            return keys[found]
    return None


def canonical_unit(raw: str, level: str | None = None, abbreviations: dict[str, str] | None = None) -> str:
    """Canonical name of a unit/post phrase; unknown phrases come back cleaned as written
    (an abbreviation the plan defines comes back expanded)."""
    unit = resolve_unit(raw, level, abbreviations)
    if unit:
        return unit.rendered
    text = _clean(raw)
    if abbreviations:
        core, is_post = _strip_post_prefix(text)
        expanded = _expand(_forms(core), abbreviations)
        if expanded:
            text = f"Công chức {_clean(expanded)}" if is_post else _clean(expanded)
    return text[:1].upper() + text[1:]


def _starts_with_head(text: str) -> bool:
    folded = fold(text)
    return any(folded == h or folded.startswith(h + " ") for h in _patterns()["heads"])


def _split_top(text: str, seps: str) -> list[str]:
    """Split on any of `seps` outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip(" .;:,…")]


def _head(text: str) -> str | None:
    """The list head a phrase starts with ("trung tam" for "Trung tâm Y tế"), longest first."""
    folded = fold(text)
    return max((h for h in _patterns()["heads"] if folded == h or folded.startswith(h + " ")), key=len, default=None)


def _name_list_end(prev: str, pieces: list[str], i: int, level: str | None) -> int | None:
    """Where a unit name cut at its commas ends: "Trung tâm Văn hóa, Thể thao và Truyền thông huyện"
    lists its fields "A, B và C" inside the name. `prev` is a head and a few words naming no known
    unit ("Trung tâm Văn hóa"); pieces[i:k] are short capitalised words that start no unit, the last
    one "B và C" with C capitalised; none of them a known unit ("Trung tâm Y tế, Tư pháp và Nội vụ" is
    a list of units). Returns k, or None when the pieces are units of a list."""
    head = _head(prev)
    if head is None or head in _patterns()["name_list_heads_excluded"] \
            or len(prev.split()) - len(head.split()) > NAME_LIST_WORDS or resolve_unit(prev, level):
        return None
    for k in range(i, len(pieces)):
        piece = pieces[k]
        if not piece[:1].isupper() or _starts_with_head(piece) or resolve_unit(piece, level):
            return None
        left, sep, right = piece.partition(" và ")
        if not sep:
            if len(piece.split()) > NAME_LIST_WORDS:
                return None
            continue
        ok = len(left.split()) <= NAME_LIST_WORDS and right[:1].isupper() and not _starts_with_head(right) \
            and len(right.split()) <= NAME_LIST_WORDS + 1  # + a locality word: "Truyền thông huyện"
        return k + 1 if ok and not resolve_unit(left, level) and not resolve_unit(right, level) else None
    return None


def _split_commas(item: str, level: str | None) -> list[str]:
    pieces = _split_top(item, ",")
    out: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if out and (k := _name_list_end(out[-1], pieces, i, level)):
            out[-1] = ", ".join([out[-1], *pieces[i:k]])
            i = k
            continue
        i += 1
        plural = fold(piece).startswith("cac ")  # "Sở X, các sở, ban, ngành": a new group of units
        if out and (_lookup_exact(f"{out[-1]}, {piece}", level)
                    or not (piece[:1].isupper() or plural or _lookup_exact(piece, level))):
            out[-1] = f"{out[-1]}, {piece}"  # "UBND các xã, thị trấn"; "các tổ chức, cơ quan, đơn vị"
        else:
            out.append(piece)
    return out


def _split_and(item: str, level: str | None) -> list[str]:
    if resolve_unit(item, level):
        return [item]
    parts = re.split(r"\s+(?:và|cùng)\s+", item)
    if len(parts) < 2:
        return [item]
    left, right = " và ".join(parts[:-1]), parts[-1]
    if _starts_with_head(right) or (resolve_unit(left, level) and resolve_unit(right, level)):
        return [*_split_and(left, level), right]
    return [item]


def split_units(text: str, level: str | None = None) -> list[str]:
    """Unit phrases of a lead/support list, with a list's "Công chức" prefix carried to each post:
    'Các công chức Văn hóa - xã hội, Tư pháp - hộ tịch' -> ['Công chức Văn hóa - xã hội',
    'Công chức Tư pháp - hộ tịch']."""
    return list(_split_units(text, level))


@lru_cache(maxsize=4096)  # bounded; extractors split the same lists more than once
def _split_units(text: str, level: str | None) -> tuple[str, ...]:
    text = _SPACES.sub(" ", text).strip()
    items: list[str] = []
    for chunk in _split_top(text, ";\n+"):
        chunk = _clean(chunk)
        m = re.match(r"^(.*?)\s*\(([^()]*[;,][^()]*)\)\s*$", chunk)
        if m:  # "Các công chức có liên quan (Tư pháp - hộ tịch; Văn hoá - xã hội…)": the named ones
            head, inner = m.group(1), m.group(2)
            _, is_post = _strip_post_prefix(head)
            inner_items = split_units(inner, level)
            items.extend(f"Công chức {i}" if is_post and not _starts_with_head(i) else i for i in inner_items)
            continue
        for piece in _split_commas(chunk, level):
            items.extend(_split_and(piece, level))
    out: list[str] = []
    carry = False
    for item in (_clean(i) for i in items):
        if not item:
            continue
        core, is_post = _strip_post_prefix(item)
        if is_post and core and resolve_unit(core, level):
            carry = True
            item = f"Công chức {core}"
        elif carry and not _starts_with_head(item):
            item = f"Công chức {item}"
        elif _starts_with_head(item):
            carry = False
        out.append(item)
    return tuple(out)


_ABBR_PAREN = re.compile(r"\(([^()]{1,60})\)")
_ABBR_TOKEN = re.compile(r"^[A-ZĐ][A-ZĐ0-9&\-. ]{0,14}[A-ZĐ0-9]$")
_CONNECTORS = {"va", "&", "-", "cac"}
_QUOTES = "\"'“”‘’«» :"
SHORT_NAME_WORDS = 4  # "(gọi tắt là Văn phòng)": a short name is a few words
LONG_FORM_WORDS = 16


def plan_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a plan defines: 'Văn phòng - Thống kê (VPTK)' -> {'VPTK': 'Văn phòng - Thống
    kê'}: the long form is the shortest run of preceding words whose initials spell the
    abbreviation (connectors like 'và' may be skipped). A short name introduced as such, 'Văn phòng
    HĐND và UBND xã (gọi tắt là Văn phòng)', is defined too: its long form is the preceding phrase
    from the short name's first words on ({'Văn phòng': 'Văn phòng HĐND và UBND xã'})."""
    intro = _patterns()["abbr_intro"]
    found: dict[str, str] = {}
    for m in _ABBR_PAREN.finditer(text):
        inner = m.group(1).strip()
        im = intro.match(fold_same_length(inner))  # offsets map onto `inner`
        abbr = inner[im.end():].strip(_QUOTES) if im else inner
        if abbr in found:
            continue
        before = text[max(0, m.start() - 200): m.start()]
        before = re.split(r"[\n;:,.()\"“”]", before)[-1]
        if _ABBR_TOKEN.match(abbr):
            long_form = _long_form(before, _abbr_key(abbr))
        elif im:
            long_form = _named_long_form(before, abbr)
        else:
            continue
        if long_form:
            found[abbr] = long_form
    return found


def _named_long_form(before: str, short: str) -> str | None:
    """'… giao Văn phòng HĐND và UBND xã' + 'Văn phòng' -> 'Văn phòng HĐND và UBND xã': the words
    from the first place the short name's words start the phrase; a short name ending in initials
    ('Phòng VHXH') needs the rest of the phrase to spell them ('Phòng Văn hóa - Xã hội'). None when
    the phrase does not start so."""
    parts = short.split()
    if not parts or len(parts) > SHORT_NAME_WORDS or not short[:1].isupper():
        return None
    initials = parts.pop() if len(parts) > 1 and _ABBR_TOKEN.match(parts[-1]) else None
    head = [fold(w) for w in parts]
    words = before.split()
    for i in range(len(words) - len(head)):
        if [fold(w) for w in words[i:i + len(head)]] != head:
            continue
        run, rest = words[i:], " ".join(words[i + len(head):])
        if len(run) > LONG_FORM_WORDS or (initials and _long_form(rest, _abbr_key(initials)) != rest):
            return None
        return " ".join(run)
    return None


def _long_form(before: str, letters: str) -> str | None:
    words = before.split()
    for k in range(1, min(len(words), 16) + 1):
        run = words[-k:]
        initials = [fold(w)[:1] for w in run if fold(w) not in _CONNECTORS and fold(w)[:1].isalnum()]
        every = [fold(w)[:1] for w in run if fold(w)[:1].isalnum()]
        if letters in ("".join(initials), "".join(every)):
            if fold(run[0]) in _CONNECTORS:
                return None
            return " ".join(run)
    return None
