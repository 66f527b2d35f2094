"""File names in any encoding and text in NFD or with invisible characters: the same plan gives
the same extraction, and names reach the tables as clean NFC text."""
from __future__ import annotations

import os
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hostile_make import SYNTHETIC_PLAN, make_docx
from hypothesis import given
from hypothesis import strategies as st

from pipeline.identity import display_name
from pipeline.run import DocResult, process_file

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def _facts(result: DocResult) -> tuple:
    """What must not depend on the encoding of the input: text, header fields, assignments."""
    d = result.document
    return (result.text, d.status, d.doc_type, d.doc_number, d.issuer, d.issue_date, d.signer_name,
            d.missing_sections, [(a.section_no, a.index_code, a.lead_units, a.timing, a.task)
                                 for a in result.assignments])


def _with_zero_width(text: str) -> str:
    """Invisible characters inside words and at line starts, as copy-paste from the web leaves them."""
    out = []
    for i, line in enumerate(text.split("\n")):
        mark = ZERO_WIDTH[i % len(ZERO_WIDTH)]
        words = line.split(" ")
        out.append(mark + " ".join(w[:2] + mark + w[2:] if len(w) > 4 else w for w in words))
    return "\n".join(out)


@cache
def _txt(kind: str, root: str) -> DocResult:
    text = {"nfc": SYNTHETIC_PLAN, "nfd": unicodedata.normalize("NFD", SYNTHETIC_PLAN),
            "zw": _with_zero_width(SYNTHETIC_PLAN)}[kind]
    path = Path(root) / f"{kind}.txt"
    path.write_text(text, encoding="utf-8")
    return process_file(path, path.parent)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("encodings"))


def test_clean_synthetic_plan_reference(root: str) -> None:
    facts = _facts(_txt("nfc", root))
    assert facts[1:7] == ("ok", "Kế hoạch", "27", "UBND xã Tân Thủy", "2024-04-09", "Lê Thị Mai")
    assert [a[:2] for a in facts[8]] == [("II.1", "PAPI.TRANSPARENCY"), ("II.2", "PAPI.CORRUPTION_CONTROL")]


@pytest.mark.parametrize("kind", ["nfd", "zw"])
def test_nfd_and_zero_width_text_extract_like_clean_nfc(root: str, kind: str) -> None:
    assert _facts(_txt(kind, root)) == _facts(_txt("nfc", root))


def test_nfd_docx_extracts_like_nfc_docx(tmp_path: Path) -> None:
    lines = [ln for ln in SYNTHETIC_PLAN.split("\n") if ln.strip()]
    nfc = process_file(make_docx(lines, tmp_path / "nfc.docx"), tmp_path)
    nfd = process_file(make_docx([unicodedata.normalize("NFD", ln) for ln in lines], tmp_path / "nfd.docx"),
                       tmp_path)
    assert nfc.document.doc_number == "27" and nfc.assignments
    assert _facts(nfd)[0] == _facts(nfc)[0]
    assert _facts(nfd)[2:] == _facts(nfc)[2:]


@pytest.mark.parametrize("raw, shown", [
    (unicodedata.normalize("NFD", "Kế hoạch số 27 - Tân Thủy.txt").encode(), "Kế hoạch số 27 - Tân Thủy.txt"),
    ("kế hoạch  với   dấu cách.txt".encode(), "kế hoạch  với   dấu cách.txt"),
    (b"k\xe9 ho\xe1ch 2024.txt", "k\ufffd ho\ufffdch 2024.txt"),  # latin-1 bytes: not UTF-8
    ("Tân Ho\u0300a".encode("cp1258") + b".txt", "T\ufffdn Ho\ufffda.txt"),  # Windows-1258 bytes
])
def test_file_names_in_other_encodings_are_read(tmp_path: Path, raw: bytes, shown: str) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/" + raw))
    path.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    result = process_file(path, tmp_path)
    assert result.document.source_name == shown
    assert result.document.source_path == shown
    assert result.document.status == "ok" and len(result.assignments) == 2


def test_name_of_255_bytes(tmp_path: Path) -> None:
    stem = ("kế hoạch cải thiện chỉ số " * 12).encode()[:251].decode("utf-8", "ignore")
    name = stem + "x" * (251 - len(stem.encode())) + ".txt"
    assert len(name.encode()) == 255
    (tmp_path / name).write_text(SYNTHETIC_PLAN, encoding="utf-8")
    result = process_file(tmp_path / name, tmp_path)
    assert result.document.source_name == name and result.document.status == "ok"


@given(st.binary(min_size=1, max_size=120).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_display_name_of_any_bytes_is_clean_text(raw: bytes) -> None:
    name = display_name(os.fsdecode(raw))
    name.encode("utf-8")  # no surrogates: the writers never break on a name
    assert unicodedata.is_normalized("NFC", name)
    assert display_name(name) == name  # stable when read back from the tables
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        assert "\ufffd" in name
    else:
        assert name == unicodedata.normalize("NFC", text)


@given(st.text(min_size=1, max_size=60))
def test_display_name_keeps_valid_names(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates stand for undecodable bytes
        return
    assert display_name(text) == unicodedata.normalize("NFC", text)
