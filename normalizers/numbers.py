"""Vietnamese numbers: comma is the decimal mark, dot groups thousands ("1.234,5" -> 1234.5).

A lone dot is a thousands separator only when exactly three digits follow it ("1.234" -> 1234);
otherwise it is read as a decimal point ("8.25" -> 8.25), as OCR and English-style texts write.
"""
from __future__ import annotations

import re

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?$")
_SIMPLE = re.compile(r"^\d+(?:[.,]\d+)?$")

# A number in running text; group "num" (also group 1) holds it without sign.
NUMBER_RE = re.compile(
    r"(?<![\w.,])(?<!\d[.,])"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![.,]?\d)"
)


def parse_number(s: str) -> float | None:
    """Parse one number as written in a Vietnamese text; None when it is not a number."""
    if not isinstance(s, str):
        return None
    t = s.strip().rstrip("%").strip().replace(" ", "")
    sign = 1.0
    if t and t[0] in "+-":
        sign = -1.0 if t[0] == "-" else 1.0
        t = t[1:]
    if not t:
        return None
    if _THOUSANDS_DOT.match(t):
        t = t.replace(".", "").replace(",", ".")
    elif _THOUSANDS_COMMA.match(t):
        t = t.replace(",", "")
    elif _SIMPLE.match(t):
        t = t.replace(",", ".")
    else:
        return None
    try:
        return sign * float(t)
    except ValueError:  # pragma: no cover - the patterns above only admit valid floats
        return None
