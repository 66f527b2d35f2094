"""A plan typed in the old TCVN3 (.VnTime) fonts gives the same dataset as its Unicode twin."""
from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import docx

from pipeline.resources import DATA_DIR
from pipeline.run import process_file
from tests.conftest import corpus_file


def to_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 characters, from the project's own mapping table (reversed)."""
    with open(DATA_DIR / "legacy_encodings.csv", encoding="utf-8") as f:
        table = {r["unicode"]: r["legacy"] for r in csv.DictReader(f) if r["encoding"] == "tcvn3"}
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def write_docx(path: Path, lines: list[str]) -> None:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))


def test_tcvn3_docx_gives_the_unicode_plan(tmp_path: Path) -> None:
    lines = [ln.strip() for ln in corpus_file("chi-lang-2025.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip()]
    write_docx(tmp_path / "unicode.docx", lines)
    write_docx(tmp_path / "legacy.docx", [to_tcvn3(ln) for ln in lines])
    assert to_tcvn3("Cơ quan chủ trì") != "Cơ quan chủ trì"
    clean = process_file(tmp_path / "unicode.docx", tmp_path)
    legacy = process_file(tmp_path / "legacy.docx", tmp_path)
    assert legacy.document.issuer == clean.document.issuer == "UBND huyện Chi Lăng"
    assert legacy.document.signer_name == "Phùng Văn Nghĩa"
    lead = [a.lead_units for a in legacy.assignments]
    assert lead == [a.lead_units for a in clean.assignments] and ["Thanh tra huyện"] in lead
    assert [(s.index_code, s.value, s.rank) for s in legacy.scores] == [
        (s.index_code, s.value, s.rank) for s in clean.scores]
