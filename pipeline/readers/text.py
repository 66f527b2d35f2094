"""TXT/MD reader, plus the line-joining rules shared with the PDF reader.

Plain texts arrive hard-wrapped (often with a blank line after every line, from PDF copy-paste),
markdown arrives one paragraph per line. Both become one Block per paragraph; markdown markup
becomes style hints; tab-separated and pipe tables become table Blocks.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..model import Block, Cell, ReadResult
from ..resources import read_toml


@lru_cache(maxsize=1)
def _layout() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = read_toml("readers.toml")
    starts = re.compile("|".join(f"(?:{p})" for p in data["paragraph_starts"]))
    return starts, re.compile(data["bullet_starts"]), re.compile(data["line_end_terminal"])


def starts_paragraph(line: str) -> bool:
    """Line begins with a numbering pattern (I., 1., 1.1., a), (1), Phần, Nơi nhận: ...)."""
    return bool(_layout()[0].match(line.lstrip()))


def starts_bullet(line: str) -> bool:
    return bool(_layout()[1].match(line.lstrip()))


def ends_sentence(line: str) -> bool:
    return bool(_layout()[2].search(line.rstrip()))


_CODE_HYPHEN = re.compile(r"\S-$")


def join_lines(lines: list[str]) -> str:
    """Re-join the lines of one wrapped paragraph. A hyphen glued to the last word ("75-" +
    "KH/HU") is a split token and joins without a space; a spaced dash ("kinh tế -" + "xã hội")
    keeps its spaces; a soft hyphen is removed."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("\u00ad"):
            out = out[:-1] + line
        elif _CODE_HYPHEN.search(out):
            out += line
        else:
            out += " " + line
    return out


def is_continuation(prev: str, nxt: str) -> bool:
    """`nxt` continues the sentence of `prev` (a paragraph cut by a page break in the source)."""
    n = nxt.lstrip()
    return bool(prev.strip() and n and n[0].islower() and not ends_sentence(prev)
                and not starts_paragraph(n) and not starts_bullet(n))


# --- decoding -------------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> str:
    from . import ReadError

    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif data[:200].count(b"\x00") > 20:  # BOM-less UTF-16
        text = data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if "\x00" in text or controls > max(10, len(text[:20000]) // 100):
        raise ReadError("unsupported_format", f"{name} is a binary file, not a text plan")
    return text


# --- markdown inline markup ----------------------------------------------------------------

_ESC_STAR = "\x01"
_HTML_BOLD = re.compile(r"</?(?:b|strong)>", re.I)
_HTML_ITALIC = re.compile(r"</?(?:i|em)>", re.I)
_SUP = re.compile(r"<sup>(.*?)</sup>", re.I)
_OTHER_TAGS = re.compile(r"</?(?:u|span|font|sub|br|p|div)\b[^>]*>", re.I)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_MARKDOWN_HINT = re.compile(r"\*\*\S|<b>|<sup>|^#{1,6}\s|^\s*\|.*\|\s*$", re.M | re.I)


def _styled_fraction(text: str, pattern: re.Pattern[str]) -> tuple[str, float]:
    """Remove one kind of markup; return the plain text and the share of it that was marked."""
    marked = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal marked
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        marked += len(re.sub(r"\s", "", inner))
        return inner

    plain = pattern.sub(repl, text)
    total = len(re.sub(r"[\s*_]", "", plain)) or 1
    return plain, marked / total


def strip_markdown(line: str) -> tuple[str, bool, bool, bool]:
    """Plain text of a markdown line and its hints: (text, heading, bold, italic).
    Footnote reference markers (<sup>(1)</sup> inside a sentence) are dropped; at the start of
    a line they are the footnote's own number and are kept as "(1)"."""
    heading = bool(_HEADING.match(line))
    text = _HEADING.sub("", line).replace("\\*", _ESC_STAR).replace("\\_", "_")
    text = _SUP.sub(lambda m: m.group(1) + " " if m.start() == 0 else "", text.strip())
    text = _HTML_BOLD.sub("**", text)
    text = _HTML_ITALIC.sub("*", text)
    text = _OTHER_TAGS.sub(" ", text)
    text, bold = _styled_fraction(text, _BOLD)
    text, italic = _styled_fraction(text, _ITALIC)
    text = text.replace("**", "").replace(_ESC_STAR, "*")
    return text.strip(), heading, bold >= 0.6, italic >= 0.6


# --- tables --------------------------------------------------------------------------------

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ROW_NUMBER = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]?\s*$")


def _is_table_line(line: str) -> bool:
    return (line.count("\t") >= 2 and bool(line.strip())) or bool(_PIPE_ROW.match(line))


def _split_row(line: str) -> list[str]:
    if _PIPE_ROW.match(line):
        return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
    return [c.strip() for c in line.rstrip("\r\n").split("\t")]


def build_table(raw_rows: list[list[str]], bold_rows: list[list[bool]] | None = None) -> Block:
    """Rows of raw cell strings → a table Block. Header rows (before the first numbered row)
    get merged cells filled (left neighbour in the first row, the cell above below it);
    body rows whose first cell is empty and whose text continues lowercase are joined to the
    row above (a row split by a page break in the source)."""
    width = max(len(r) for r in raw_rows)
    rows = [r + [""] * (width - len(r)) for r in raw_rows]
    bolds = [(b + [False] * (width - len(b))) for b in (bold_rows or [[False] * width for _ in rows])]
    n_header = next((i for i, r in enumerate(rows) if _ROW_NUMBER.match(r[0]) and r[0].strip()), 0)
    n_header = min(n_header, 3)
    out: list[list[Cell]] = []
    for i, (row, brow) in enumerate(zip(rows, bolds, strict=True)):
        texts = list(row)
        if i < n_header:
            for c in range(width):
                if not texts[c]:
                    if i == 0 and c:
                        texts[c] = texts[c - 1]
                    elif i:
                        texts[c] = out[i - 1][c].text
        elif out and i > n_header and not texts[0] and _continues(texts):
            prev = out[-1]
            for c in range(width):
                if texts[c]:
                    prev[c].text = join_lines([prev[c].text, texts[c]])
            continue
        out.append([Cell(t, bold=b) for t, b in zip(texts, brow, strict=True)])
    while out and all(not c.text for c in out[-1]):
        out.pop()
    _drop_empty_columns(out)
    return Block("table", rows=out)


def _continues(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    if not filled:
        return False
    return (len(texts) > 1 and not texts[1]) or all(t[0].islower() for t in filled)


def _drop_empty_columns(rows: list[list[Cell]]) -> None:
    if not rows:
        return
    keep = [c for c in range(len(rows[0])) if any(r[c].text for r in rows)]
    if len(keep) < len(rows[0]):
        for r in rows:
            r[:] = [r[c] for c in keep]


# --- paragraphs ----------------------------------------------------------------------------

def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text: many lines continue a sentence on the next line."""
    text_lines = [ln.strip() for ln in lines if ln.strip()]
    if len(text_lines) < 4:
        return False
    widths = sorted(len(ln) for ln in text_lines)
    wrap = widths[int(len(widths) * 0.9)]

    def runs_on(a: str, b: str) -> bool:  # a long line cut mid-sentence
        return is_continuation(a, b) or (len(a) >= 0.7 * wrap and not ends_sentence(a)
                                         and not starts_paragraph(b) and not a.isupper())

    cont = sum(1 for a, b in zip(text_lines, text_lines[1:], strict=False) if runs_on(a, b))
    return cont >= 0.2 * len(text_lines)


def _paragraphs_wrapped(lines: list[str], blank_breaks: bool) -> list[list[str]]:
    """Group hard-wrapped lines into paragraphs."""
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    wrap = widths[int(len(widths) * 0.9)] if widths else 80
    paras: list[list[str]] = []
    cur: list[str] = []
    blanks = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            blanks += 1
            continue
        if cur:
            prev = cur[-1]
            # a numbered first line that ends early is a heading ("7. Chỉ số “...”")
            numbered = len(cur) == 1 and (starts_paragraph(prev) or starts_bullet(prev))
            short = len(prev) < wrap * (0.9 if numbered else 0.75)
            if starts_paragraph(line) or (starts_bullet(line) and (short or ends_sentence(prev))):
                new = True
            elif line[0].islower():  # a sentence never restarts lowercase
                new = False
            else:
                new = (ends_sentence(prev) or short or len(prev) < wrap * 0.5
                       or blanks >= (1 if blank_breaks else 2))
            if new:
                paras.append(cur)
                cur = []
        blanks = 0
        cur.append(line)
    if cur:
        paras.append(cur)
    return paras


def read_text(path: Path, fmt: str) -> ReadResult:
    from . import ReadError

    text = decode_text(path.read_bytes(), path.name)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    if not any(ln.strip() for ln in lines):
        raise ReadError("empty_file", f"{path.name} has no text")
    markdown = fmt == "md" or bool(_MARKDOWN_HINT.search(text))
    blocks: list[Block] = []
    segment: list[str] = []

    def flush_text() -> None:
        if segment:
            blocks.extend(_text_blocks(segment, markdown=markdown))
            segment.clear()

    i = 0
    while i < len(lines):
        if _is_table_line(lines[i]):
            flush_text()
            table_lines: list[str] = []
            while i < len(lines):
                if _is_table_line(lines[i]):
                    table_lines.append(lines[i])
                elif lines[i].strip() or not any(_is_table_line(x) for x in lines[i + 1:i + 5] if x.strip()):
                    break
                i += 1
            blocks.append(_table_block(table_lines))
            continue
        segment.append(lines[i])
        i += 1
    flush_text()
    return ReadResult(blocks=[b for b in blocks if b.text or b.rows], file_format=fmt)


def _table_block(table_lines: list[str]) -> Block:
    raw: list[list[str]] = []
    bold: list[list[bool]] = []
    for line in table_lines:
        if _PIPE_RULE.match(line):
            continue
        cells = [strip_markdown(c) for c in _split_row(line)]
        raw.append([c[0] for c in cells])
        bold.append([c[2] for c in cells])
    return build_table(raw, bold)


def _text_blocks(lines: list[str], markdown: bool) -> list[Block]:
    """Paragraph/heading Blocks of a run of non-table lines."""
    if _is_wrapped(lines):
        blank = sum(1 for ln in lines if not ln.strip())
        nonblank = len(lines) - blank
        # Blank lines break paragraphs unless the text has one after (almost) every line.
        groups = _paragraphs_wrapped(lines, blank_breaks=blank < 0.6 * nonblank)
    else:
        groups = [[ln] for ln in lines if ln.strip()]
    blocks: list[Block] = []
    previous_raw = ""
    for group in groups:
        # markdown "two trailing spaces" line break: the author ended the line on purpose
        hard_break = markdown and previous_raw.endswith("  ")
        previous_raw = group[-1]
        if markdown:
            parts = [strip_markdown(g) for g in group]
            text = join_lines([p[0] for p in parts])
            heading = parts[0][1]
            bold = all(p[2] for p in parts)
            italic = all(p[3] for p in parts)
        else:
            text, heading, bold, italic = join_lines(group), False, False, False
        if not text.strip():
            continue
        prev = blocks[-1] if blocks else None
        if (prev is not None and prev.kind == "paragraph" and not heading and not hard_break
                and is_continuation(prev.text, text)):
            prev.text = join_lines([prev.text, text])
            continue
        blocks.append(Block("heading" if heading else "paragraph", text, bold=bold, italic=italic))
    return blocks
