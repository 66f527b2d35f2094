"""Files moved, renamed, copied or deleted between runs: the dataset follows the folder without
processing a stored plan again, and other INPUT_DIRs loaded into the same OUT_DIR are left alone."""
from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import ingest
from pipeline.store import INDEX_NAME, INPUT_DIR_KEY
from tests.conftest import corpus_file

PLANS = ["cao-lau-2023.txt", "hong-phong-2023.md"]


def make_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in PLANS:
        shutil.copy(corpus_file(name), folder / name)


def run(input_dir: Path, out: Path, **kwargs):
    return ingest(input_dir, out, workers=1, progress=False, **kwargs)


def documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet").set_index("source_name")


def errors(out: Path) -> list[tuple[str, str, str]]:
    df = pd.read_parquet(out / "errors.parquet")
    return sorted(zip(df.source_path, df.error_type, df.message, strict=True))


def test_moved_file_keeps_its_record_under_the_new_path(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    run(tmp_path / "in", tmp_path / "out")
    doc_id = documents(tmp_path / "out").loc["cao-lau-2023.txt", "doc_id"]
    (tmp_path / "in" / "2023" / "huyen").mkdir(parents=True)
    (tmp_path / "in" / "cao-lau-2023.txt").rename(tmp_path / "in" / "2023" / "huyen" / "cao lau.txt")

    summary = run(tmp_path / "in", tmp_path / "out")

    assert (summary.processed, summary.skipped, summary.moved, summary.missing) == (0, 2, 1, 0)
    assert "1 moved or renamed" in summary.line()
    docs = documents(tmp_path / "out")
    assert docs.loc["cao lau.txt", "source_path"] == "2023/huyen/cao lau.txt"
    assert docs.loc["cao lau.txt", "doc_id"] == doc_id  # the same record, not a new one
    assert docs.loc["cao lau.txt", "issuer"] == "UBND xã Cao Lâu"  # its extraction is kept
    assert errors(tmp_path / "out") == []  # not reported as a copy of a file that is gone


def test_copies_are_listed_while_they_exist_and_the_last_copy_takes_over(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    run(tmp_path / "in", tmp_path / "out")
    shutil.copy(tmp_path / "in" / "hong-phong-2023.md", tmp_path / "in" / "ban sao.md")
    run(tmp_path / "in", tmp_path / "out")
    assert errors(tmp_path / "out") == [
        ("ban sao.md", "duplicate", "same content as hong-phong-2023.md; read once, under that name")]

    (tmp_path / "in" / "hong-phong-2023.md").unlink()  # the copy is now the only one
    summary = run(tmp_path / "in", tmp_path / "out")

    assert (summary.processed, summary.moved) == (0, 1)
    assert errors(tmp_path / "out") == []
    assert list(documents(tmp_path / "out").sort_index().source_path) == ["ban sao.md", "cao-lau-2023.txt"]

    shutil.copy(tmp_path / "in" / "ban sao.md", tmp_path / "in" / "ban sao 2.md")
    run(tmp_path / "in", tmp_path / "out")
    (tmp_path / "in" / "ban sao 2.md").unlink()  # a copy deleted: its row goes with it
    run(tmp_path / "in", tmp_path / "out")
    assert errors(tmp_path / "out") == []


def test_deleted_file_is_counted_kept_and_pruned_on_request(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    run(tmp_path / "in", tmp_path / "out")
    doc_id = documents(tmp_path / "out").loc["cao-lau-2023.txt", "doc_id"]
    (tmp_path / "in" / "cao-lau-2023.txt").unlink()

    kept = run(tmp_path / "in", tmp_path / "out")
    assert (kept.missing, kept.pruned) == (1, 0)
    assert "1 stored plan no longer under INPUT_DIR, kept (--prune removes it)" in kept.line()
    assert len(documents(tmp_path / "out")) == 2  # nothing dropped without being asked

    pruned = run(tmp_path / "in", tmp_path / "out", prune_missing=True)
    assert (pruned.missing, pruned.pruned) == (1, 1)
    assert list(documents(tmp_path / "out").index) == ["hong-phong-2023.md"]
    assert not (tmp_path / "out" / "json" / f"{doc_id}.json").exists()
    assert not (tmp_path / "out" / "text" / f"{doc_id}.txt").exists()
    assert doc_id not in set(pd.read_parquet(tmp_path / "out" / "sections.parquet").doc_id)
    assert run(tmp_path / "in", tmp_path / "out").missing == 0


def test_other_input_folders_in_the_same_output_are_left_alone(tmp_path: Path) -> None:
    make_folder(tmp_path / "district-a")
    (tmp_path / "district-b").mkdir()
    shutil.copy(corpus_file("phu-son-2023.txt"), tmp_path / "district-b" / "phu-son-2023.txt")
    shutil.copy(corpus_file("cao-lau-2023.txt"), tmp_path / "district-b" / "cao-lau gui lai.txt")
    out = tmp_path / "out"
    run(tmp_path / "district-a", out)

    b = run(tmp_path / "district-b", out, prune_missing=True)

    assert (b.processed, b.moved, b.missing, b.pruned) == (1, 0, 0, 0)  # A's plans are not B's to move or prune
    docs = documents(out)
    assert set(docs.source_path) == {"cao-lau-2023.txt", "hong-phong-2023.md", "phu-son-2023.txt"}
    elsewhere = (tmp_path / "district-a" / "cao-lau-2023.txt").resolve()
    copy_row = ("cao-lau gui lai.txt", "duplicate", f"same content as {elsewhere}; read once, under that name")
    assert errors(out) == [copy_row]
    a = run(tmp_path / "district-a", out, prune_missing=True)  # nor are B's plans A's
    assert (a.missing, a.pruned) == (0, 0)
    assert errors(out) == [copy_row] and len(documents(out)) == 3


def test_records_stored_before_input_dir_was_kept_are_stamped_then_followed(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    out = tmp_path / "out"
    run(tmp_path / "in", out)
    for path in (out / "json").glob("*.json"):  # as an older vnplan stored them
        record = json.loads(path.read_text(encoding="utf-8"))
        del record[INPUT_DIR_KEY]
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (out / "json" / INDEX_NAME).unlink()
    assert run(tmp_path / "in", out).missing == 0  # unknown folder: never counted as missing

    stamped = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "json").glob("*.json")]
    assert {r[INPUT_DIR_KEY] for r in stamped} == {str((tmp_path / "in").resolve())}
    (tmp_path / "in" / "cao-lau-2023.txt").unlink()
    assert run(tmp_path / "in", out).missing == 1


def test_stored_files_are_readable_like_the_tables(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    run(tmp_path / "in", tmp_path / "out")
    mask = os.umask(0)
    os.umask(mask)
    expected = 0o666 & ~mask
    for path in [*(tmp_path / "out" / "json").iterdir(), *(tmp_path / "out" / "text").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == expected, path.name


def test_rerun_reads_no_plan_again_unless_it_changed(tmp_path: Path, monkeypatch) -> None:
    import pipeline.file_hashes

    make_folder(tmp_path / "in")
    run(tmp_path / "in", tmp_path / "out")
    hashed: list[str] = []
    real = pipeline.file_hashes.file_sha256
    monkeypatch.setattr(pipeline.file_hashes, "file_sha256", lambda path: hashed.append(path.name) or real(path))

    assert run(tmp_path / "in", tmp_path / "out").skipped == 2
    assert hashed == []  # a slow shared drive is not read again to learn that nothing changed

    plan = tmp_path / "in" / "cao-lau-2023.txt"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("2023", "2024", 1), encoding="utf-8")  # same size, new content
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 1_000_000_000))
    edited = run(tmp_path / "in", tmp_path / "out")
    assert hashed == ["cao-lau-2023.txt"]
    assert (edited.processed, edited.missing) == (1, 1)  # the edited file is a new plan; the old one is kept

    hashed.clear()
    run(tmp_path / "in", tmp_path / "out", force=True)
    assert sorted(hashed) == sorted(PLANS)


def test_leftovers_of_a_run_killed_while_writing_are_cleared(tmp_path: Path) -> None:
    from pipeline.store import STAGING_PREFIX, TEMP_PREFIX

    make_folder(tmp_path / "in")
    out = tmp_path / "out"
    run(tmp_path / "in", out)
    leftovers = [out / "json" / f"{TEMP_PREFIX}abc.json.x1y2", out / "text" / f"{TEMP_PREFIX}abc.txt.x1y2",
                 out / f"{TEMP_PREFIX}report.html.x1y2"]
    for path in leftovers:
        path.write_text("half written", encoding="utf-8")
    (out / f"{STAGING_PREFIX}k3j2").mkdir()
    (out / f"{STAGING_PREFIX}k3j2" / "documents.csv").write_text("half", encoding="utf-8")

    assert run(tmp_path / "in", out).skipped == 2
    assert not any(p.exists() for p in leftovers) and not list(out.glob(STAGING_PREFIX + "*"))
    assert len(documents(out)) == 2


def test_a_sub_folder_loaded_again_on_its_own_is_no_copy_of_itself(tmp_path: Path) -> None:
    make_folder(tmp_path / "province" / "district-a")
    shutil.copy(corpus_file("phu-son-2023.txt"), tmp_path / "province" / "phu-son-2023.txt")
    out = tmp_path / "out"
    run(tmp_path / "province", out)
    shutil.copy(corpus_file("phu-son-2023.txt"), tmp_path / "province" / "district-a" / "phu-son ban sao.txt")

    sub = run(tmp_path / "province" / "district-a", out)  # the district reloaded after a file was added

    assert (sub.processed, sub.skipped, sub.moved, sub.missing) == (0, 3, 0, 0)
    elsewhere = (tmp_path / "province" / "phu-son-2023.txt").resolve()
    read_once = "; read once, under that name"
    assert errors(out) == [("phu-son ban sao.txt", "duplicate", f"same content as {elsewhere}{read_once}")]
    assert set(documents(out).source_path) == {"district-a/cao-lau-2023.txt", "district-a/hong-phong-2023.md",
                                               "phu-son-2023.txt"}
    whole = run(tmp_path / "province", out)  # and the whole province again: nothing moves, the copy is listed once
    assert (whole.processed, whole.moved, whole.missing) == (0, 0, 0)
    copy_row = ("district-a/phu-son ban sao.txt", "duplicate", f"same content as phu-son-2023.txt{read_once}")
    assert errors(out) == [copy_row]


def test_an_output_folder_inside_the_input_folder_is_not_read_as_plans(tmp_path: Path) -> None:
    from pipeline.ingest import FoldersClash

    make_folder(tmp_path / "plans")
    out = tmp_path / "plans" / "out"  # as in `vnplan ingest . --out out`
    run(tmp_path / "plans", out)
    again = run(tmp_path / "plans", out)

    assert (again.processed, again.skipped, again.missing) == (0, 2, 0)
    assert sorted(documents(out).source_path) == sorted(PLANS)
    assert errors(out) == []
    with pytest.raises(FoldersClash):
        run(tmp_path / "plans", tmp_path / "plans")


def test_unusable_folders_are_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    make_folder(tmp_path / "in")
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    cases = [(tmp_path / "in", tmp_path / "taken", "File exists"),
             (tmp_path / "in", tmp_path / "taken" / "out", "Not a directory"),
             (tmp_path / "in", tmp_path / "in", "must be another folder than INPUT_DIR"),
             (tmp_path / "in" / "cao-lau-2023.txt", tmp_path / "out", "is a file: give the folder that holds it"),
             (tmp_path / "missing", tmp_path / "out", "not found")]
    for input_dir, out, reason in cases:
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(input_dir), "--out", str(out)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and reason in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_file_that_cannot_be_read_is_an_error_row_and_the_batch_goes_on(tmp_path: Path, monkeypatch) -> None:
    import pipeline.file_hashes

    make_folder(tmp_path / "in")
    real = pipeline.file_hashes.file_sha256

    def failing_share(path: Path) -> str:
        if path.name == "cao-lau-2023.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.file_hashes, "file_sha256", failing_share)
        first = run(tmp_path / "in", tmp_path / "out")
        again = run(tmp_path / "in", tmp_path / "out")
    assert (first.processed, first.statuses["error"], first.statuses["ok"]) == (2, 1, 1)
    assert (again.processed, again.skipped) == (0, 2)  # recorded once
    docs = documents(tmp_path / "out")
    assert docs.loc["cao-lau-2023.txt", "status"] == "error"
    (row,) = [e for e in errors(tmp_path / "out") if e[0] == "cao-lau-2023.txt"]
    assert row[1] == "unreadable" and "Permission denied" in row[2]

    readable = run(tmp_path / "in", tmp_path / "out")  # the share works again: read as a plan
    assert (readable.processed, readable.missing) == (1, 1)
    assert run(tmp_path / "in", tmp_path / "out", prune_missing=True).pruned == 1
    assert set(documents(tmp_path / "out").status) == {"ok"} and errors(tmp_path / "out") == []


def test_a_folder_that_cannot_be_listed_is_said_not_skipped(tmp_path: Path, monkeypatch) -> None:
    import pipeline.ingest

    make_folder(tmp_path / "in" / "phong-noi-vu")
    shutil.copy(corpus_file("phu-son-2023.txt"), tmp_path / "in" / "phu-son-2023.txt")
    real_walk = os.walk

    def walk_with_a_locked_folder(top, onerror=None, **kwargs):  # another office's folder on the share
        for dirpath, dirnames, filenames in real_walk(top, onerror=onerror, **kwargs):
            if Path(dirpath).name == "phong-noi-vu":
                onerror(PermissionError(13, "Permission denied", dirpath))
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(pipeline.ingest.os, "walk", walk_with_a_locked_folder)
    first = run(tmp_path / "in", tmp_path / "out")
    assert (first.processed, first.statuses["ok"], first.statuses["error"]) == (2, 1, 1)
    (row,) = errors(tmp_path / "out")
    assert row[:2] == ("phong-noi-vu", "unreadable") and "could not be listed (Permission denied)" in row[2]
    assert run(tmp_path / "in", tmp_path / "out").processed == 0  # said once
