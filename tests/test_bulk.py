"""Bulk loading: incremental re-runs, crash safety (SIGKILL + resume), the per-file guard and
the Dask executor all give exactly the dataset of one clean run."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.executors import process_one, run_local
from pipeline.identity import file_sha256
from pipeline.ingest import ingest
from tests.conftest import CORPUS

TEXT_PLANS = ["cao-lau-2023.txt", "hong-phong-2023.md", "phu-son-2023.txt"]


def make_batch(folder: Path, copies: int) -> list[Path]:
    """`copies` distinct plans per corpus text (a trailing note changes each file's sha256)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name in TEXT_PLANS:
        src = CORPUS / name
        if not src.exists():
            pytest.skip(f"corpus file {name} not available")
        text = src.read_text(encoding="utf-8")
        for i in range(copies):
            path = folder / f"{src.stem}-{i:03d}{src.suffix}"
            path.write_text(f"{text}\n\nBản sao số {i}.\n", encoding="utf-8")
            made.append(path)
    return made


def tables(out: Path) -> dict[str, pd.DataFrame]:
    """All tables, sorted and without volatile columns, for equality checks."""
    result = {}
    for name in ["documents", "sections", "assignments", "deadlines", "scores", "people", "references",
                 "audit", "errors"]:
        df = pd.read_parquet(out / f"{name}.parquet")
        df = df.astype(str)
        result[name] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return result


def assert_same(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], check_like=False, obj=name)


def test_rerun_skips_everything_and_new_file_only_is_processed(tmp_path: Path) -> None:
    make_batch(tmp_path / "in", 1)
    first = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert first.processed == 3 and first.skipped == 0
    rows_before = len(pd.read_parquet(tmp_path / "out" / "documents.parquet"))
    again = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert (again.processed, again.skipped) == (0, 3)
    assert len(pd.read_parquet(tmp_path / "out" / "documents.parquet")) == rows_before == 3
    extra = tmp_path / "in" / "sub" / "new-plan.txt"
    extra.parent.mkdir()
    extra.write_text((CORPUS / "cao-lau-2023.txt").read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    third = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert (third.processed, third.skipped) == (1, 3)
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert len(docs) == 4 and "sub/new-plan.txt" in set(docs["source_path"])
    forced = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False, force=True)
    assert forced.processed == 4
    assert len(pd.read_parquet(tmp_path / "out" / "documents.parquet")) == 4


def test_sigkill_midway_then_resume_equals_clean_run(tmp_path: Path) -> None:
    make_batch(tmp_path / "in", 8)
    ingest(tmp_path / "in", tmp_path / "clean", workers=2, progress=False)
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "in"), "--out",
           str(tmp_path / "killed"), "--workers", "1"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    json_dir = tmp_path / "killed" / "json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(json_dir.glob("*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = len(list(json_dir.glob("*.json")))
    assert 0 < stored < 24, "the kill must land mid-run"
    resumed = ingest(tmp_path / "in", tmp_path / "killed", workers=2, progress=False)
    assert resumed.skipped == stored and resumed.processed == 24 - stored
    assert_same(tmp_path / "clean", tmp_path / "killed")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_at_once_keeps_finished_files_and_resumes(tmp_path: Path, stop: int) -> None:
    import psutil

    make_batch(tmp_path / "in", 16)
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
           "--workers", "2"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    json_dir = tmp_path / "out" / "json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(json_dir.glob("*.json"))) < 3:
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers, "the pool must be running when the signal comes"
    if stop == signal.SIGINT:
        os.killpg(proc.pid, stop)  # Ctrl-C: the terminal signals the whole process group
    else:
        proc.send_signal(stop)  # a job scheduler: the main process only
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 130
    assert "interrupted after" in err and "run the same command" in err and "Traceback" not in err
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "no worker outlives the run"
    stored = len(list(json_dir.glob("*.json")))
    assert 0 < stored < 48, "stopped mid-run, finished files kept"
    said = re.search(r"interrupted after (\d+) of 48 files", err)
    assert said and int(said.group(1)) == stored, err  # files a worker stored as it was stopped count too
    assert not (tmp_path / "out" / "documents.parquet").exists()  # no tables from half a batch
    resumed = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert (resumed.skipped, resumed.processed) == (stored, 48 - stored)
    assert len(pd.read_parquet(tmp_path / "out" / "documents.parquet")) == 48


def guarded_task(path: str, input_dir: str, sha: str, ocr: str) -> dict:
    """Stands in for a file that hangs or explodes, to exercise the worker guard."""
    name = Path(path).name
    if name == "hang.txt":
        time.sleep(600)
    if name == "bomb.txt":
        bytearray(8 * 1024**3)  # far over the worker's memory cap
    return process_one(path, input_dir, sha, ocr)


def test_worker_guard_cuts_off_hanging_and_exploding_files(tmp_path: Path) -> None:
    make_batch(tmp_path / "in", 1)
    (tmp_path / "in" / "hang.txt").write_text("KẾ HOẠCH treo", encoding="utf-8")
    (tmp_path / "in" / "bomb.txt").write_text("KẾ HOẠCH nổ", encoding="utf-8")
    inputs = sorted((tmp_path / "in").iterdir())
    tasks = [(str(p), str(tmp_path / "in"), file_sha256(p)) for p in inputs]
    started = time.monotonic()
    records = dict(run_local(tasks, "never", workers=2, timeout=30, max_memory_mb=2048, task=guarded_task))
    assert time.monotonic() - started < 120
    by_name = {Path(p).name: r for p, r in records.items()}
    assert len(by_name) == 5
    assert [e["error_type"] for e in by_name["hang.txt"]["errors"]] == ["timeout"]
    assert [e["error_type"] for e in by_name["bomb.txt"]["errors"]] == ["memory_limit"]
    assert by_name["hang.txt"]["document"]["status"] == "error"
    good = [r for n, r in by_name.items() if n not in ("hang.txt", "bomb.txt")]
    assert all(r["document"]["status"] != "error" and r["document"]["text_chars"] > 1000 for r in good)


def test_dask_executor_equals_local(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    make_batch(tmp_path / "in", 1)
    ingest(tmp_path / "in", tmp_path / "local", workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        ingest(tmp_path / "in", tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address,
               progress=False)
    assert_same(tmp_path / "local", tmp_path / "dask")
    shutil.rmtree(tmp_path / "dask")


def _report_payload(out: Path) -> str:
    """The data blob of report.html without its generation time."""
    import re

    html = (out / "report.html").read_text(encoding="utf-8")
    return re.sub(r'"generated":"[^"]*"', "", html.split('id="report-data"', 1)[1].split("</script>", 1)[0])


def test_report_rendered_beside_the_tables_equals_the_inline_one(tmp_path: Path) -> None:
    from pipeline.ingest import _build_outputs

    make_batch(tmp_path / "in", 1)
    ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)  # report in a forked process
    background = _report_payload(tmp_path / "out")
    phases: dict[str, float] = {}
    _build_outputs(tmp_path / "out", phases, workers=1)  # report inline, after the tables
    assert _report_payload(tmp_path / "out") == background
    assert phases["report_s"] > 0 and phases["tables_s"] > 0
    for name in TEXT_PLANS:  # every plan is in the page
        assert Path(name).stem in background


def test_a_failing_background_report_is_not_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.report

    def broken(out_dir: Path, rules: dict | None = None) -> Path:
        raise RuntimeError("report template missing")

    monkeypatch.setattr(pipeline.report, "write_report", broken)  # inherited by the forked process
    make_batch(tmp_path / "in", 1)
    with pytest.raises(RuntimeError, match="report template missing"):
        ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)


HOLD_LOCK = """
import sys, time
from pathlib import Path
from pipeline.outlock import exclusive
with exclusive(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_second_ingest_into_the_same_output_waits_its_turn(tmp_path: Path) -> None:
    from pipeline.outlock import OutputBusy

    make_batch(tmp_path / "in", 1)
    (tmp_path / "out").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / "out")], stdout=subprocess.PIPE,
                              text=True)  # another run holding the folder
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputBusy, match=f"another vnplan ingest \\(pid {holder.pid} "):
            ingest(tmp_path / "in", tmp_path / "out", workers=1, progress=False)
        cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
        busy = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert busy.returncode == 75 and f"pid {holder.pid}" in busy.stderr
        assert not list((tmp_path / "out").glob("json/*.json"))  # nothing touched
    finally:
        holder.kill()
        holder.wait()
    assert ingest(tmp_path / "in", tmp_path / "out", workers=1, progress=False).processed == 3  # free again


def test_interrupt_during_the_rebuild_keeps_the_records_and_the_next_run_rebuilds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ingest
    from pipeline.ingest import IngestInterrupted

    make_batch(tmp_path / "in", 1)

    def ctrl_c(*args: object) -> list[str]:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.ingest, "_build_outputs", ctrl_c)
        with pytest.raises(IngestInterrupted) as stop:
            ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert (stop.value.summary.processed, stop.value.summary.queued) == (3, 3)
    assert "interrupted while rebuilding the tables" in stop.value.summary.interrupted_line()
    assert not (tmp_path / "out" / "documents.parquet").exists()
    again = ingest(tmp_path / "in", tmp_path / "out", workers=2, progress=False)
    assert (again.processed, again.skipped) == (0, 3)
    assert len(pd.read_parquet(tmp_path / "out" / "documents.parquet")) == 3
