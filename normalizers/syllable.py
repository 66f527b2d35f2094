"""Rule-based check of Vietnamese syllable orthography (initial + rhyme + tone).

Used by the vocabulary repair to tell a real word ("tín", "hoàng") from OCR noise or a typo
("Tur", "VHXXH"): only words that cannot be Vietnamese are candidates for a free repair. The rules
are deliberately a little loose (a false "valid" only means a missed repair, never a wrong one).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}

_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# Vowel clusters that stand alone or take a final consonant.
_OPEN_OR_CLOSED = "a|e|ê|i|y|o|ô|ơ|u|ư|oa|oe|uê|uy|oo"
# Clusters that need a final consonant.
_CLOSED_ONLY = "ă|â|iê|yê|uô|ươ|oă|uâ|uyê"
# Clusters ending in a glide (no final consonant after them).
_OPEN_ONLY = (
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|ưi|ưu|iêu|yêu|uôi|ươi|ươu|oai|oay|oao|oeo|uây"
    "|uyu|ua|ưa|uya|ya|uơ"
)
_FINALS = "ch|nh|ng|c|m|n|p|t"
_RHYME = rf"(?:(?:{_OPEN_ONLY}|{_OPEN_OR_CLOSED})|(?:{_OPEN_OR_CLOSED}|{_CLOSED_ONLY})(?:{_FINALS}))"
_SYLLABLE = re.compile(rf"^(?:{_INITIALS})?{_RHYME}$")
_STOP_FINAL = re.compile(r"(?:c|ch|p|t)$")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when `word` (any case, NFC or not) is a well-formed Vietnamese syllable."""
    d = unicodedata.normalize("NFD", word.lower())
    tones = [_TONES[c] for c in d if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    if not _SYLLABLE.match(bare):
        return False
    # Syllables closed by a stop (c, ch, p, t) only carry the sắc or nặng tone (or none after OCR).
    return not (tones and _STOP_FINAL.search(bare) and tones[0] not in ("sac", "nang"))
