"""The durable per-document store: one JSON record per input file in OUT/json/<doc_id>.json.

Records are written as each file finishes (atomically), so an interrupted run loses at most
the files in flight; the tables are always rebuilt from all records."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

INDEX_NAME = ".index"  # in OUT/json: the cached hash and source path of every record (record_index)
BUILT_NAME = ".built"  # in OUT/json: what the tables and report.html were last built from
CODE_PACKAGES = ("pipeline", "normalizers", "extractors")  # code that can change the built outputs
INPUT_DIR_KEY = "input_dir"  # of a record (and of its duplicate rows): the INPUT_DIR its source_path is relative to
DUPLICATE = "duplicate"  # error_type of the row naming another copy of a stored document


class StoredDoc(NamedTuple):
    """What the index knows of one record, enough to place it without reading it."""
    sha256: str
    source_path: str
    doc_id: str
    input_dir: str | None  # None: stored before INPUT_DIR was kept (found again, it is stamped)
    duplicates: tuple[tuple[str, str | None], ...]  # (source_path, input_dir) of its duplicate rows


TEMP_PREFIX = ".tmp-"  # of a file being written (renamed into place when complete)
STAGING_PREFIX = ".staging-"  # of the folder the tables are written into before they move into place


def remove_leftovers(out_dir: Path) -> None:
    """Delete the temp files and staging folders of writes cut short (a run killed while it wrote);
    call only while holding the output folder (outlock)."""
    folders = (out_dir, out_dir / "json", out_dir / "text")
    leftovers = [*out_dir.glob(STAGING_PREFIX + "*"), *(p for f in folders for p in f.glob(TEMP_PREFIX + "*"))]
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _file_mode() -> int:
    """The mode a plain open() would give a new file (mkstemp's is 0600: others could not read
    the records and texts of a shared output folder)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same folder + rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), FILE_MODE)
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _record_bytes(record: dict[str, Any]) -> bytes:
    """One record as UTF-8 JSON on one line: without indent, json uses its C encoder, several
    times faster, and the parent that stores records competes with the workers for the cores."""
    return json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")


def save_record(out_dir: Path, record: dict[str, Any], input_dir: str | None = None) -> None:
    """Store one document's record and its normalized text (text first: the record marks completion),
    with the INPUT_DIR its paths are relative to (how a later run tells a moved or removed file)."""
    doc_id = record["document"]["doc_id"]
    if input_dir is not None:
        record[INPUT_DIR_KEY] = input_dir
    atomic_write_bytes(out_dir / "text" / f"{doc_id}.txt", record.get("text", "").encode("utf-8"))
    body = {k: v for k, v in record.items() if k != "text"}
    data = _record_bytes(body)
    atomic_write_bytes(out_dir / "json" / f"{doc_id}.json", data)


def record_index(out_dir: Path) -> dict[str, list]:
    """Record file name -> [size, mtime_ns, sha256, source_path, doc_id, input_dir, duplicates]
    of every readable record (duplicates: [source_path, input_dir] of its duplicate rows).

    Cached in json/.index by size and mtime, so a re-run reads only the records written or
    changed since, instead of every full record just to learn its hash."""
    folder = out_dir / "json"
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".json") and e.is_file()]
    except FileNotFoundError:
        return {}
    cache = _read_index(folder)
    index: dict[str, list] = {}
    for entry in entries:
        st = entry.stat()
        known = cache.get(entry.name)
        if known and known[:2] == [st.st_size, st.st_mtime_ns]:
            index[entry.name] = known
            continue
        try:
            record = json.loads(Path(entry.path).read_text(encoding="utf-8"))
            index[entry.name] = [st.st_size, st.st_mtime_ns, *_index_fields(record)]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a foreign or damaged file: the document will be re-processed
    if index != cache:
        with contextlib.suppress(OSError):  # a read-only output folder: the index is only a shortcut
            atomic_write_bytes(folder / INDEX_NAME, json.dumps(index, ensure_ascii=False).encode("utf-8"))
    return index


def _index_fields(record: dict[str, Any]) -> list:
    doc = record["document"]
    root = record.get(INPUT_DIR_KEY)
    duplicates = [[e.get("source_path"), e.get(INPUT_DIR_KEY, root)] for e in record.get("errors") or []
                  if e.get("error_type") == DUPLICATE]
    return [doc["file_sha256"], doc.get("source_path"), doc["doc_id"], root, duplicates]


INDEX_FIELDS = 7


def _read_index(folder: Path) -> dict[str, list]:
    try:
        data = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == INDEX_FIELDS}


def iter_records(out_dir: Path) -> Iterator[dict[str, Any]]:
    """All stored records, in a stable order (by source path), read one at a time (the parent
    never holds them all)."""
    index = record_index(out_dir)
    for name in sorted(index, key=lambda n: (index[n][3] or "", index[n][4])):
        try:
            yield json.loads((out_dir / "json" / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue


def known_documents(out_dir: Path) -> dict[str, StoredDoc]:
    """sha256 -> StoredDoc of every file that already has a complete record."""
    return {sha: StoredDoc(sha, source, doc_id, root, tuple((p, r) for p, r in dups))
            for _size, _mtime, sha, source, doc_id, root, dups in record_index(out_dir).values()}


def records_state(out_dir: Path) -> list[list]:
    """[name, size, mtime_ns] of every record: changes whenever a record is added or rewritten."""
    return sorted([name, size, mtime] for name, (size, mtime, *_rest) in record_index(out_dir).items())


def update_record(out_dir: Path, doc_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply `change` to a stored record in place and store it again (atomically) if it changed."""
    path = out_dir / "json" / f"{doc_id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    before = _record_bytes(record)
    change(record)
    if (after := _record_bytes(record)) != before:
        atomic_write_bytes(path, after)


def remove_record(out_dir: Path, doc_id: str) -> None:
    """Delete a document's record (first: the document is then gone) and its text."""
    (out_dir / "json" / f"{doc_id}.json").unlink(missing_ok=True)
    (out_dir / "text" / f"{doc_id}.txt").unlink(missing_ok=True)


def build_fingerprint(out_dir: Path) -> str:
    """What the tables and the report are built from: every record (name, size, mtime) and the
    code and data files of the packages (size, mtime), so a code change also rebuilds them."""
    h = hashlib.sha256(json.dumps(records_state(out_dir)).encode("utf-8"))
    root = Path(__file__).resolve().parents[1]
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if "__pycache__" not in path.parts and path.is_file():
                st = path.stat()
                h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def outputs_current(out_dir: Path, fingerprint: str) -> bool:
    """True when the outputs were built from exactly this fingerprint and are all still there."""
    try:
        built = json.loads((out_dir / "json" / BUILT_NAME).read_text(encoding="utf-8"))
        files = [out_dir / name for name in built["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return built.get("fingerprint") == fingerprint and bool(files) and all(p.is_file() for p in files)


def mark_built(out_dir: Path, fingerprint: str, files: list[str]) -> None:
    """Record that `files` (relative to out_dir) were built from `fingerprint`."""
    data = json.dumps({"fingerprint": fingerprint, "files": sorted(files)}).encode("utf-8")
    atomic_write_bytes(out_dir / "json" / BUILT_NAME, data)
