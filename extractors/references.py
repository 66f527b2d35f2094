"""References: the documents a plan cites ("Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện
Cao Lộc", "Nghị định 61/2018/NĐ-CP", "Luật Đất đai"). A citation needs a number (documents) or a
name (laws); the plan's own "Kế hoạch này" has neither. Kinds come from pipeline/data/doc_kinds.csv.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.header import UP, preamble_end
from normalizers.text import fold
from pipeline.model import PlanDoc
from pipeline.resources import read_csv, read_toml, split_list
from pipeline.rows import ReferenceRow

_LAW_KINDS = ("Luật",)  # kinds cited by name rather than by number
_NUMBER = (r"\d+[a-zA-Z]?(?:\s*[/-]\s*\d{4})?\s*[/-]\s*[A-ZĐ][\w&-]*(?:/[\w&-]+)*[\wĐ]"  # 49/KH-UBND
           r"|\d+[a-zA-Z]?(?:\s*[/-]\s*\d{4})?\s*[/-]\s*[A-ZĐ]")  # 43/Q (single-letter symbols)
_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
_LAW_DATE = re.compile(rf"\s*,?\s*ngày\s+(?P<date>{_DATE})")
_OWN_NUMBER = re.compile(r"\bSố\s*:\s*(\d+[^\s,;]*/[^\s,;]+)")  # the plan's own "Số: 86/KH-UBND"
# A symbol a line end (a narrow table cell) cut, read with a space at the cut: "168/2025/N Đ-CP",
# "49/KH- UBND". The cut is joined when the symbol read so far lacks its hyphen (a short upper-case
# part, "N", "KH") and what follows is the rest of a hyphenated symbol ("Đ-CP") or, after a hyphen,
# an upper-case part ("- UBND").
_CUT_SYMBOL = re.compile(r"(?<=/)[A-ZĐ]{1,3}$")
_SYMBOL_REST = re.compile(r"[ \t]+([A-ZĐ]{1,3}-[A-ZĐ][\w&-]*[\wĐ])(?!\w)|-[ \t]+([A-ZĐ][\w&-]*[\wĐ])(?![\w-])")
_DATE_AFTER = re.compile(rf"\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<date>{_DATE})")


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Folded alias -> canonical kind."""
    return {fold(a): r["kind"] for r in read_csv("doc_kinds.csv") for a in split_list(r["aliases"])}


@lru_cache(maxsize=1)
def _vocab() -> dict:
    return read_toml("admin_units.toml")["references"]


@lru_cache(maxsize=1)
def _law_compounds() -> frozenset[str]:
    """Folded two-word phrases whose second word is a law stop word that does not end the name."""
    return frozenset(fold(c) for c in _vocab()["law_name_compounds"])


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    aliases = sorted({a for r in read_csv("doc_kinds.csv") for a in split_list(r["aliases"])},
                     key=len, reverse=True)
    kinds = "|".join(re.escape(a) for a in aliases)
    # (?=[first letters]): a cheap test before the alternation at each position (same matches)
    firsts = "".join(sorted({re.escape(a[0]) for a in aliases}))
    numbered = re.compile(
        rf"(?=[{firsts}])(?<!\w)(?P<kind>{kinds})\s+(?:(?P<so>số)\s*:?\s*(?P<num>{_NUMBER}|\d+)|(?P<num2>{_NUMBER}))"
        rf"(?:\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<date>{_DATE}))?", re.I)
    # Each alias literal first, its left context checked after it (the same test as before it):
    # the regex engine then skips from one first letter to the next instead of trying every position.
    laws = "|".join(rf"{a}(?<![Pp]háp {a})(?<!\w{a})"
                    for a in map(re.escape, (a for a in aliases if _kinds()[fold(a)] in _LAW_KINDS)))
    law = re.compile(rf"(?P<kind>{laws})\s+(?P<name>[^\W\d][^,;.:()\n]*)")
    return numbered, law


def _words_until(text: str, stops: list[str], max_words: int, joins_capital: bool,
                 compounds: frozenset[str] = frozenset()) -> str:
    """Leading words of text up to a lower-case stop word or punctuation; a stop word that ends one
    of `compounds` with the word before it goes on ("Luật Thực hiện dân chủ ở cơ sở" but "Luật Đất đai
    hiện hành"). "và" joins the next word when it is capitalised (issuers: "Bộ Lao động - Thương binh
    và Xã hội") or, for names, when it is not ("Luật Hỗ trợ doanh nghiệp nhỏ và vừa" but "Luật Đất đai
    và Luật Xây dựng")."""
    out: list[str] = []
    words = re.split(r"[ \t]+", re.split(r"[,;.:()\n\"|]", text, maxsplit=1)[0].strip())  # "|": a table cell ends
    for i, w in enumerate(words):
        if not w or len(out) >= max_words:
            break
        if w in stops and not (out and fold(f"{out[-1]} {w}") in compounds):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            cited = fold(" ".join(words[i + 1:i + 4]))
            if not (w == "và" and nxt and nxt[:1].isupper() == joins_capital) or any(
                    cited.startswith(k) for k in _kinds()):  # "… và Hướng dẫn số …": a new citation
                break
        out.append(w)
    return " ".join(out)


def _issuer(text: str, pos: int) -> tuple[str, int] | None:
    """The issuer after "của" at text[pos:], and the end offset of the citation."""
    m = re.compile(r"\s*,?\s*của\s+(?=[" + UP + r"])").match(text, pos)
    if not m:
        return None
    name = _words_until(text[m.end():m.end() + 200], _vocab()["issuer_stop_words"],
                        _vocab()["issuer_max_words"], True)
    return (name, m.end() + len(name)) if name else None


def extract_references(doc: PlanDoc) -> list[ReferenceRow]:
    from normalizers.dates import parse_date

    text = doc.text
    basis_end = preamble_end(doc)
    numbered, law = _patterns()
    found: list[ReferenceRow] = []
    own = _OWN_NUMBER.search(text, 0, basis_end)
    for m in numbered.finditer(text):
        kind = m.group("kind")
        if not kind[:1].isupper() and not m.group("so"):
            continue  # lower-case kind without "số": ordinary prose
        number = re.sub(r"\s+", "", m.group("num") or m.group("num2"))
        end, date_text = m.end(), m.group("date")
        num_end = m.end("num") if m.group("num") else m.end("num2")
        if _CUT_SYMBOL.search(number) and (rest := _SYMBOL_REST.match(text, num_end)):
            number = f"{number}{rest.group(1) or '-' + rest.group(2)}"
            dated = _DATE_AFTER.match(text, rest.end())
            end, date_text = (dated.end(), dated.group("date")) if dated else (rest.end(), None)
        if own and number == re.sub(r"\s+", "", own.group(1)):
            continue  # the plan itself ("Kèm theo Kế hoạch số 86/KH-UBND" above an appendix)
        date = parse_date("ngày " + date_text) if date_text else None
        issuer = _issuer(text, end)
        if issuer:
            end = issuer[1]
        found.append(ReferenceRow(_kinds()[fold(kind)], number, date, issuer[0] if issuer else None,
                                  m.start() < basis_end, text[m.start():end], m.start(), end))
    for m in law.finditer(text):
        if any(r.span_start <= m.start() < r.span_end for r in found):
            continue
        name = _words_until(m.group("name"), _vocab()["law_stop_words"], _vocab()["law_max_words"], False,
                            _law_compounds())
        if len(name.split()) < 2:
            continue
        end = m.start("name") + len(name)
        dated = _LAW_DATE.match(text, end)  # "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
        date = parse_date("ngày " + dated.group("date")) if dated else None
        end = dated.end() if dated else end
        found.append(ReferenceRow(_kinds()[fold(m.group("kind"))], None, date, None, m.start() < basis_end,
                                  text[m.start():end], m.start(), end))
    return _dedupe(sorted(found, key=lambda r: r.span_start))


_BARE_NUMBER = re.compile(r"\d+")


def _dedupe(rows: list[ReferenceRow]) -> list[ReferenceRow]:
    """One row per cited document (first citation), basis when any citation is in the preamble. A
    short form without a symbol ("Kế hoạch số 24", defined after "Kế hoạch số 24/KH-UBND ngày …")
    is the one document of its kind cited in full with that number, when there is one."""
    seen: dict[tuple[str, str], ReferenceRow] = {}
    for r in rows:
        key = (r.doc_kind, fold(r.number or r.raw))
        if key in seen:
            _absorb(seen[key], r)
        else:
            seen[key] = r
    out = list(seen.values())
    for r in [r for r in out if r.number and _BARE_NUMBER.fullmatch(r.number)]:
        full = [f for f in out if f.doc_kind == r.doc_kind and f.number and re.match(rf"{r.number}[/-]", f.number)]
        if len(full) == 1:
            _absorb(full[0], r)
            out.remove(r)
    return out


def _absorb(first: ReferenceRow, r: ReferenceRow) -> None:
    """Another citation `r` of the document `first`: its basis flag, date and issuer fill gaps; an
    issuer written in full ("UBND huyện Bố Trạch") completes one written short ("UBND huyện")."""
    first.is_basis = first.is_basis or r.is_basis
    first.date = first.date or r.date
    if not first.issuer or r.issuer and len(r.issuer) > len(first.issuer) and r.issuer.startswith(first.issuer + " "):
        first.issuer = r.issuer
