"""Where a noun phrase (a unit's name) ends and its predicate begins, by part of speech.

Plans write "phối hợp với Trung tâm Văn hóa - Thông tin và Thể thao huyện đăng tải …": the unit
ends before the first verb, and no verb list can name every verb a plan will use. underthesea's
CRF tagger (offline) tags it; only lowercase verbs count, since a title-cased word inside a name
("Phòng Giao dịch", "Công chức Địa chính - Xây dựng") is part of the name. underthesea is heavy to
import (about 0.5 s and 100 MB), so it is loaded on first use: callers ask only when their
vocabulary did not find the end. Without underthesea the answer is "no verb".
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _tagger():
    try:
        from underthesea import pos_tag
    except Exception:  # an optional refinement: the vocabulary cut still applies
        return None
    return pos_tag


@lru_cache(maxsize=2048)  # plans repeat their unit lists
def verb_starts(text: str, skip_words: int = 1) -> tuple[int, ...]:
    """Offsets in `text` of the lowercase verbs after its first `skip_words` words."""
    tag = _tagger()
    if tag is None or not text.strip():
        return ()
    try:
        tagged = tag(text)
    except Exception:  # a tagger failure must not cost the document
        return ()
    starts: list[int] = []
    pos = 0
    words = 0
    for token, label in tagged:
        first = token.split()[0] if token.split() else token
        at = text.find(first, pos)
        if at < 0:
            continue
        pos = at + len(first)
        words += 1
        if label == "V" and words > skip_words and first[:1].islower():
            starts.append(at)
    return tuple(starts)
