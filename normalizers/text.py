"""Text normalization applied to every block before the PlanText is assembled.

Minimal first version (NFC + whitespace); the normalizers owner extends it (tone marks,
dashes, quotes, zero-width characters). Must stay idempotent and return NFC.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_text(raw: str) -> str:
    """Normalize one block's text; never raises, idempotent, NFC out."""
    text = unicodedata.normalize("NFC", raw)
    text = _SPACES.sub(" ", text)
    return text.strip()
