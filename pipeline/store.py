"""The durable per-document store: one JSON record per input file in OUT/json/<doc_id>.json.

Records are written as each file finishes (atomically), so an interrupted run loses at most
the files in flight; the tables are always rebuilt from all records."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


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


def save_record(out_dir: Path, record: dict[str, Any]) -> None:
    """Store one document's record and its normalized text (text first: the record marks completion)."""
    doc_id = record["document"]["doc_id"]
    atomic_write_bytes(out_dir / "text" / f"{doc_id}.txt", record.get("text", "").encode("utf-8"))
    body = {k: v for k, v in record.items() if k != "text"}
    data = json.dumps(body, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    atomic_write_bytes(out_dir / "json" / f"{doc_id}.json", data)


def iter_records(out_dir: Path) -> Iterator[dict[str, Any]]:
    """All stored records, in a stable order (by source path)."""
    records = []
    for p in sorted((out_dir / "json").glob("*.json")):
        try:
            records.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a foreign or damaged file: the document will be re-processed
    records.sort(key=lambda r: (r["document"].get("source_path") or "", r["document"]["doc_id"]))
    yield from records


def known_documents(out_dir: Path) -> dict[str, str]:
    """sha256 -> source_path of every file that already has a complete record."""
    return {r["document"]["file_sha256"]: r["document"]["source_path"] for r in iter_records(out_dir)}


def add_error(out_dir: Path, doc_id: str, error: dict[str, Any]) -> None:
    """Attach one errors row to a stored record (once: re-runs do not repeat it)."""
    path = out_dir / "json" / f"{doc_id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    if error not in record.setdefault("errors", []):
        record["errors"].append(error)
        atomic_write_bytes(path, json.dumps(record, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
