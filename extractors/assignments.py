"""Assignments: which unit leads which task for which index, from two places of a plan.

1. Prose index blocks in the assignments section ("1. Chỉ số “Tính minh bạch…”", "1.1. Chỉ số cải
   cách hành chính và Chỉ số hài lòng."). A block either has sub-blocks (a)/b)… or (1)/(2)…), each
   one assignment with its own lead (a label line, or the subject of "a) Giao Công chức X chủ
   trì…"), or is one assignment governed by label lines ("Công chức phụ trách: X", "Cơ quan chủ
   trì: X", "Đơn vị phối hợp: Y", "Thời gian thực hiện: …"). Label lines outside the sub-blocks
   (or only in the last one, when no other sub-block names a lead) govern every sub-block.
   Several timing lines in one assignment are joined with "; " in document order.
   A block that names only families ("Chỉ số cải cách hành chính và Chỉ số hài lòng") gets the
   family-level code of the first family named.
2. Assignment tables (appendix "NHIỆM VỤ, GIẢI PHÁP …"): header rows found by column vocabulary
   (pipeline/data/table_columns.toml); group rows name an index component, sub-rows are criteria,
   one assignment each; a group row with a lead and no sub-rows is an assignment itself. A unit cell
   may label its parts ("Chủ trì: X; phối hợp: Y"); without a unit (an officer column names people)
   the task cell says who leads; a row for several families is one assignment per family.

Label vocabulary: pipeline/data/assignment_labels.toml. `leader` (the "Lãnh đạo phụ trách" line of
the block, as written) is an extra column of AssignmentRow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.people import _honored
from normalizers.indices import IndexMatch, detect_families, find_index_mentions, match_index
from normalizers.pos import verb_starts
from normalizers.text import fold, fold_same_length
from normalizers.units import canonical_unit, plan_abbreviations, resolve_unit, split_units
from pipeline.model import Block, OutlineNode, PlanDoc, Section
from pipeline.resources import read_toml
from pipeline.rows import AssignmentRow
from pipeline.segment import labelled_number, ocr_roman_as

_BULLET = re.compile(r"^[\s\-+*•·–—>#_\\]+")
_TRAIL = re.compile(r"[\s*_\\#]+$")
_NUMBERED = re.compile(r"^(?:chỉ số\s+)?(?P<num>\d+(?:\.\d+)*)\s*[.):]?\s+(?P<title>\S.*)$", re.IGNORECASE)
_MARKERS = {
    "letter": re.compile(r"^(?P<m>[a-zđ])[).]\s+(?=\S)"),
    "paren": re.compile(r"^\((?P<m>\d+)\)\s+(?=\S)"),
    "numparen": re.compile(r"^(?P<m>\d+)\)\s+(?=\S)"),
}
_INLINE_LETTER = re.compile(r"\s(?P<m>[a-h])\)\s+(?=(?:Giao\s+)?[A-ZĐ])")
_QUOTED = re.compile(r"[\"“”']([^\"“”']{3,})[\"“”']")
_PARENS = re.compile(r"\s*\([^()]*\)")
_LEVEL = re.compile(r"\b(?:ubnd|uy ban nhan dan)\s+(xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh)\b")
_LEVEL_OF = {"xa": "commune", "phuong": "commune", "thi tran": "commune", "huyen": "district",
             "quan": "district", "thi xa": "district", "thanh pho": "district", "tinh": "province"}


@dataclass
class _Ctx:
    families: list[str]
    level: str | None
    abbrs: dict[str, str]


@dataclass
class _Line:
    start: int
    end: int
    body: str  # without bullets/markup
    bullet: bool = False  # the line opened with a bullet ("- ", "+ ")


@dataclass
class _Part:
    """What a run of lines says: label values and the remaining task lines."""
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    timing: list[str] = field(default_factory=list)
    leader: str | None = None
    task: list[str] = field(default_factory=list)
    officer: list[str] = field(default_factory=list)  # posts of the persons a lead label names


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[re.Pattern[str], dict[str, str]], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    spec = read_toml("assignment_labels.toml")
    roles: dict[str, str] = {}
    for role in ("leader", "lead", "support", "timing"):
        for lab in spec[role]:
            roles.setdefault(lab, role)
    # one alternation, longest label first ("lãnh đạo phụ trách" before "phụ trách")
    alternation = "|".join(re.escape(lab) for lab in sorted(roles, key=len, reverse=True))
    compiled = (re.compile(rf"^(?P<label>{alternation})\s*:\s*"), roles)
    subject_end = re.compile(r"\s(?:" + "|".join(re.escape(s) for s in spec["subject_end"]) + r")\b")
    return (compiled, re.compile(spec["recurring"]), subject_end, re.compile(spec["support_intro"]))


@lru_cache(maxsize=1)
def _next_label() -> re.Pattern[str]:
    """A second label run into a label line: "Chủ trì: Sở X; Phối hợp: Sở Y" (folded text)."""
    spec = read_toml("assignment_labels.toml")
    labels = sorted((lab for role in ("lead", "support", "timing") for lab in spec[role]), key=len, reverse=True)
    return re.compile(r"[;.]\s*(?:" + "|".join(re.escape(lab) for lab in labels) + r")\s*:")


@lru_cache(maxsize=1)
def _role_mark() -> re.Pattern[str]:
    return re.compile(read_toml("assignment_labels.toml")["role_mark"])


def _by_marks(text: str) -> tuple[list[str], list[str], str] | None:
    """Units marked with their role: "Sở X (chủ trì); Sở Y, Sở Z (phối hợp)" -> ([Sở X], [Sở Y,
    Sở Z], rest after the last mark); None when the text has no role mark."""
    key = fold_same_length(text)
    marks = list(_role_mark().finditer(key))
    if not marks:
        return None
    lead: list[str] = []
    support: list[str] = []
    pos = 0
    for m in marks:
        # a mark covers the units since the last ";": "Văn phòng; Công an xã (phối hợp)" marks only
        # Công an xã, and an unmarked unit of a lead list leads
        unmarked, _, chunk = text[pos:m.start()].rpartition(";")
        lead.extend(split_units(unmarked.strip(" ;,.")))
        (lead if m.group("role") == "chu tri" else support).extend(split_units(chunk.strip(" ;,.")))
        pos = m.end()
    return lead, support, text[pos:].strip(" ;,.")


def extract_assignments(doc: PlanDoc) -> list[AssignmentRow]:
    ctx = _Ctx(_plan_families(doc), _plan_level(doc), plan_abbreviations(doc.text))
    rows = _prose_rows(doc, ctx) + _table_rows(doc, ctx)
    rows.sort(key=lambda r: r.span_start)
    for i, row in enumerate(rows, 1):
        row.assignment_id = i
        row.page = doc.page_at(row.span_start)
    return rows


# --- plan context -------------------------------------------------------------------------------

def _plan_families(doc: PlanDoc) -> list[str]:
    pre = doc.sections_of("preamble")
    head = doc.text[: pre[0].end] if pre else doc.text[:2000]
    return detect_families(head) or detect_families(doc.text)


def _plan_level(doc: PlanDoc) -> str | None:
    pre = doc.sections_of("preamble")
    head = fold(doc.text[: pre[0].end] if pre else doc.text[:2000])
    builds = re.search(_LEVEL.pattern + r"[^.\n]{0,60}\b(?:xay dung|ban hanh)", head)
    m = builds or _LEVEL.search(head)
    return _LEVEL_OF[m.group(1)] if m else None


def _match(name: str, families: list[str]) -> IndexMatch | None:
    best = None
    for family in families or [None]:
        m = match_index(name, family)
        if m and (best is None or m.score > best.score):
            best = m
    return best


def _units(raw: list[str], ctx: _Ctx) -> list[str]:
    return list(dict.fromkeys(canonical_unit(u, ctx.level, ctx.abbrs) for u in raw if u.strip()))


def _recurring(timing: str | None) -> bool:
    return bool(timing and _labels()[1].search(fold(timing)))


# --- prose --------------------------------------------------------------------------------------

def _lines(doc: PlanDoc, start: int, end: int) -> list[_Line]:
    tables = [(b.start, b.end) for b in doc.tables()]
    out: list[_Line] = []
    pos = start
    for raw in doc.text[start:end].split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        if any(ts <= s < te for ts, te in tables):
            continue
        lead = len(raw) - len(_BULLET.sub("", raw))
        body = _TRAIL.sub("", raw[lead:])
        if not body:
            continue
        pieces = _split_inline(_Line(s + lead, s + lead + len(body), body))
        pieces[0].bullet = any(c in "-+*•·–—>" for c in raw[:lead])
        out.extend(pieces)
    return out


def _split_inline(line: _Line) -> list[_Line]:
    """A task sentence that ends in a label ("… trên Trang thông tin điện tử. Thời gian thực hiện:
    hằng quý.") gives the label its own line; a label line that swallowed the next sub-block
    ("…Phó Chủ tịch UBND xã a) Giao …") is cut before it."""
    if not _label(line.body):
        m = _next_label().search(fold_same_length(line.body)) if ":" in line.body else None  # labels end with ":"
        if not m:
            return [line]
        cut = m.start() + 1
        return [_Line(line.start, line.start + cut, line.body[:cut]),
                *_split_inline(_Line(line.end - len(line.body[cut:].lstrip()), line.end, line.body[cut:].lstrip()))]
    m = _INLINE_LETTER.search(line.body)
    if not m:
        return [line]
    cut = m.start() + 1
    return [_Line(line.start, line.start + m.start(), line.body[: m.start()]),
            _Line(line.start + cut, line.end, line.body[cut:])]


def _label(body: str) -> tuple[str, str] | None:
    found = _labels_of(body)
    return found[0] if found else None


def _labels_of(body: str) -> list[tuple[str, str]]:
    """(role, value) of a label line; a line may run several labels together ("Chủ trì: Sở X;
    Phối hợp: Sở Y")."""
    if ":" not in body:  # every label ends with ":" (and only ":" folds to ":")
        return []
    key = fold_same_length(body)
    pattern, roles = _labels()[0]
    m = pattern.match(key)
    if not m:
        return []
    nxt = _next_label().search(key, m.end())
    value = body[m.end(): nxt.start() if nxt else len(body)]
    first = (roles[m.group("label")], _TRAIL.sub("", value).strip(" *_.;"))
    return [first, *(_labels_of(body[nxt.start() + 1:].lstrip()) if nxt else [])]


def _index_heading(line: _Line, ctx: _Ctx, outline_heading: bool = False,
                   ) -> tuple[str, str, IndexMatch | None, list[str]] | None:
    """(number, raw index name, component match, families named) when the line heads an index block:
    it names a component, or starts with "Chỉ số <family>", or is a heading of the plan's outline
    that names one family ("1. Nhóm nhiệm vụ nâng cao Chỉ số CCHC")."""
    m = _NUMBERED.match(line.body)
    # an outline heading numbered by a label word ("Nhiệm vụ 2. Cải cách thủ tục hành chính") counts as "2."
    numbered = (m.group("num"), m.group("title")) if m else labelled_number(line.body) if outline_heading else None
    if not numbered or len(numbered[1]) > 300:
        return None
    title = _strip_lead_in(numbered[1].strip(" .:;*_"))
    topic, clause = _topic(title)
    # "1.1. Tham gia của người dân ở cấp cơ sở: Phòng X chủ trì …": a component before the colon, the
    # task after it (_heading_clause); a heading that names no component there is read whole
    named = _heading_name(topic, ctx, outline_heading) if topic and clause else None
    if named is None or named[1] is None:
        named = _heading_name(title, ctx, outline_heading)
    return (numbered[0], *named) if named else None


def _heading_name(title: str, ctx: _Ctx, outline_heading: bool) -> tuple[str, IndexMatch | None, list[str]] | None:
    """(raw index name, component match, families named) of a heading's title, None when it heads no
    index block."""
    quoted = _QUOTED.search(title)
    name = quoted.group(1).strip() if quoted else _PARENS.sub("", title).strip(" .:;")
    families = detect_families(_PARENS.sub("", title))
    match = _match(name, families or ctx.families)
    if match is None and (inner := _bracketed_component(title, families or ctx.families)):
        name, match = inner  # "Nâng cao sự hài lòng … (tiêu chí Tác động của cải cách hành chính)"
    folded = fold(name)
    words = len(name.split())
    is_component = match is not None and "." in match.code and (quoted or folded.startswith("chi so") or words <= 16)
    named_family = bool(families) and words <= 16 and (
        folded.startswith(("chi so", "bo chi so")) or (outline_heading and len(families) == 1))
    if not (is_component or named_family):
        return None
    return name, match if is_component else None, families


def _bracketed_component(title: str, families: list[str]) -> tuple[str, IndexMatch] | None:
    """(name, match) of a component a heading names in brackets after its own wording ("(tiêu chí X)",
    "(chỉ số X)")."""
    for inner in re.findall(r"\(([^()]+)\)", title):
        if fold(inner).startswith(("chi so", "tieu chi")) and (match := _match(inner, families)) and "." in match.code:
            return inner.strip(), match
    return None


def _heading_clause(line: _Line, name: str) -> _Line | None:
    """The task an index heading carries after its `name` and colon ("2.1. Chỉ số Tính minh bạch:
    Phòng X chủ trì …" -> "Phòng X chủ trì …"), as a line of the block; None when the heading is only
    a name (or was read whole, its name running past the colon)."""
    m = _NUMBERED.match(line.body)
    topic, clause = _topic(m.group("title").strip(" *_")) if m else (None, "")
    if not (topic and clause) or name not in topic:
        return None
    at = line.body.rfind(clause)
    return _Line(line.start + at, line.start + at + len(clause), clause)


def _strip_lead_in(title: str) -> str:
    """'Đối với Chỉ số PCI' -> 'Chỉ số PCI' (lead-in words: assignment_labels.toml)."""
    folded = fold_same_length(title).lower()
    for word in read_toml("assignment_labels.toml")["heading_lead_in"]:
        if re.match(rf"{re.escape(word)}\s+(?:bo\s+)?chi so\b", folded):
            return title[len(word):].lstrip()
    return title


def _prose_rows(doc: PlanDoc, ctx: _Ctx) -> list[AssignmentRow]:
    sections = doc.sections_of("assignments") or doc.sections_of("other")
    rows: list[AssignmentRow] = []
    for section in sections:
        lines = _lines(doc, section.start, section.end)
        heads = [(i, h) for i, line in enumerate(lines)
                 if (h := _index_heading(line, ctx, _node_at(doc.outline, line.start) is not None))]
        covered: set[int] = set()
        for k, (i, head) in enumerate(heads):
            stop = _block_end(lines, i, heads[k + 1][0] if k + 1 < len(heads) else len(lines), head[0])
            limit = lines[stop].start if stop < len(lines) else section.end
            body = [x for x in (_heading_clause(lines[i], head[1]),) if x] + lines[i + 1: stop]
            rows.extend(_block_rows(doc, section, lines[i], body, head, ctx, limit))
            covered.update(range(i, stop))
        rows.extend(_unit_block_rows(doc, section, lines, covered, ctx))  # adds its lines to `covered`
        rows.extend(_paragraph_rows(doc, section, lines, covered, ctx))
    for section in doc.sections_of("implementation"):  # "Giao Phòng X chủ trì … (nội dung Y); hoàn thành …"
        rows.extend(_paragraph_rows(doc, section, _lines(doc, section.start, section.end), set(), ctx,
                                    naming_an_index=True))
    return rows


def _paragraph_rows(doc: PlanDoc, section: Section, lines: list[_Line], covered: set[int],
                    ctx: _Ctx, naming_an_index: bool = False) -> list[AssignmentRow]:
    """Paragraphs outside index and unit blocks that assign a task themselves: "Công chức Văn hóa - Xã
    hội chủ trì, phối hợp với … (chỉ số Tiếp cận đất đai); thời gian thực hiện: …" — a unit as the
    subject of a lead verb, or a numbered item whose subject is a named unit ("2. UBND các xã, thị
    trấn tiếp nhận …"); an item may open with its component ("(1) Tiếp cận dịch vụ: Trung tâm X chủ
    trì …"). The index is the one the item or the line above it ("Chỉ số Chi phí thời gian") names,
    else the plan's family; with `naming_an_index` (the implementation part) only items that name one."""
    rows: list[AssignmentRow] = []
    topic_index: tuple[IndexMatch, str] | None = None
    free = [line for i, line in enumerate(lines) if i not in covered]
    families = _lead_in_families(doc, section, lines, ctx)
    for task in _tasks(free):
        if _label(task[0].body):
            continue
        if len(task) == 1 and (named := _topic_line(task[0].body, families, _node_at(doc.outline, task[0].start))):
            topic_index = named
            continue
        number, child, body = _item_number(task[0].body)
        topic, clause = _topic(body)
        first = _Line(task[0].end - len(clause), task[0].end, clause)
        lead, support = _prose_lead([first])
        if not lead and number and not child and section.kind == "assignments":
            lead, support = _subject_of(clause)
            lead = lead if lead and _names_unit(lead[0]) and _unit_end(clause) < len(clause.rstrip(" :.;")) else []
        if not lead and number and not child and section.kind == "assignments":
            lead, support = _closing_assignment(clause, doc.text[section.start:section.end])
        if not lead:
            continue
        text = " ".join(line.body for line in task)
        base = _task_index(text, _item_path(doc, section, task[0], number, child), ctx)
        if topic_index and base["index_code"] == base["family"] and not set(detect_families(text)) & set(ctx.families):
            base.update(family=topic_index[0].family, index_code=topic_index[0].family)  # the heading's family
        family = base["family"]
        named = _component_of(topic, text, family) if family else None
        if named or (topic_index and topic_index[0].family == family and base["index_code"] == family):
            base.update(_index_fields(named or topic_index))
        if naming_an_index and "." not in (base["index_code"] or ""):
            continue  # the implementation part's duties name no component: general duties, not tasks
        part = _read_part([first, *task[1:]])
        part.lead, part.support = part.lead or lead, part.support or support
        if topic and not part.timing and _time_topic().match(fold(topic)):
            part.timing = [topic]  # "1. Tháng 3/2025: …": a timeline's item opens with its timing
        rows.append(_row(doc, ctx, task[0].start, task[-1].end, part, part, base))
    return rows


@lru_cache(maxsize=1)
def _time_topic() -> re.Pattern[str]:
    return re.compile(read_toml("assignment_labels.toml")["time_topic"])


_GIAO = re.compile(r"(?:^|[.;:]\s+)giao\s+")
_POST = re.compile(r"\s*[,\-–]\s*(?=(?:cong chuc|can bo)\s)")


def _closing_assignment(clause: str, context: str) -> tuple[list[str], list[str]]:
    """Lead and support of an item that assigns its task in a closing sentence: "…. Giao Ông X, công
    chức Văn phòng - Thống kê chủ trì; Bà Y, công chức Tư pháp - Hộ tịch phối hợp." A person stands
    for the post written after the name, else the post of the name's first mention in `context`
    (the plan's part); units stay units; "… phối hợp" clauses are support, the others lead."""
    starts = list(_GIAO.finditer(fold_same_length(clause)))
    if not starts:
        return [], []
    sentence = re.split(r"\.(?:\s|$)", clause[starts[-1].end():])[0]
    lead: list[str] = []
    support: list[str] = []
    for chunk in sentence.split(";"):
        subject_text = _people_as_posts(chunk.strip(), context)
        cut = _unit_end(subject_text)
        units = split_units(subject_text[:cut].strip(" ,")) if _starts_like_unit(subject_text) else []
        verb = fold(subject_text[cut:]).strip()
        (support if verb.startswith("phoi hop") else lead).extend(units)
    return lead, support


def _people_as_posts(text: str, context: str) -> str:
    """"Ông X, công chức Y chủ trì" -> "công chức Y chủ trì"; "Ông X chủ trì" -> the post written after
    X's first mention in `context`, or the text unchanged when none is."""
    out, pos = [], 0
    for m in _honored().finditer(text):
        post = _post_after(text, m.end())
        if post is None:
            known = next((p for c in _honored().finditer(context) if c.group(1) == m.group(1)
                          and (p := _post_after(context, c.end()))), None)
            if known is None:
                return text
            out.append(text[pos:m.start()] + known)
            pos = m.end()
        else:
            out.append(text[pos:m.start()])
            pos = m.end() + len(text[m.end():]) - len(text[m.end():].lstrip(" ,-–"))
    return "".join(out) + text[pos:]


def _post_after(text: str, at: int) -> str | None:
    """The post written right after a name ("…, công chức Văn phòng - Thống kê chủ trì" -> "công chức
    Văn phòng - Thống kê"), or None."""
    m = _POST.match(fold_same_length(text[at:at + 200]))
    if not m:
        return None
    rest = text[at + m.end(): at + 200].split(",")[0]
    return rest[:_unit_end(rest)].strip(" ;.")


def _topic_line(body: str, families: list[str], node: OutlineNode | None = None) -> tuple[IndexMatch, str] | None:
    """A short line that names one component and says nothing else ("Chỉ số Chi phí thời gian" above
    the items about it): unnumbered, or a Roman sub-heading of the outline ("II. Chỉ số Chi phí thời
    gian"; list items such as "(8) Chỉ số … đạt 6,56 điểm" are results, not headings). A name that
    several of `families` share is the first one's."""
    name = body.strip(" *_.:")
    if node is not None and re.fullmatch(r"[IVXL]+", node.number or "") and (token := _ANY_NUMBER.match(name)):
        name = name[token.end():]
    if len(name.split()) > 16 or _NUMBERED.match(name) or not fold(name).startswith(("chi so", "tieu chi")):
        return None
    match = _match(name, families)
    return (match, name) if match and "." in match.code else None


def _lead_in_families(doc: PlanDoc, section: Section, lines: list[_Line], ctx: _Ctx) -> list[str]:
    """The plan's families, those the part's opening text names (before its first sub-heading) first,
    in the order named: "Các nhiệm vụ được phân công theo các chỉ số thành phần DDCI …; riêng chỉ số
    Đào tạo lao động là chỉ số thành phần PCI" makes a component DDCI and PCI share a DDCI one."""
    opening = []
    for line in lines:
        if line.start > section.start + 3 and _node_at(doc.outline, line.start):
            break
        opening.append(line.body)
    named = [f for f in detect_families(" ".join(opening)) if f in ctx.families]
    return named + [f for f in ctx.families if f not in named]


def _item_number(body: str) -> tuple[str | None, bool, str]:
    """(number, whether it numbers a child of the item above, rest): "3. Giao Sở X …" -> ("3",
    False, …); "b) …" -> ("b", True, …); "(1) …" -> ("1", True, …); (None, False, body) without one."""
    if m := _NUMBERED.match(body):
        return m.group("num"), False, m.group("title")
    for style in ("letter", "paren", "numparen"):
        if m := _MARKERS[style].match(body):
            return m.group("m"), True, body[m.end():]
    return None, False, body


def _item_path(doc: PlanDoc, section: Section, line: _Line, number: str | None, child: bool = False) -> str | None:
    """The outline path of a numbered item: its own node's, else its parent's with its number (an
    arabic number the outline missed is a sibling of the arabic item above it, not its child)."""
    if node := _node_at(doc.outline, line.start):
        return node.path
    parent = _node_containing(doc.outline, line.start)
    base = parent.path if parent and parent.start >= section.start else section.number
    if base and number and number.isdigit() and not child:
        head, _, last = base.rpartition(".")
        base = head if last.isdigit() else base
    return ".".join(x for x in (base, number) if x) or None


def _task_index(text: str, section_no: str | None, ctx: _Ctx) -> dict:
    """Row fields of a task outside index blocks: the index its text names, else the plan's family."""
    family = next((f for f in detect_families(text) if f in ctx.families), None) or (
        ctx.families[0] if ctx.families else None)
    base = dict(section_no=section_no, family=family, index_code=family, index_name_raw=None, index_match_score=None)
    if family:
        base.update(_index_fields(_component_of(None, text, family)))
    return base


_UNIT_HEAD_WORDS = 15


_ANY_NUMBER = re.compile(r"^\S{1,6}[.)]\s+")  # a numbering token as the outline read it ("S." in a scan)


def _unit_heading(line: _Line, node: OutlineNode | None) -> tuple[str, str, str] | None:
    """(number, unit, text after the colon) of a line that heads one unit's tasks: "1. Sở Kế hoạch và
    Đầu tư:", "b) Phòng Nội vụ: chủ trì …", or a heading of the outline (`node`) that is only a unit's
    name ("1. Phòng Tài chính - Kế hoạch")."""
    outline_heading = node is not None
    number, _child, title = _item_number(line.body)
    if number is None:
        token = _ANY_NUMBER.match(line.body) if node and node.number else None
        if not token:
            return None
        number, title = node.number, line.body[token.end():]  # the outline repaired an OCR'd number ("S.")
    unit, sep, rest = title.partition(":")
    unit = unit.strip(" *_.")
    if not (sep or outline_heading) or len(unit.split()) > _UNIT_HEAD_WORDS or _label(title) or not _names_unit(unit):
        return None
    if not sep and _unit_end(unit) < len(unit):  # a heading with a verb is a task, not a unit's name
        return None
    return number, unit, rest.strip()


def _names_unit(text: str) -> bool:
    """A heading's text is a unit: in the catalog, or a specific head followed by a name or a level
    ("Thanh tra tỉnh", "Hội Doanh nghiệp huyện", "UBND các huyện, thị xã"), not "Trường hợp …"."""
    if _all_known(text):
        return True
    spec = read_toml("unit_patterns.toml")
    folded = fold(text)
    head = max((h for h in spec["heads"] if folded.startswith(h + " ")), key=len, default=None)
    if head is None or head in spec["generic_heads"]:
        return False
    after = text.split()[len(head.split())]
    return after[:1].isupper() or fold(after) in {fold(w) for w in spec["level_of_word"]} | {"cac"}


def _unit_block_rows(doc: PlanDoc, section: Section, lines: list[_Line], covered: set[int],
                     ctx: _Ctx) -> list[AssignmentRow]:
    """Tasks listed under the unit that carries them, outside any index block ("1. Sở Kế hoạch và Đầu
    tư:" then "- Chủ trì, phối hợp với … cải thiện chỉ số Gia nhập thị trường …"): one assignment per
    task paragraph (label lines such as "Thời gian: …" belong to the task above), led by the unit,
    for the index the task names (else the plan's family). The lines of these blocks join `covered`."""
    heads = [(i, h) for i, line in enumerate(lines)
             if i not in covered and (h := _unit_heading(line, _node_at(doc.outline, line.start)))]
    rows: list[AssignmentRow] = []
    for k, (i, (number, unit, rest)) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        stop = next((j for j in range(i + 1, stop) if j in covered or _NUMBERED.match(lines[j].body)), stop)
        covered.update(range(i, stop))
        node = _node_at(doc.outline, lines[i].start) or _node_containing(doc.outline, lines[i].start)
        path = node.path if node and node.start >= section.start else ".".join(
            x for x in (section.number, number) if x)
        first = [_Line(lines[i].end - len(rest), lines[i].end, rest)] if rest else []
        tasks = _tasks(first + lines[i + 1: stop])
        lead_in = _lead_in(tasks, ctx) if first else None
        if lead_in:
            tasks = tasks[1:]
        for task in tasks:
            part = _read_part(task)
            marker = _MARKERS["letter"].match(task[0].body)
            part.task[:1] = [_strip_marker(part.task[0])] if part.task else []
            text = " ".join(line.body for line in task)
            lead, support = _subject_of(part.task[0]) if part.task else ([], [])
            part.lead = part.lead or lead or [unit]
            part.support = part.support or support or (lead_in.support if lead_in else [])
            section_no = f"{path}.{marker.group('m')}" if marker and path else path
            base = _task_index(text, section_no, ctx)
            if lead_in and lead_in.component and base["index_code"] == base["family"]:
                base.update(_index_fields(lead_in.component))
            rows.append(_row(doc, ctx, task[0].start, task[-1].end, part, part, base))
    return rows


@dataclass
class _LeadIn:
    """A unit's summary sentence before its list of tasks: what the tasks that do not say inherit."""
    component: tuple[IndexMatch, str] | None  # the one component it leads
    support: list[str]  # units of a "phối hợp với X, Y thực hiện:" that introduces the list


def _lead_in(tasks: list[list[_Line]], ctx: _Ctx) -> _LeadIn | None:
    """The text after a unit heading's colon is a lead-in, not a task, when a list of tasks follows
    it ("1. Phòng X: Chủ trì cải thiện Chỉ số A; phối hợp với Y cải thiện Chỉ số B. Cụ thể:" then "-"
    bullets): it ends with a colon or the tasks below are bullets or lettered items. A task below
    that names no component takes the lead-in's when it names exactly one; one that names no
    support takes the units of a closing "phối hợp với X thực hiện:"."""
    if len(tasks) < 2:
        return None
    text = " ".join(line.body for line in tasks[0])
    listed = all(t[0].bullet or any(p.match(t[0].body) for p in _MARKERS.values()) for t in tasks[1:])
    if not (text.rstrip(" *_").endswith(":") or listed):
        return None
    families = tuple(detect_families(text) or ctx.families)
    codes = {m.match.code: m for m in find_index_mentions(text, families)}
    component = None
    if len(codes) == 1:
        mention = next(iter(codes.values()))
        component = (mention.match, text[mention.start:mention.end])
    last = re.split(r"[.;]\s+", text.rstrip(" *_:"))[-1]
    support = _subject_of(last)[1] if text.rstrip(" *_").endswith(":") else []
    return _LeadIn(component, support)


def _tasks(lines: list[_Line]) -> list[list[_Line]]:
    """Task paragraphs, each with the label lines that follow it."""
    tasks: list[list[_Line]] = []
    for line in lines:
        if tasks and _label(line.body):
            tasks[-1].append(line)
        else:
            tasks.append([line])
    return tasks


def _block_end(lines: list[_Line], i: int, next_head: int, number: str) -> int:
    """A numbered line at the index heading's depth or above ("2. Nhiệm vụ…" after "1.3. Chỉ số…")
    closes the block even when it is not an index heading itself."""
    depth = number.count(".")
    for j in range(i + 1, next_head):
        m = _NUMBERED.match(lines[j].body)
        if m and m.group("num").count(".") <= depth and not m.group("title")[:1].islower():
            return j
    return next_head


def _read_part(lines: list[_Line]) -> _Part:
    part = _Part()
    for line in lines:
        labels = _labels_of(line.body)
        if not labels:
            if not _marked_line(line.body, part):
                part.task.append(line.body)
            continue
        for role, value in labels:
            marked = _by_marks(value) if role in ("lead", "support") else None
            if role == "leader":
                part.leader = part.leader or value
            elif role == "lead" and (post := _person_post(value)) is not None:
                part.officer.extend([post] if post else [])  # "Công chức phụ trách: Ông X - <post>": a person
            elif marked:  # "Đơn vị thực hiện: Sở X (chủ trì); Sở Y (phối hợp)"
                part.lead.extend(marked[0])
                part.support.extend(marked[1])
            elif role == "lead":
                part.lead.extend(split_units(value))
            elif role == "support":
                part.support.extend(split_units(value))
            elif value:
                part.timing.append(value)
    return part


def _person_post(value: str) -> str | None:
    """The post of a person a label line names ("Ông Phạm Văn Duy - Công chức Địa chính" -> "Công
    chức Địa chính"; "" when no post follows the name); None when the value names no person. A
    person in charge is no unit: the post leads only when the block names no unit."""
    m = _honored().match(value.strip())
    if not m:
        return None
    return m.string[m.end():].strip(" ,-–—;.")


def _marked_line(body: str, part: _Part) -> bool:
    """A line that only lists units with role marks ("Phòng X (chủ trì); Phòng Y (phối hợp).") fills
    the part's lead and support; a task sentence after the marks stays a task line."""
    marked = _by_marks(body)
    if not marked or not marked[0] or not _starts_like_unit(body):
        return False
    lead, support, rest = marked
    if rest and (intro := _labels()[3].match(fold(rest))) and _starts_like_unit(rest[intro.end():]):
        tail = rest[intro.end():]
        stop = _labels()[2].search(" " + fold(tail))
        support.extend(split_units(tail[: max(0, stop.start() - 1) if stop else len(tail)].strip(" ,")))
    part.lead.extend(lead)
    part.support.extend(support)
    if rest:
        part.task.append(body)
    return True


def _sub_blocks(lines: list[_Line]) -> tuple[list[_Line], list[tuple[str, list[_Line]]]]:
    """Lines before the first sub-marker, and the sub-blocks of the first marker style seen."""
    style = next((name for line in lines for name, p in _MARKERS.items() if p.match(line.body)), None)
    if style is None:
        return lines, []
    pre: list[_Line] = []
    subs: list[tuple[str, list[_Line]]] = []
    for line in lines:
        m = _MARKERS[style].match(line.body)
        if m:
            subs.append((m.group("m") if style == "letter" else f"({m.group('m')})", [line]))
        elif subs:
            subs[-1][1].append(line)
        else:
            pre.append(line)
    return pre, subs


def _subject(line: _Line) -> tuple[list[str], list[str]]:
    """Lead and support named in a sub-block's first line: 'a) Giao Công chức X là đầu mối, chủ trì…
    phối hợp với Y thực hiện…'."""
    return _subject_of(_strip_marker(line.body))


def _subject_of(body: str) -> tuple[list[str], list[str]]:
    """Lead (the subject before the first verb phrase) and support ("phối hợp với Y") of a clause."""
    _, _, _, support_intro = _labels()
    folded = fold_same_length(body)
    lead = []
    acronym = _acronym_subject(body)
    if acronym or _starts_like_unit(body):
        subject = body[:_unit_end(body)].strip(" ,")
        if subject and len(subject.replace(" - ", "-").split()) <= 30 and (acronym or _starts_like_unit(subject)):
            lead = split_units(subject)
    support: list[str] = []
    for m in support_intro.finditer(folded):
        rest = body[m.end():]
        if " voi" not in m.group(0) and not _starts_like_unit(rest):
            continue  # "phối hợp cung cấp …": a verb, not "phối hợp [với] Phòng Y"
        support.extend(split_units(rest[:_unit_end(rest)].strip(" ,")))
    return lead, support


_UNIT_WORDS = 5  # a list item longer than this may run on into its verb


def _unit_end(text: str) -> int:
    """Where the unit list opening `text` ends: at the clause's end, or before the first verb phrase
    of the genre (assignment_labels.toml subject_end), or, when that vocabulary finds none and an
    item is long, before the first lowercase verb the tagger finds. A later cut wins while the
    longer phrase is still a known unit ("Công chức Địa chính xây dựng và môi trường tham mưu")."""
    subject_end = _labels()[2]
    stop = re.search(r"[.:;]", text)
    limit = stop.start() if stop else len(text)
    # a capitalised verb word is a name's ("Sở Xây dựng", "Phòng Tổ chức"), not the clause's verb
    cuts = [m.start() for m in subject_end.finditer(fold_same_length(text))
            if m.start() < limit and not text[m.start() + 1: m.start() + 3].istitle()]
    if not cuts and _starts_like_unit(text) and max(
            (len(item.split()) for item in text[:limit].split(",")), default=0) > _UNIT_WORDS and not _all_known(
            text[:limit], fuzzy=False):  # a catalog name has no verb in it
        # a tagger's verb ends the unit unless the longer phrase is a catalog name exactly ("Trung tâm
        # phục vụ hành chính công"): fuzzy matching would stretch "Bưu điện xã trả kết quả" to a unit
        verbs = [c for c in verb_starts(text[:limit]) if c > 0] + [limit]
        return max((c for c in verbs[1:] if _all_known(text[:c], fuzzy=False)), default=verbs[0])
    cuts.append(limit)
    cut = cuts[0]
    for c in cuts[1:]:
        if _all_known(text[:c]):
            cut = c
    return cut


def _prose_lead(lines: list[_Line]) -> tuple[list[str], list[str]]:
    """Lead and support of a block without labels or sub-blocks, from its first task line when
    that line assigns the block: "Giao Phòng X chủ trì, phối hợp với Y …", "Phòng X là đầu mối…"."""
    for line in lines:  # the first line that assigns ("Mục tiêu: …" lines may come before it)
        if _label(line.body):
            continue
        lead, support = _subject(line)
        if lead and _assigns(_strip_marker(line.body)):
            return lead, support
    return [], []


def _assigns(body: str) -> bool:
    """The clause gives its subject a task: "Giao X …", or a lead verb in the clause after the subject
    ("Phòng Văn hóa, Khoa học và Thông tin chủ trì …": the unit's own comma does not end the clause)."""
    if fold(body).startswith("giao "):
        return True
    clause = re.split(r"[.:;,]", fold(body[_unit_end(body):]).lstrip(" ,"), maxsplit=1)[0]
    verbs = read_toml("assignment_labels.toml")["lead_verbs"]
    return any(re.search(rf"(?:^|\s){re.escape(v)}\b", clause) for v in verbs)


def _all_known(subject: str, fuzzy: bool = True) -> bool:
    items = split_units(re.sub(r"^(?:giao(?:\s+cho)?)\s+", "", subject, flags=re.IGNORECASE))
    return bool(items) and all(resolve_unit(i, fuzzy=fuzzy) for i in items)


_ACRONYM = re.compile(r"(?:giao(?:\s+cho)?\s+)?([A-ZĐ][A-ZĐ&-]{1,9})\s", re.IGNORECASE)


def _acronym_subject(text: str) -> bool:
    """The clause's subject is a unit's acronym alone, right before its lead verb ("TC-KH chủ trì,
    phối hợp …", after the plan defined "Phòng TC-KH"): the catalog must know the acronym."""
    m = _ACRONYM.match(text)
    if not m or not m.group(1).isupper() or not _labels()[2].match(" " + fold_same_length(text[m.end(1):].lstrip())):
        return False
    return resolve_unit(m.group(1)) is not None


def _starts_like_unit(text: str) -> bool:
    folded = fold(re.sub(r"^(?:giao(?:\s+cho)?)\s+", "", text, flags=re.IGNORECASE))
    heads = read_toml("unit_patterns.toml")["heads"]
    return any(folded.startswith(h + " ") or folded == h for h in heads)


def _block_rows(doc: PlanDoc, section: Section, heading: _Line, lines: list[_Line],
                head: tuple[str, str, IndexMatch | None, list[str]], ctx: _Ctx, limit: int) -> list[AssignmentRow]:
    """The assignments of one index block (heading line, body lines, body ends before `limit`)."""
    number, name, match, families = head
    node = _node_at(doc.outline, heading.start)
    path = node.path if node else ".".join(x for x in (section.number, number) if x)
    if match:
        family, code, score = match.family, match.code, match.score
    else:
        family = families[0]
        fam = match_index(name, family)
        code, score = family, (fam.score if fam and fam.code == family else None)
    pre_lines, subs = _sub_blocks(lines)
    block = _read_part(pre_lines)
    parts = [(marker, sub, _read_part(sub)) for marker, sub in subs]
    if parts and not block.lead and parts[-1][2].lead and not any(p.lead for _, _, p in parts[:-1]):
        block.lead, parts[-1][2].lead = parts[-1][2].lead, []  # trailing "Cơ quan chủ trì:" of the block
        block.support, parts[-1][2].support = parts[-1][2].support or block.support, []
    base = dict(section_no=path, family=family, index_code=code, index_name_raw=name, index_match_score=score)
    if not parts and (dated := _dated_items(lines)):  # "+ Niêm yết …. Thời hạn: …" twice or more
        head = _read_part(lines[:lines.index(dated[0][0])])
        return [_row(doc, ctx, item[0].start, item[-1].end, _read_part(item), head, base) for item in dated]
    if not parts and not lines and not block.lead:
        return []  # "1. Đối với Chỉ số PAPI" right above its components' headings: a heading only
    if not parts:
        end = (lines[-1] if lines else heading).end
        if not block.lead:
            block.lead, subject_support = _prose_lead(lines)
            block.support = block.support or subject_support
        if not block.lead and any(heading.end <= t.start < limit for t in doc.tables()):
            return []  # "2. Đối với Chỉ số DDCI: … (bảng)": the table rows are the assignments
        return [_row(doc, ctx, heading.start, end, block, block, base)]
    out = []
    for marker, sub, part in parts:
        topic, clause = _topic(_strip_marker(sub[0].body))
        if not part.lead:
            part.lead, subject_support = _subject_of(clause)
            part.support = part.support or subject_support
        part.task[:1] = [_strip_marker(part.task[0])] if part.task else []
        row_base = {**base, "section_no": f"{path}.{marker}"}
        if not match:  # a family block: the sub-block may name its component ("a) Cải cách TTHC: …")
            row_base.update(_index_fields(_component_of(topic, " ".join(line.body for line in sub), family)))
        out.append(_row(doc, ctx, sub[0].start, sub[-1].end, part, block, row_base))
    return out


_TOPIC_WORDS = 16  # "a) Công tác chỉ đạo, điều hành CCHC: Phòng Nội vụ chủ trì …"


def _topic(text: str) -> tuple[str | None, str]:
    """A sub-block's own heading before a colon, and the clause after it; (None, text) without one.
    A label ("Chủ trì: …") is no heading."""
    head, sep, rest = text.partition(":")
    if not sep or not rest.strip() or len(head.split()) > _TOPIC_WORDS or _label(text):
        return None, text
    return head.strip(" *_"), rest.strip()


def _component_of(topic: str | None, text: str, family: str) -> tuple[IndexMatch, str] | None:
    """The component (and its name as written) of a task of a family-level block, table group or
    unit's list: its topic when that is a component of the family, else the first one the text names."""
    if topic and (m := match_index(topic, family)) and m.family == family and "." in m.code:
        return m, topic
    mentions = find_index_mentions(text, (family,))
    return (mentions[0].match, text[mentions[0].start:mentions[0].end]) if mentions else None


def _index_fields(found: tuple[IndexMatch, str] | None) -> dict:
    if found is None:
        return {}
    match, raw = found
    return dict(family=match.family, index_code=match.code, index_name_raw=raw, index_match_score=match.score)


def _dated_items(lines: list[_Line]) -> list[list[_Line]]:
    """The bullet items of a block when it has two or more and each carries its own timing label (one
    task each, as their deadlines differ), after label lines that name the block's lead, or each
    naming its own lead ("+ Rà soát …. Chủ trì: X; phối hợp: Y. Thời hạn: …"); else []."""
    first = next((k for k, line in enumerate(lines) if line.bullet and not _label(line.body)), None)
    if first is None:
        return []
    own_lead = not _read_part(lines[:first]).lead
    items: list[list[_Line]] = []
    for line in lines[first:]:
        if line.bullet and not _label(line.body) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    parts = [_read_part(item) for item in items]
    return items if len(items) >= 2 and all(p.timing and (p.lead or not own_lead) for p in parts) else []


def _strip_marker(text: str) -> str:
    for pattern in _MARKERS.values():
        if pattern.match(text):
            return pattern.sub("", text, count=1)
    return text


def _row(doc: PlanDoc, ctx: _Ctx, start: int, end: int, part: _Part, block: _Part, base: dict) -> AssignmentRow:
    lead_raw = part.lead or block.lead or part.officer or block.officer
    timings = list(dict.fromkeys(part.timing or block.timing))
    timing = "; ".join(timings) or None
    return AssignmentRow(
        assignment_id=0, criterion=None, lead_units=_units(lead_raw, ctx),
        support_units=_units(part.support or block.support, ctx), task="\n".join(part.task).strip(),
        timing=timing, recurring=_recurring(timing), span_start=start, span_end=end,
        lead_units_raw=lead_raw, source="prose", leader=part.leader or block.leader, **base)


def _node_containing(outline: list[OutlineNode], pos: int) -> OutlineNode | None:
    """The innermost outline node whose body holds `pos`."""
    inside = [n for n in outline if n.start <= pos < n.end]
    return max(inside, key=lambda n: n.start) if inside else None


def _node_at(outline: list[OutlineNode], start: int) -> OutlineNode | None:
    return next((n for n in outline if abs(n.start - start) <= 3), None)


# --- tables -------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _columns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    spec = read_toml("table_columns.toml")
    return tuple((role, tuple(re.compile(p) for p in spec["patterns"][role])) for role in spec["roles"])


def _role(cell: str) -> str | None:
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(cell)))
    if not folded or len(folded) > 60:
        return None
    # a narrow column wraps a short header inside its word ("ST T" for "STT")
    forms = (folded, folded.replace(" ", "")) if len(folded) <= 6 else (folded,)
    return next((role for role, pats in _columns() if any(p.search(f) for p in pats for f in forms)), None)


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """Number of header rows and role -> column (later header rows refine earlier ones)."""
    roles: dict[int, str] = {}
    n = 0
    for r, cells in enumerate(rows[:4]):
        found = {c: role for c, cell in enumerate(cells) if (role := _role(cell))}
        filled = [c for c, cell in enumerate(cells) if cell.strip()]
        if len(found) < 2 or (n and len(found) < len(filled)):
            break  # a second header row names every filled cell (a group row does not)
        roles.update(found)
        n = r + 1
    cols: dict[str, int] = {}
    for c, role in sorted(roles.items()):
        if role == "item" and "item" in cols:
            role = "task"  # "Chỉ số thành phần | Nhiệm vụ": the index column, then the task column
        cols.setdefault(role, c)
    if "lead" not in cols or "item" not in cols:
        return None
    return n, cols


@dataclass
class _TRow:
    number: str
    cells: dict[str, str]
    bold: bool
    start: int
    end: int


def _table_rows(doc: PlanDoc, ctx: _Ctx) -> list[AssignmentRow]:
    out: list[AssignmentRow] = []
    for table in doc.tables():
        texts = [[c.text for c in row] for row in table.rows or []]
        header = _header(texts)
        if not header:
            continue
        n_head, cols = header
        section = next((s for s in doc.sections if s.start <= table.start < s.end), None)
        node = _node_containing(doc.outline, table.start)
        near = doc.text[node.start: table.start] if node else ""  # "2. Đối với Chỉ số DDCI … sau:"
        title = doc.text[section.start: table.start][-600:] if section else ""
        families = detect_families(near[-600:]) or detect_families(title) or ctx.families
        label = _appendix_label(section) or (node.path if node and section and section.kind != "appendix" else "")
        out.extend(_table_assignments(_data_rows(table, texts, n_head, cols, doc.ocr), families, label, ctx))
    return out


def _appendix_label(section: Section | None) -> str:
    if section is None or section.kind != "appendix":
        return ""
    # the number is a numeral or a letter: "PHỤ LỤC NHIỆM VỤ …" (an OCR'd heading run on into its
    # title) is labelled "PHỤ LỤC", not "PHỤ LỤC NHIỆM"
    m = re.match(r"\s*(phụ lục(?:\s+(?:số\s+)?(?:\d[\w.]*|[ivxl]{1,5}|[a-z])\b)?)", section.heading,
                 re.IGNORECASE)
    return (m.group(1) if m else section.heading).strip().rstrip(":.")


def _data_rows(table: Block, texts: list[list[str]], n_head: int, cols: dict[str, int],
               ocr: bool = False) -> list[_TRow]:
    rows: list[_TRow] = []
    header_sig = [fold(c) for c in texts[n_head - 1]] if n_head else []
    for r in range(n_head, len(texts)):
        cells = texts[r]
        if [fold(c) for c in cells] == header_sig or all(re.fullmatch(r"\(?\d*\)?", c.strip()) for c in cells):
            continue  # header repeated after a page break; "(1) (2) (3)" column numbers
        get = {role: cells[c].strip() if c < len(cells) else "" for role, c in cols.items()}
        number = get.pop("number", "").strip(" .")
        item = get.get("item", "")
        s, e = table.row_spans[r] if r < len(table.row_spans) else (table.start, table.end)
        continuation = rows and not number and not get.get("lead") and not get.get("timing") and (
            not item or item[:1].islower())
        if continuation:  # a row the page break split: glue each cell to the row above
            prev = rows[-1]
            for role, text in get.items():
                if text:
                    prev.cells[role] = f"{prev.cells.get(role, '')} {text}".strip()
            prev.end = e
            continue
        item_cell = cells[cols["item"]] if cols["item"] < len(cells) else ""
        bold = any(c.bold for c in (table.rows or [])[r] if c.text.strip() == item_cell.strip() and c.text.strip())
        rows.append(_TRow(number, get, bold, s, e))
    if ocr:
        _repair_ocr_numbers(rows)
    return rows


_TOP_NUMBER = re.compile(r"[IVXLC]+|[A-Z]")
_PLAIN_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*")


def _repair_ocr_numbers(rows: list[_TRow]) -> None:
    """OCR'd tables: number cells as the numbering sequence expects them. A group cell that looks
    like the next group numeral ("Í" or "]" for I, "H" for II, "IH" for III; before the first group
    only in a row without a lead unit, so that a task "l" stays a task), or a Roman numeral a stroke
    away ("II" after II), is that numeral; a task cell without a digit that is no number at all
    ("°", "S", "K)") is the number its numbered neighbours imply."""
    lettered = any(r.number == "A" for r in rows)  # groups A, B, C: a capital letter is a group number
    groups = 0  # Roman group numerals read so far
    for k, row in enumerate(rows):
        num = row.number
        if not num or _PLAIN_NUMBER.fullmatch(num):
            continue
        literal = re.fullmatch(r"[IVXL]+", num) is not None
        if literal:
            roman = ocr_roman_as(num, groups + 1, running=groups > 0)
        else:
            roman = ocr_roman_as(num, groups + 1) if groups or not row.cells.get("lead") else None
        if roman:
            row.number, groups = roman, groups + 1
        elif not (literal or re.search(r"\d", num) or re.fullmatch(r"[a-zđ]", num)
                  or (lettered and re.fullmatch(r"[A-Z]", num))):
            row.number = _number_between(rows, k) or num


def _number_between(rows: list[_TRow], k: int) -> str | None:
    """The number row k must have between its numbered neighbours: one that may follow the row
    above ("4" -> "5"; "4.1" -> "4.2", "5" or "4.1.1") and precede the row below ("5.1" <- "5";
    "6" <- "5"); after a group row the list may restart (then the row below decides); at the
    table's ends the one neighbour decides (the next sibling of the row above, the row below's
    predecessor)."""
    before = next((j for j in range(k - 1, -1, -1) if _PLAIN_NUMBER.fullmatch(rows[j].number)), None)
    after = next((j for j in range(k + 1, len(rows)) if _PLAIN_NUMBER.fullmatch(rows[j].number)), None)
    up = _successors(rows[before].number) if before is not None else []
    down = _predecessor(rows[after].number) if after is not None else None
    if up and down:
        if down in up:
            return down
        restart = any(_TOP_NUMBER.fullmatch(rows[j].number) for j in range(before + 1, k))
        return down if restart else None
    return up[0] if up else down


def _successors(number: str) -> list[str]:
    """Numbers that may follow `number` in a table, the next sibling first: "4.1" -> 4.2, 4.1.1, 5."""
    parts = [int(p) for p in number.split(".")]
    out = [".".join(map(str, [*parts[:-1], parts[-1] + 1])), f"{number}.1"]
    out += [".".join(map(str, [*parts[:i - 1], parts[i - 1] + 1])) for i in range(len(parts) - 1, 0, -1)]
    return out


def _predecessor(number: str) -> str | None:
    """The number just before `number`: "6" <- 5, "2.3" <- 2.2, "5.1" <- its group 5; None before "1"."""
    head, _, last = number.rpartition(".")
    if int(last) > 1:
        return f"{head}.{int(last) - 1}" if head else str(int(last) - 1)
    return head or None


def _is_group(row: _TRow, nxt: _TRow | None, roman_groups: bool) -> bool:
    """A group row: numbered "1"/"I"/"A" (only "I"/"A" when the table numbers its groups so and its
    tasks "1, 2, 3"), or unnumbered, bold and without a lead above plain rows."""
    if _TOP_NUMBER.fullmatch(row.number) or (not roman_groups and row.number.isdigit()):
        return True
    return not row.number and row.bold and not row.cells.get("lead") and nxt is not None and not nxt.bold


def _table_assignments(rows: list[_TRow], families: list[str], label: str, ctx: _Ctx) -> list[AssignmentRow]:
    out: list[AssignmentRow] = []
    group: tuple[_TRow, IndexMatch | None] | None = None
    group_used = True
    last_match: IndexMatch | None = None

    def flush() -> None:
        if group and not group_used and _cell_units(group[0].cells)[0]:
            out.extend(_row_assignments(group[0], group[1], None, families, label, ctx))

    roman_groups = any(_TOP_NUMBER.fullmatch(r.number) for r in rows) and any(r.number.isdigit() for r in rows)
    groups = [_is_group(row, rows[k + 1] if k + 1 < len(rows) else None, roman_groups) for k, row in enumerate(rows)]
    numbers = [row.number for row, is_group in zip(rows, groups, strict=True) if row.number and not is_group]
    restarts = len(set(numbers)) < len(numbers)  # "1, 2, 3" again in each group: the group names the row
    for row, is_group in zip(rows, groups, strict=True):
        merged = "task" in row.cells and not row.cells.get("item")  # a blank index cell beside a task:
        if is_group:                                                # merged with the index cell above
            flush()
            group_match = last_match if merged else _match(row.cells.get("item", ""), families)
            group, group_used, last_match = (row, group_match), False, group_match
            continue
        group_used = True
        if merged and last_match:
            match = last_match
        else:
            match = group[1] if group else _match(row.cells.get("item", ""), families)
        match = _row_component(row, match, families)
        if restarts and group and group[0].number and row.number:
            row.number = f"{group[0].number}.{row.number}"
        out.extend(_row_assignments(row, match, group[0] if group else None, families, label, ctx))
        last_match = match
    flush()
    return out


def _row_assignments(row: _TRow, match: IndexMatch | None, group: _TRow | None, families: list[str],
                     label: str, ctx: _Ctx) -> list[AssignmentRow]:
    """The assignments of one task row: one, or one per family its index cell names."""
    match = _row_component(row, match, families)
    return [_table_row(row, row_match, group, row_families, label, ctx)
            for row_match, row_families in _per_family(row, match, families)]


def _row_component(row: _TRow, match: IndexMatch | None, families: list[str]) -> IndexMatch | None:
    """The component a row of a family-level index names: in its index cell, else in its task cell
    ("… (chỉ số thành phần Tính minh bạch và tiếp cận thông tin)" beside an index cell "Chỉ số DDCI")."""
    family = match.family if match else (families[0] if families else None)
    if not family or (match is not None and "." in match.code):
        return match
    for text in (row.cells.get("item", ""), row.cells.get("task", "")):
        if text and (named := _component_of(None, text, family)) and "." in named[0].code:
            return named[0]
    return match


def _per_family(row: _TRow, match: IndexMatch | None, families: list[str],
                ) -> list[tuple[IndexMatch | None, list[str]]]:
    """A row whose index cell names several families and no component ("Chỉ số DDCI và Chỉ số SIPAS")
    is one task for each index: one (family-level) assignment per family named, in the cell's order."""
    if match is not None and "." in match.code:
        return [(match, families)]
    named = detect_families(row.cells.get("item", ""))
    if len(named) < 2:
        return [(match, families)]
    return [(None, [family]) for family in named]


def _cell_units(cells: dict[str, str]) -> tuple[list[str], list[str]]:
    """Lead and support units of a table row. A unit cell may carry both roles: labelled ("Chủ trì:
    Văn phòng HĐND và UBND xã; phối hợp: Phòng Y", or "Phòng X; phối hợp: Phòng Y") or marked ("Phòng X
    (chủ trì); Phòng Y (phối hợp)"). A unit cell that names a person ("Ông X - Chuyên viên Phòng Y", an
    officer column) names no unit; without a unit the task says who leads ("Phòng X chủ trì, phối hợp
    với Y …")."""
    cell = cells.get("lead", "")
    cell = "" if _person_post(cell) is not None else cell
    parts = [*_cell_roles(cell, "lead"), *_cell_roles(cells.get("support", ""), "support")]
    lead_raw = [u for role, value in parts if role == "lead" for u in split_units(value)]
    support_raw = [u for role, value in parts if role == "support" for u in split_units(value)]
    marked = _by_marks(cell)
    if marked and marked[0] and parts[:1] == [("lead", cell)]:  # unlabelled
        lead_raw, support_raw = marked[0], [*marked[1], *support_raw]
    if not lead_raw and (task := cells.get("task") or cells.get("item", "")):
        lead_raw, task_support = _prose_lead([_Line(0, len(task), task)])
        support_raw = support_raw or task_support
    return lead_raw, support_raw


def _cell_roles(cell: str, role: str) -> list[tuple[str, str]]:
    """(role, text) parts of a unit cell: the parts after a label in the label's role, an unlabelled
    opening part in the column's `role` ("Chủ trì: X; Phối hợp: Y", "X; phối hợp: Y", "X")."""
    if ":" not in cell:  # every label ends with ":"
        return [(role, cell)]
    if labelled := _labels_of(cell):
        return labelled
    m = _next_label().search(fold_same_length(cell))
    return [(role, cell[:m.start()]), *_labels_of(cell[m.start() + 1:].lstrip())] if m else [(role, cell)]


def _table_row(row: _TRow, match: IndexMatch | None, group: _TRow | None, families: list[str],
               label: str, ctx: _Ctx) -> AssignmentRow:
    cells = row.cells
    item = cells.get("item", "")
    is_criterion = group is not None
    number = row.number or (group.number if group else "")
    section_no = "/".join(x for x in (label, number) if x) or None
    lead_raw, support_raw = _cell_units(cells)
    timing = cells.get("timing") or None
    family = match.family if match else (families[0] if families else None)
    return AssignmentRow(
        assignment_id=0, section_no=section_no, family=family,
        index_code=match.code if match else family,
        index_name_raw=(group.cells.get("item") if group else item) or None,
        index_match_score=match.score if match else None,
        criterion=item if is_criterion else None, lead_units=_units(lead_raw, ctx),
        support_units=_units(support_raw, ctx), task=cells.get("task") or item, timing=timing,
        recurring=_recurring(timing), span_start=row.start, span_end=row.end, lead_units_raw=lead_raw,
        source="table", leader=cells.get("leader") or None)
