"""Scores: numeric targets, results and weights of indices (SCHEMA `scores`).

The text is read paragraph by paragraph (hard-wrapped lines rejoined), each sentence is cut into
pieces of one score value each, and a piece yields a row only when both the index and the kind of
number are certain: precision over recall. Tables with score columns ("Điểm năm 2024",
"Mục tiêu", "Xếp hạng", "Tỷ trọng") and index-labelled rows are read cell by cell. Phrases live
in data/score_phrases.toml and match on an accent-free copy of the text of the same length, so
offsets map 1:1.

Conservative choices (see tests/test_scores.py):
* a number without an index that resolves in the catalog (component, or the family total) is
  dropped, e.g. "Điểm phấn đấu năm 2023 là 61,68 điểm" (it is the plain sum of the component
  targets, not the family's total score: the total is stated separately as "Tổng điểm");
* a "điểm" number that is neither marked as a target (phấn đấu, trở lên, mục tiêu…) nor as a
  result (rank, change, kết quả, a year before the plan's) nor under such a lead sentence is
  dropped;
* percentages are kept as weights (tỷ trọng, trọng số), as targets of a "tỷ lệ … đạt N%" phrase,
  and as scores of the families scored in % (PAR INDEX, SIPAS: "Chỉ số CCHC đạt 81,36%") when a
  verb of achieving precedes them and no noun follows; survey statistics ("21,14% DN cho
  rằng…", "tối thiểu 30% cơ quan") are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.header import title_period
from normalizers.indices import IndexMatch, detect_families, match_index
from normalizers.numbers import parse_number
from normalizers.text import fold_same_length
from pipeline.model import Block, Cell, PlanDoc
from pipeline.resources import read_csv, read_toml
from pipeline.rows import ScoreRow

_LINE = re.compile(r"[^\n]+")
# A line that continues the previous one (hard-wrapped text: "đứng thứ" / "5/11 huyện").
_CONTINUES = re.compile(r"[^.:;!?\n]\n(?=[a-zà-ỹđ0-9])")
_SENTENCE_END = re.compile(r"(?=\s)(?:\s+\|\s+|(?<=[.;!?])\s+)")  # (?=\s): a quick first test
_QUOTED = re.compile(r'"([^"\n]{3,150})"')
_STRIP = " \t-+*.,;:"
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)
@dataclass(frozen=True)
class _Phrases:
    value: re.Pattern[str]
    change: re.Pattern[str]
    rank: re.Pattern[str]
    weight: re.Pattern[str]
    weight_paren: re.Pattern[str]
    percent_value: re.Pattern[str]
    percent_lead: re.Pattern[str]
    percent_after: re.Pattern[str]
    percent_families: frozenset[str]
    year: re.Pattern[str]
    comparison_year: re.Pattern[str]
    percent_target: re.Pattern[str]
    index_intro: re.Pattern[str]
    name_end: re.Pattern[str]
    list_marker: re.Pattern[str]
    list_item: re.Pattern[str]
    bare_min_score: float
    separator: re.Pattern[str]
    index_start: re.Pattern[str]
    scale_note: re.Pattern[str]
    heading: re.Pattern[str]
    top_heading: re.Pattern[str]
    target: re.Pattern[str]
    result: re.Pattern[str]
    total: re.Pattern[str]
    ge: re.Pattern[str]
    le: re.Pattern[str]
    survey: re.Pattern[str]
    any_index: re.Pattern[str]
    shared: re.Pattern[str]
    column_target: re.Pattern[str]
    column_result: re.Pattern[str]
    column_weight: re.Pattern[str]
    column_change: re.Pattern[str]
    column_year: re.Pattern[str]
    column_rank: re.Pattern[str]
    cell_sign: re.Pattern[str]


@lru_cache(maxsize=1)
def _phrases() -> _Phrases:
    spec = read_toml("score_phrases.toml")
    single = {k: re.compile(v) for k, v in spec.items() if isinstance(v, str)}
    cues = {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in spec["cues"].items()}
    return _Phrases(**single, **cues, bare_min_score=float(spec["bare_min_score"]),
                    percent_families=frozenset(spec["percent_families"]))


_TITLE_WORD = re.compile(r"^\W*ke hoach\W*$")
_TITLE_END = re.compile(r"^\W*(?:can cu|thuc hien (?:ke hoach|nghi quyet|quyet dinh|chi thi|cong van|van ban)"
                        r"|[ivx]+[.)]\s)")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\s+((?:19|20)\d\d)")


def plan_title(doc: PlanDoc) -> str:
    """The title lines under "KẾ HOẠCH" (up to the legal basis), "" when there is no such word."""
    lines = doc.text[:4000].split("\n")
    for i, line in enumerate(lines):
        if _TITLE_WORD.match(fold_same_length(line)):
            title = lines[i + 1:i + 2]
            for nxt in lines[i + 2:i + 5]:
                if _TITLE_END.match(fold_same_length(nxt)):
                    break
                title.append(nxt)
            return " ".join(title)
    return ""


def plan_years(doc: PlanDoc) -> tuple[int | None, int | None]:
    """(first, last) year the plan covers, read from its title ("… năm 2023", "giai đoạn
    2023 - 2025", "những tháng cuối năm 2025 và năm 2026"), else from the issue-date line; (None, None)
    when neither says."""
    period = title_period(plan_title(doc))  # the header's reading of the title's years
    if period:
        return period
    for line in fold_same_length(doc.text[:2000]).split("\n")[:15]:
        if d := _DATE_LINE.search(line):
            return int(d.group(1)), int(d.group(1))
    return None, None


def plan_family(doc: PlanDoc) -> str | None:
    """The one index family the plan is about (from its title, else the text), or None."""
    for text in (plan_title(doc), doc.text):
        families = detect_families(text)
        if families:
            return families[0] if len(families) == 1 else None
    return None


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(r["code"] for r in read_csv("indices.csv"))


def total_code(family: str) -> str:
    """The family's overall-score code (`DDCI.TOTAL`), or the family code itself when the
    catalog has no TOTAL entry for it."""
    code = f"{family}.TOTAL"
    return code if code in _codes() else family


@dataclass
class _Index:
    family: str
    code: str


def _as_index(m: IndexMatch | None) -> _Index | None:
    if m is None:
        return None
    code = m.code if "." in m.code else total_code(m.family)
    return _Index(m.family, code)


def _named_index(text: str, key: str, hint: str | None, bare: bool = False) -> _Index | None:
    """The index a piece of text names: a quoted name, or the words after "Chỉ số"; with `bare`,
    also the text itself ("Tính minh bạch đạt …") at a stricter score. A name's end is unknown
    in folded text ("đạt" and "đất" fold alike), so every candidate end is tried."""
    p = _phrases()
    for q in _QUOTED.finditer(text):
        if found := _as_index(match_index(q.group(1).strip("*_ "), hint)):
            return found
    starts = [(m.end(), 0.0) for m in p.index_intro.finditer(key)]
    if bare:
        lead = p.list_marker.match(key)
        starts.append((lead.end() if lead else 0, p.bare_min_score))
    best: IndexMatch | None = None
    for start, min_score in starts:
        ends = [m.start() for m in p.name_end.finditer(key, start, start + 150)][:8] + [len(key)]
        for end in ends:
            name = text[start:end].strip(" \"*_")
            found = match_index(name, hint) if len(name) >= 3 else None
            if found and found.score >= min_score and (best is None or found.score > best.score):
                best = found
    return _as_index(best)


_LIST_CUT = re.compile(r"\s*[,;]\s*")
_AND = re.compile(r"\s+va\s+")
_LIST_TAIL = re.compile(r"(?:\s*(?:[,;]|\bva\b))+\s*$")


def _listed_component(text: str, key: str, hint: str | None) -> list[_Index]:
    """The components one list item names: "chỉ số A" or a bare name; "A và B" is two names when
    its halves name two different components ("và" also occurs inside a name: "Tính minh bạch và
    tiếp cận thông tin")."""
    bare = _phrases().index_intro.match(key) is None
    for m in _AND.finditer(key):
        left = _named_index(text[:m.start()], key[:m.start()], hint, bare=bare)
        right = _listed_component(text[m.end():], key[m.end():], hint)
        if left and "." in left.code and right and all(left.code != r.code for r in right):
            return [left, *right]
    found = _named_index(text, key, hint, bare=bare)
    return [found] if found and "." in found.code else []


def _shared_indices(text: str, key: str, hint: str | None) -> list[_Index]:
    """The components listed before a distributive word ("mỗi chỉ số", "đều") that share the number
    after it: "chỉ số A và chỉ số B mỗi chỉ số đạt …", "các chỉ số A, B và C đều đạt …"; [] unless
    two or more are named."""
    p = _phrases()
    lo = key.rfind(":") + 1
    cue = p.shared.search(key, lo)
    if cue is None:
        return []
    # items: from each "chỉ số" and after each comma; a "và" right before the next "chỉ số" ends an item.
    # When every item opens with "chỉ số"/"yếu tố", a comma is part of a name ("yếu tố Tiếp nhận, xử lý
    # phản ánh, kiến nghị"), no cut.
    intros = [m.start() for m in p.index_intro.finditer(key, lo, cue.start())]
    commas = [] if len(intros) >= 2 else [m.end() for m in _LIST_CUT.finditer(key, lo, cue.start())]
    cuts = sorted({lo, *intros, *commas})
    found: list[_Index] = []
    for a, b in zip(cuts, [*cuts[1:], cue.start()], strict=True):
        tail = _LIST_TAIL.search(key, a, b)
        b = tail.start() if tail else b
        if b - a < 3:
            continue
        for index in _listed_component(text[a:b], key[a:b], hint):
            if all(index.code != f.code for f in found):
                found.append(index)
    return found if len(found) >= 2 else []


def _total_index(key: str, text: str, hint: str | None) -> _Index | None:
    families = detect_families(text)
    if not _phrases().total.search(key) and not families:
        return None
    family = families[0] if len(families) == 1 else hint if not families else None
    return _Index(family, total_code(family)) if family else None


def _year(key: str) -> int | None:
    """The first year of a clause that is not a "so với năm …" comparison year."""
    p = _phrases()
    for m in p.year.finditer(key):
        if not p.comparison_year.search(key[max(0, m.start() - 30):m.start()]):
            return int(m.group("year"))
    return None


@dataclass
class _Context:
    """What the lead sentence of a list says about the numbers that follow it."""

    kind: str | None = None
    year: int | None = None


def _paragraphs(text: str, breaks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Spans of the text's lines, a line that plainly continues the previous one joined to it; a line
    that starts at one of `breaks` (a table row) is never a continuation."""
    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        if spans and m.start() not in breaks and _CONTINUES.match(text, m.start() - 2):
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
    return spans


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences (and table cells) of a line, trimmed of bullets and end punctuation."""
    cuts = [start]
    for m in _SENTENCE_END.finditer(text, start, end):
        cuts += [m.start(), m.end()]
    cuts.append(end)
    spans = (_trim(text, a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True))
    return [(a, b) for a, b in spans if b > a]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _STRIP:
        a += 1
    while b > a and text[b - 1] in _STRIP:
        b -= 1
    return a, b


def _anchors(key: str, a: int, b: int) -> list[re.Match[str]]:
    """The score values of a span: "N điểm", or "đạt N%" not followed by a noun (a score of a family
    scored in %, checked once the index is known), that are not a change, not in parentheses and
    not the share of a "tỷ lệ …" target."""
    p = _phrases()
    if not _DIGIT.search(key, a, b):  # most sentences: no number at all (found by a fast scan)
        return []
    values = list(p.value.finditer(key, a, b))
    percents = list(p.percent_value.finditer(key, a, b))
    if not values and not percents:
        return []
    changes = [(m.start(), m.end()) for m in p.change.finditer(key, a, b)]
    if percents:
        shares = [m.start("num") for m in p.percent_target.finditer(key, a, b)]
        percents = [m for m in percents
                    if p.percent_lead.search(key, max(a, m.start() - 40), m.start())
                    and p.percent_after.match(key, m.end(), b) and m.start("num") not in shares]
    found = sorted([*values, *percents], key=lambda m: m.start())
    return [m for m in found
            if not any(s <= m.start() < e for s, e in changes)
            and (key.count("(", a, m.start()) <= key.count(")", a, m.start()) or _bracketed_value(key, a, m))]


_OPEN_BEFORE = re.compile(r"\(\s*$")
_CLOSE_AFTER = re.compile(r"\s*\)")
_AFTER_BRACKET = re.compile(r"\s*(?:[,;]\s*)?(?:\bva\b\s*)?")


def _bracketed_value(key: str, a: int, anchor: re.Match[str]) -> bool:
    """A value that stands alone in brackets right after what it scores: "Thủ tục hành chính công
    (7,05 điểm)" (a bracket holding more, "(năm 2022: 6,5 điểm)", "(tăng 0,5 điểm)", is a side note)."""
    return (_OPEN_BEFORE.search(key, max(a, anchor.start() - 3), anchor.start()) is not None
            and _CLOSE_AFTER.match(key, anchor.end()) is not None)


def _is_percent(anchor: re.Match[str]) -> bool:
    return anchor.re is _phrases().percent_value


def _naming_cut(text: str, key: str, seps: list[re.Match[str]], end: int,
                hint: str | None) -> re.Match[str] | None:
    """The last separator after which the text up to `end` names an index, when the text after the
    last one names none: a comma inside a name ("nhóm Mức độ hài lòng đối với việc xây dựng, tổ chức
    thực hiện chính sách đạt 79,18%") is no cut."""
    for sep in reversed(seps):
        piece, piece_key = text[sep.end():end], key[sep.end():end]
        if _named_index(piece, piece_key, hint) or _named_index(piece, piece_key, hint, bare=True):
            return sep
    return None


def _pieces(text: str, key: str, a: int, b: int, hint: str | None = None) -> list[tuple[int, int, re.Match[str]]]:
    """A sentence cut into pieces of one score value each (with its rank, change and cues):
    the cut before each further value is the separator that starts a new "chỉ số", else the
    last comma/semicolon before that value after which an index is named, else the last one.
    Values with no separator before them are ignored."""
    p = _phrases()
    anchors = _anchors(key, a, b)
    out: list[tuple[int, int, re.Match[str]]] = []
    start, prev_end = a, None
    for anchor in anchors:
        if prev_end is not None:
            seps = list(p.separator.finditer(key, prev_end, anchor.start()))
            close = _CLOSE_AFTER.match(key, prev_end)
            if not seps and close:  # "A (7,05 điểm) và B (7,30 điểm)": the bracket ends the piece
                out[-1] = (out[-1][0], close.end(), out[-1][2])
                start = _AFTER_BRACKET.match(key, close.end()).end()
                out.append((start, b, anchor))
                prev_end = anchor.end()
                continue
            if not seps:
                continue
            cut = (next((m for m in reversed(seps) if p.index_start.match(key, m.end())), None)
                   or _naming_cut(text, key, seps, anchor.start(), hint) or seps[-1])
            out[-1] = (out[-1][0], cut.start(), out[-1][2])
            start = cut.end()
        out.append((start, b, anchor))
        prev_end = anchor.end()
    return [(*_trim(text, s, e), m) for s, e, m in out]


class _Extractor:
    def __init__(self, doc: PlanDoc):
        self.text = doc.text
        # a scale's maximum "(tối đa 13 điểm)" is no goal: blanked (same length) before any cue is read
        self.key = _phrases().scale_note.sub(lambda m: " " * len(m.group()), fold_same_length(doc.text))
        self.hint = plan_family(doc)
        first, last = plan_years(doc)
        self.first_year = first
        self.plan_year = first if first is not None and first == last else None
        self.rows: list[ScoreRow] = []
        self.row_labels = _RowLabels(doc, self.hint)

    def run(self) -> list[ScoreRow]:
        p = _phrases()
        ctx = _Context()
        block: _Index | None = None
        for a, b in _paragraphs(self.text, self.row_labels.starts):
            lkey = self.key[a:b]
            # a row's label cell is matched against the catalog only when the row holds a value: no
            # score can come of the others (most rows of a task table), and matching is the costly part
            holds_value = p.value.search(lkey) or p.percent_value.search(lkey)
            label = self.row_labels.label(a) if holds_value else None
            if p.heading.match(lkey) and not p.value.search(lkey) and b - a < 300:
                ctx = _Context()
                named = _named_index(self.text[a:b], lkey, block.family if block else self.hint)
                if named or p.top_heading.match(lkey):
                    block = named
            self._weights(a, b, block)
            produced = False
            carry: _Index | None = None  # the index of the paragraph's previous scored sentence
            for sa, sb in _sentences(self.text, a, b):
                self._percent_targets(sa, sb, lkey, block, ctx)
                # a cell of prose ("Đạt từ 7,2 điểm trở lên") is about its row's component; a bare
                # number cell is left to the table reader (_table_scores)
                prose_cell = label is not None and not _NUMBER_CELL.match(self.key[sa:sb])
                rows, about = self._sentence_scores(sa, sb, block, ctx, label if prose_cell else carry)
                carry = about if rows or not prose_cell else carry  # the row's label is no scored index
                if rows and not produced and _year(self.key[sa:sb]) is not None:
                    ctx = _Context(rows[0].kind, rows[0].year)  # a total line leads its component list
                produced = produced or bool(rows)
                self.rows += rows
            if not produced:
                ctx = self._lead(lkey, ctx)
        return self.rows

    def _lead(self, lkey: str, ctx: _Context) -> _Context:
        """Context for the following lines from a line without scores; it lasts until the next
        heading or lead sentence."""
        p = _phrases()
        if p.target.search(lkey):
            return _Context("target", _year(lkey) or self.plan_year)
        if p.result.search(lkey):
            return _Context("result", _year(lkey))
        return ctx

    def _row(self, a: int, b: int, **fields) -> ScoreRow:
        return ScoreRow(raw=self.text[a:b], span_start=a, span_end=b, **fields)

    def _weights(self, a: int, b: int, block: _Index | None) -> None:
        """"(Chiếm tỷ trọng 30% tổng số điểm)": in an index heading, or said of the score (a share
        of something else, "chiếm tỷ trọng 30% GDP", is no weight)."""
        p = _phrases()
        heading = p.heading.match(self.key, a) is not None and b - a < 300
        for m in p.weight.finditer(self.key, a, b):
            index = None
            if not heading and "diem" not in self.key[m.end():m.end() + 30]:
                index = self._name_before_paren(a, m.start())
                if index is None:
                    continue
            index = index or _named_index(self.text[a:m.start()], self.key[a:m.start()], self.hint) or block
            value = parse_number(self.text[m.start("num"):m.end("num")])
            if index is None or value is None or value > 100:
                continue
            ra, rb = _trim(self.text, a, b)
            self.rows.append(self._row(ra, rb, family=index.family, index_code=index.code, indicator=None,
                                       kind="weight", value=value, unit="%", comparator=None,
                                       year=self.plan_year, rank=None, rank_of=None, change=None))

    def _name_before_paren(self, a: int, pos: int) -> _Index | None:
        """The component named right before the parenthesis that holds a weight at `pos`:
        "…: Tính minh bạch và tiếp cận thông tin (chiếm tỷ trọng 15%)"; None when the weight is not
        in such a parenthesis."""
        paren = _phrases().weight_paren.search(self.key, max(a, pos - 20), pos)
        if paren is None:
            return None
        lo = max(a, paren.start() - 150)
        starts = [m.end() for m in re.finditer(r"[,:;(]\s*", self.key[lo:paren.start()])]
        for start in sorted((lo + s for s in starts), reverse=True) + [lo]:  # nearest name first
            found = _named_index(self.text[start:paren.start()], self.key[start:paren.start()], self.hint,
                                 bare=True)
            if found and "." in found.code:
                return found
        return None

    def _percent_targets(self, a: int, b: int, line: str, block: _Index | None, ctx: _Context) -> None:
        """Targets "tỷ lệ … đạt N%" of a sentence that says it is a goal, or of a list item under
        a goal's lead sentence; never in a line of survey statistics or results."""
        if self.key.find("%", a, b) < 0:  # every row below is a "… N%" match
            return
        p = _phrases()
        key = self.key[a:b]
        listed = ctx.kind == "target" and p.list_item.match(line)
        if not (p.target.search(key) or listed):
            return
        if p.survey.search(line) or p.result.search(key) or p.rank.search(key):
            return
        year = _year(key)
        if year is not None and self.first_year is not None and year < self.first_year:
            return  # a past year: a result, not a goal
        for m in p.percent_target.finditer(self.key, a, b):
            value = parse_number(self.text[m.start("num"):m.end("num")])
            if value is None or value > 100:
                continue
            rest = self.key[m.start():b]
            comparator = ">=" if p.ge.search(rest) else "<=" if p.le.search(rest) else "="
            what = self.text[m.start("what"):m.end("what")].strip()
            family = block.family if block else self.hint
            self.rows.append(self._row(a, b, family=family, index_code=block.code if block else family,
                                       indicator=what[:1].upper() + what[1:], kind="target", value=value,
                                       unit="%", comparator=comparator,
                                       year=year or ctx.year or self.plan_year,
                                       rank=None, rank_of=None, change=None))

    def _sentence_scores(self, a: int, b: int, block: _Index | None, ctx: _Context,
                         carry: _Index | None) -> tuple[list[ScoreRow], _Index | None]:
        """Score rows of one sentence and the index they were about. A piece that names no index
        continues the previous piece's, or the previous scored sentence's of the same paragraph
        ("A năm 2023 đạt 71 điểm, xếp thứ 4/11. Phấn đấu năm 2024 đạt 73 điểm trở lên"). A ranked
        score that names no index ranks the locality as a whole: the plan family's total; any other
        score that names no index belongs to the component whose heading holds it ("1. Chỉ số
        Chi phí thời gian" / "Mục tiêu: không thấp hơn 7,5 điểm"). A number said of every
        component ("không có chỉ số thành phần nào dưới 6 điểm") belongs to none."""
        p = _phrases()
        hint = block.family if block else self.hint
        pieces = _pieces(self.text, self.key, a, b, hint)
        if not pieces:
            return [], carry
        lead = self.key[a:pieces[0][2].start()]
        rows: list[ScoreRow] = []
        index = carry
        for pa, pb, anchor in pieces:
            prefix, prefix_key = self.text[pa:anchor.start()], self.key[pa:anchor.start()]
            if shared := _shared_indices(prefix, prefix_key, hint):  # "chỉ số A và chỉ số B mỗi chỉ số đạt 6"
                rows += [row for each in shared if (row := self._score(pa, pb, anchor, each, lead, ctx))]
                continue
            if p.any_index.search(prefix_key, prefix_key.rfind(":") + 1):  # "các chỉ số …: chỉ số A đạt 7"
                continue
            index = (_named_index(prefix, prefix_key, hint) or _total_index(prefix_key, prefix, hint)
                     or _named_index(prefix, prefix_key, hint, bare=True) or index)
            if index is None and self.hint and block is None and p.rank.search(self.key, pa, pb):
                index = _Index(self.hint, total_code(self.hint))
            if index is None and block is not None and "." in block.code:
                index = block
            if index is None or (_is_percent(anchor) and index.family not in p.percent_families):
                continue
            if row := self._score(pa, pb, anchor, index, lead, ctx):
                rows.append(row)
        return rows, (index if rows else carry)

    def _kind(self, key: str, lead: str, year: int | None, ctx: _Context) -> str | None:
        p = _phrases()
        if p.target.search(key):
            return "target"
        if p.rank.search(key) or p.change.search(key) or p.result.search(key):
            return "result"
        if p.target.search(lead):
            return "target"
        if p.result.search(lead):
            return "result"
        if year is not None and self.first_year is not None and year < self.first_year:
            return "result"
        return ctx.kind

    def _score(self, a: int, b: int, anchor: re.Match[str], index: _Index, lead: str,
               ctx: _Context) -> ScoreRow | None:
        p = _phrases()
        key = self.key[a:b]
        value = parse_number(self.text[anchor.start("num"):anchor.end("num")])
        if value is None or value > 100:
            return None
        year = _year(key) or _year(lead)
        kind = self._kind(key, lead, year, ctx)
        if kind is None:
            return None
        if year is None and ctx.kind == kind:
            year = ctx.year
        if year is None and kind == "target":
            year = self.plan_year
        comparator = None
        if kind == "target":
            comparator = ">=" if p.ge.search(key) else "<=" if p.le.search(key) else "="
        rank = p.rank.search(self.key, a, b)
        change = p.change.search(self.key, a, b)
        delta = None
        if change:
            amount = parse_number(self.text[change.start("num"):change.end("num")])
            delta = None if amount is None else (-amount if change.group("dir") == "giam" else amount)
        return self._row(a, b, family=index.family, index_code=index.code, indicator=None, kind=kind,
                         value=value, unit="%" if _is_percent(anchor) else "điểm", comparator=comparator,
                         year=year,
                         rank=int(rank.group("rank")) if rank else None,
                         rank_of=int(rank.group("of")) if rank else None, change=delta)


_NUMBER_CELL = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:diem|%)?\s*$")
_CHANGE_CELL = re.compile(r"^\s*([+-]|tang\s+|giam\s+)?\s*(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:diem|%)?\s*$")
_RANK_CELL = re.compile(r"^\s*(?:thu\s+)?(\d{1,3})\s*(?:/\s*(\d{1,3}))?\s*$")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_KINDS = ("weight", "change", "rank", "target", "result", "year")


def _column_kinds(header: list[str], first_year: int | None) -> dict[int, tuple[str, int | None]]:
    """Score columns of a table header: column -> (target | result | weight | change | rank, year);
    the year is any year the heading names ("Điểm 2023", "Kết quả năm 2023"). A column headed by a
    year alone holds results before the plan's first year and targets from it on."""
    p = _phrases()
    out: dict[int, tuple[str, int | None]] = {}
    for col, head in enumerate(header):
        for kind in _KINDS:
            if getattr(p, f"column_{kind}").search(head):
                found = _ANY_YEAR.search(head)
                year = int(found.group(1)) if found else None
                if kind == "year":
                    if year is None or first_year is None:
                        break
                    kind = "result" if year < first_year else "target"
                out[col] = (kind, year)
                break
    return out


def _header(rows: list[list[Cell]], width: int) -> list[str]:
    """Folded heading of each column: the first row, with the second when it is a header row too
    (no number in it)."""
    head_rows = rows[:2] if not any(_NUMBER_CELL.match(fold_same_length(c.text)) for c in rows[1]) else rows[:1]
    return [" ".join(fold_same_length(r[c].text) for r in head_rows if c < len(r)) for c in range(width)]


def _caption_year(doc: PlanDoc, table: Block) -> int | None:
    """The year of the caption right above a table ("Bảng: Kết quả chỉ số thành phần năm 2023")."""
    lines = doc.text[max(0, table.start - 400):table.start].rstrip("\n").split("\n")[-2:]
    years = [int(m.group("year")) for line in lines for m in _phrases().year.finditer(fold_same_length(line))]
    return years[-1] if years else None


def _table_scores(doc: PlanDoc, table: Block, hint: str | None, plan_year: int | None,
                  first_year: int | None) -> list[ScoreRow]:
    """Scores of a table whose header names score columns ("Điểm năm 2024", "Mục tiêu 2025",
    "Xếp hạng", "Tỷ trọng", "Tăng/giảm") and whose rows are labelled with an index name. The rank
    and the change belong to the latest result column; a result column without a year takes the
    caption's."""
    rows = table.rows or []
    if len(rows) < 2:
        return []
    width = max(len(r) for r in rows)
    header = _header(rows, width)
    kinds = _column_kinds(header, first_year)
    if not any(k in ("target", "result", "weight") for k, _ in kinds.values()):
        return []
    caption = _caption_year(doc, table)
    stated = _lead_comparator(doc, table)
    results = [(year or caption or 0, col) for col, (kind, year) in kinds.items() if kind == "result"]
    latest = max(results)[1] if results else None
    out: list[ScoreRow] = []
    for r, row in enumerate(rows[1:], start=1):
        labels = [c for i, c in enumerate(row) if i not in kinds and not _NUMBER_CELL.match(c.text)]
        index = next((x for c in labels if (x := _cell_index(c, hint))), None)
        if index is None:
            continue
        rank = rank_of = change = None
        for col, (kind, _) in kinds.items():
            text = fold_same_length(row[col].text) if col < len(row) else ""
            if kind == "rank" and (m := _RANK_CELL.match(text)):
                rank, rank_of = int(m.group(1)), int(m.group(2)) if m.group(2) else None
            if kind == "change" and (m := _CHANGE_CELL.match(text)) and \
                    (amount := parse_number(m.group(2))) is not None:
                change = -amount if (m.group(1) or "").strip() in ("-", "giam") else amount
        for col, (kind, year) in kinds.items():
            cell = row[col] if col < len(row) else None
            sign, number = _cell_sign(cell.text) if cell and kind == "target" else ("", cell.text if cell else "")
            m = _NUMBER_CELL.match(fold_same_length(number)) if cell and kind not in ("rank", "change") else None
            value = parse_number(m.group(1)) if m else None
            if cell is None or value is None or value > 100:
                continue
            percent = kind == "weight" or "%" in header[col] or "%" in cell.text
            own = kind == "result" and col == latest
            a, b = table.row_spans[r] if r < len(table.row_spans) else (cell.start, cell.end)
            out.append(ScoreRow(
                family=index.family, index_code=index.code, indicator=None, kind=kind, value=value,
                unit="%" if percent else "điểm",
                comparator=_target_comparator(sign, header[col], stated) if kind == "target" else None,
                year=year or (caption if kind == "result" else plan_year),
                rank=rank if own else None, rank_of=rank_of if own else None, change=change if own else None,
                raw=doc.text[a:b], span_start=a, span_end=b))
    return out


def _cell_sign(text: str) -> tuple[str, str]:
    """A target cell split into its comparator sign and its number: "≥ 7,20" -> ("≥", " 7,20")."""
    m = _phrases().cell_sign.match(text)
    return (text[:m.end()], text[m.end():]) if m else ("", text)


def _comparator_of(key: str) -> str | None:
    p = _phrases()
    return ">=" if p.ge.search(key) else "<=" if p.le.search(key) else None


def _target_comparator(sign: str, head: str, stated: str | None) -> str:
    """A target cell's comparator: its own sign ("≥ 7,20"), else its column's heading ("Mục tiêu tối
    thiểu"), else the one the table's lead-in sentence states for all cells ("… phấn đấu không thấp
    hơn mức sau:"), else "="."""
    return _comparator_of(sign) or _comparator_of(head) or stated or "="


def _lead_comparator(doc: PlanDoc, table: Block) -> str | None:
    """The comparator stated by the sentence that introduces a table: the last sentence of the
    paragraph right above it, when that paragraph ends with a colon."""
    above = doc.text[max(0, table.start - 600):table.start].rstrip()
    if not above.endswith(":"):
        return None
    a, b = _paragraphs(above)[-1]
    sentences = _sentences(above, a, b)
    if not sentences:
        return None
    sa, sb = sentences[-1]
    key = _phrases().scale_note.sub(lambda m: " " * len(m.group()), fold_same_length(above[sa:sb]))
    return _comparator_of(key)


class _RowLabels:
    """The table rows of a plan: where each starts in the text, and, on request, the index its label
    cell names (the first cell, left to right, that is no bare number and names one; None for a row
    that names none, and for a table's header row)."""

    def __init__(self, doc: PlanDoc, hint: str | None):
        self.hint = hint
        self.cells: dict[int, list[Cell]] = {}
        for table in doc.tables():
            rows = table.rows or []
            for r, (a, _) in enumerate(table.row_spans):
                self.cells[a] = rows[r] if r < len(rows) and r > 0 else []
        self.starts = frozenset(self.cells)
        self._labels: dict[int, _Index | None] = {}

    def label(self, start: int) -> _Index | None:
        if start not in self.cells:
            return None
        if start not in self._labels:
            self._labels[start] = next((x for c in self.cells[start] if not _NUMBER_CELL.match(fold_same_length(c.text))
                                        and (x := _cell_index(c, self.hint))), None)
        return self._labels[start]


def _drop_repeated_cells(rows: list[ScoreRow], tables: list[Block]) -> list[ScoreRow]:
    """One score per table for a goal its rows repeat: a PDF row split by a page break comes out
    twice ("8 | Dịch vụ hỗ trợ doanh nghiệp | … | Đạt từ 6,0 điểm trở lên" on both pages)."""
    seen: set[tuple] = set()
    out: list[ScoreRow] = []
    for row in rows:
        table = next((i for i, t in enumerate(tables) if t.start <= row.span_start < t.end), None)
        key = (table, row.index_code, row.kind, row.value, row.year, row.comparator, row.rank)
        if table is not None and key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out


def _cell_index(cell: Cell, hint: str | None) -> _Index | None:
    key = fold_same_length(cell.text)
    if _phrases().total.search(key):
        return _Index(hint, total_code(hint)) if hint else None
    return _named_index(cell.text, key, hint) or _named_index(cell.text, key, hint, bare=True)


def extract_scores(doc: PlanDoc) -> list[ScoreRow]:
    """Targets, results and weights of the plan's indices, each with its evidence clause (or
    table row)."""
    if not doc.text:
        return []
    extractor = _Extractor(doc)
    rows = extractor.run()
    tables = doc.tables()
    for table in tables:
        rows += _table_scores(doc, table, extractor.hint, extractor.plan_year, extractor.first_year)
    return _drop_repeated_cells(sorted(rows, key=lambda r: r.span_start), tables)
