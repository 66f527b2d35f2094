"""Smoke test of the bulk benchmark's generator (benchmarks/bulk.py): the plans it makes are
distinct files that the pipeline reads as plans of other localities and officers."""
from __future__ import annotations

import hashlib
import importlib.util
import random
import sys
from pathlib import Path

import pytest

from pipeline.ingest import ingest
from tests.conftest import ROOT, corpus_file


def _bulk():
    spec = importlib.util.spec_from_file_location("bench_bulk", ROOT / "benchmarks" / "bulk.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bulk = _bulk()

SYNTHETIC = """ỦY BAN NHÂN DÂN XÃ TÂN HÒA
Số: 15/KH-UBND
Tân Hòa, ngày 05 tháng 4 năm 2024
KẾ HOẠCH
Nâng cao Chỉ số PAPI xã Tân Hòa năm 2024
Căn cứ Kế hoạch số 31/KH-UBND của UBND huyện Mường Lát, tỉnh Điện Biên.
Chỉ số PAPI năm 2023 đạt 42,37 điểm; phấn đấu đạt 8,5 điểm nội dung 1.
Công chức phụ trách: ông Trần Văn Bảy.
CHỦ TỊCH
Trần Văn Bảy
"""


def test_substitution_replaces_places_officers_and_numbers_of_any_plan() -> None:
    mapping = bulk.substitutions(SYNTHETIC, random.Random(1))
    assert {"Tân Hòa", "Mường Lát", "Điện Biên", "Trần Văn Bảy", "TÂN HÒA"} <= set(mapping)
    out = bulk.rewrite(SYNTHETIC, mapping, random.Random(2), 777)
    for old in ("Tân Hòa", "TÂN HÒA", "Mường Lát", "Điện Biên", "Trần Văn Bảy", "15/KH"):
        assert old not in out
    assert "Số: 777/KH-UBND" in out and mapping["Tân Hòa"] in out and mapping["TÂN HÒA"] in out
    assert "31/KH-UBND" in out  # only the plan's own number changes, not the cited plan's
    lines = out.splitlines()
    scores = [w for w in lines[6].split() if "," in w]
    assert [len(w) for w in scores] == [5, 3]  # 42,37 and 8,5 keep their format


def test_generated_plans_are_distinct_and_read_as_other_localities(tmp_path: Path) -> None:
    for name in bulk.TEXT_SOURCES + bulk.DOCX_SOURCES + bulk.READY_PDFS:
        corpus_file(name)
    made = bulk.generate(tmp_path / "in", 6, convert=False)  # no LibreOffice: corpus PDF copies
    assert len(made) == 6
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in made}) == 6
    assert {p.suffix for p in made} >= {".txt", ".docx", ".pdf"}
    summary = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert summary.processed == 6 and summary.statuses["ok"] == 6
    import pandas as pd

    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert (docs["text_chars"] > 1000).all()
    rewritten = docs[~docs["file_format"].eq("pdf")]  # the PDFs are plain copies here
    originals = {"Cao Lâu", "Hồng Phong", "Phú Sơn", "Chi Lăng"}
    assert rewritten["locality"].notna().all() and not set(rewritten["locality"]) & originals
    assert set(rewritten["locality"]) <= set(bulk.COMMUNES + bulk.DISTRICTS)


@pytest.mark.parametrize("tag", ["copy 1", "scan 2"])
def test_marked_pdf_is_byte_distinct_and_still_ends_with_a_comment(tag: str) -> None:
    data = corpus_file("cao-lau-2023.pdf").read_bytes()
    marked = bulk.mark_pdf(data, tag)
    assert marked.startswith(data) and marked != data and marked.rstrip().endswith(tag.encode())


def test_sampler_tells_the_workers_apart(tmp_path: Path) -> None:
    """The benchmark's memory and CPU columns come from its process sampler: with two workers it
    must find two worker processes (named vnplan-worker) and their CPU, not class them as helpers."""
    bulk.generate(tmp_path / "in", 6, seed=3, convert=False)
    run = bulk.ingest("smoke", tmp_path / "in", tmp_path / "out", workers=2)
    assert run.processed == 6
    assert len(run.worker_mb) == 2 and all(20 < mb < 500 for mb in run.worker_mb)
    assert run.worker_cpu_s > 0 and run.parent_cpu_s > 0
