"""End to end: the corpus's text plans in, the contracted dataset out (checked by the CEO's tool)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.ingest import ingest
from tests.conftest import CORPUS

CHECKER = CORPUS.parent / "tools" / "check_output.py"
TEXT_PLANS = ["hong-phong-2023.docx", "cao-lau-2023.pdf", "phu-son-2023.docx", "phu-son-2023.pdf",
              "chi-lang-2025.txt"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("in")
    for name in TEXT_PLANS:
        if not (CORPUS / name).exists():
            pytest.skip(f"corpus file {name} not available")
        shutil.copy(CORPUS / name, src / name)
    (src / "notes").mkdir()
    (src / "notes" / "empty.pdf").write_bytes(b"")
    out = tmp_path_factory.mktemp("out")
    ingest(src, out, workers=2, progress=False)
    return out


def test_output_passes_the_contract_checker(out: Path) -> None:
    res = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "output contract: ok (6 documents)" in res.stdout


def test_bad_file_is_an_error_row_and_the_batch_goes_on(out: Path) -> None:
    docs = pd.read_parquet(out / "documents.parquet").set_index("source_path")
    assert docs.loc["notes/empty.pdf", "status"] == "error"
    assert (docs.drop(index="notes/empty.pdf")["status"] == "ok").all()
    errors = pd.read_parquet(out / "errors.parquet")
    assert list(errors.loc[errors["source_path"] == "notes/empty.pdf", "error_type"]) == ["empty_file"]


def test_every_table_has_rows_and_spans_point_at_their_evidence(out: Path) -> None:
    for name in ["sections", "assignments", "deadlines", "scores", "people", "references", "audit"]:
        df = pd.read_parquet(out / f"{name}.parquet")
        assert len(df) > 0, name
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (out / "text").glob("*.txt")}
    refs = pd.read_parquet(out / "references.parquet")
    for r in refs.itertuples():
        assert texts[r.doc_id][r.span_start:r.span_end] == r.raw
    scores = pd.read_parquet(out / "scores.parquet")
    for r in scores.itertuples():
        assert texts[r.doc_id][r.span_start:r.span_end] == r.raw


def test_csv_is_excel_safe_and_lists_are_joined(out: Path) -> None:
    raw = (out / "assignments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pq = pd.read_parquet(out / "assignments.parquet")
    assert len(csv) == len(pq)
    multi = pq[pq["lead_units"].map(len) > 1].iloc[0]
    row = csv[(csv["doc_id"] == multi["doc_id"]) & (csv["assignment_id"] == str(multi["assignment_id"]))]
    assert row["lead_units"].iloc[0] == "; ".join(multi["lead_units"])
    scores = pd.read_csv(out / "scores.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert not scores["change"].str.startswith("-").any()


def test_duckdb_views_answer_sql(out: Path) -> None:
    con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
    try:
        n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        n_refs = con.execute('SELECT count(*) FROM "references"').fetchone()[0]
        n_cit = con.execute("SELECT count(*) FROM citations").fetchone()[0]
    finally:
        con.close()
    assert n_docs == 6 and n_refs == n_cit > 0
