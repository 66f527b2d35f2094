"""The durable per-document store: one JSON record per input file in OUT/json/<doc_id>.json.

Records are written as each file finishes (atomically), so an interrupted run loses at most
the files in flight; the tables are always rebuilt from all records."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

INDEX_NAME = ".index"  # in OUT/json: the cached hash and source path of every record (record_index)
BUILT_NAME = ".built"  # in OUT/json: what the tables and report.html were last built from
CODE_PACKAGES = ("pipeline", "normalizers", "extractors")  # code that can change the built outputs


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same folder + rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _record_bytes(record: dict[str, Any]) -> bytes:
    """One record as UTF-8 JSON on one line: without indent, json uses its C encoder, several
    times faster, and the parent that stores records competes with the workers for the cores."""
    return json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")


def save_record(out_dir: Path, record: dict[str, Any]) -> None:
    """Store one document's record and its normalized text (text first: the record marks completion)."""
    doc_id = record["document"]["doc_id"]
    atomic_write_bytes(out_dir / "text" / f"{doc_id}.txt", record.get("text", "").encode("utf-8"))
    body = {k: v for k, v in record.items() if k != "text"}
    data = _record_bytes(body)
    atomic_write_bytes(out_dir / "json" / f"{doc_id}.json", data)


def record_index(out_dir: Path) -> dict[str, list]:
    """Record file name -> [size, mtime_ns, sha256, source_path, doc_id] of every readable record.

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
            doc = json.loads(Path(entry.path).read_text(encoding="utf-8"))["document"]
            index[entry.name] = [st.st_size, st.st_mtime_ns, doc["file_sha256"], doc.get("source_path"),
                                 doc["doc_id"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a foreign or damaged file: the document will be re-processed
    if index != cache:
        with contextlib.suppress(OSError):  # a read-only output folder: the index is only a shortcut
            atomic_write_bytes(folder / INDEX_NAME, json.dumps(index, ensure_ascii=False).encode("utf-8"))
    return index


def _read_index(folder: Path) -> dict[str, list]:
    try:
        data = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 5}


def iter_records(out_dir: Path) -> Iterator[dict[str, Any]]:
    """All stored records, in a stable order (by source path), read one at a time (the parent
    never holds them all)."""
    index = record_index(out_dir)
    for name in sorted(index, key=lambda n: (index[n][3] or "", index[n][4])):
        try:
            yield json.loads((out_dir / "json" / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue


def known_documents(out_dir: Path) -> dict[str, str]:
    """sha256 -> source_path of every file that already has a complete record."""
    return {sha: source for _size, _mtime, sha, source, _doc_id in record_index(out_dir).values()}


def records_state(out_dir: Path) -> list[list]:
    """[name, size, mtime_ns] of every record: changes whenever a record is added or rewritten."""
    return sorted([name, size, mtime] for name, (size, mtime, *_rest) in record_index(out_dir).items())


def add_error(out_dir: Path, doc_id: str, error: dict[str, Any]) -> None:
    """Attach one errors row to a stored record (once: re-runs do not repeat it)."""
    path = out_dir / "json" / f"{doc_id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    if error not in record.setdefault("errors", []):
        record["errors"].append(error)
        atomic_write_bytes(path, _record_bytes(record))


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
