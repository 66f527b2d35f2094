"""Where each stored document is now. A run over INPUT_DIR sorts every file it finds into: new
(to process), stored (skipped; if it was moved or renamed since, its record follows it without
being processed again), or another copy of a stored file (one `duplicate` errors row each). Stored
documents of this INPUT_DIR that it no longer finds are counted, and removed with --prune.

Records keep the INPUT_DIR their paths are relative to (store.INPUT_DIR_KEY), so runs over other
folders into the same OUT_DIR neither move nor prune each other's documents."""
from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from enum import Enum
from pathlib import Path
from typing import Any

from .identity import doc_id_of
from .store import DUPLICATE, INPUT_DIR_KEY, StoredDoc, remove_record, update_record


class Found(Enum):
    NEW = "new"  # no record yet (or --force): to process
    STORED = "stored"  # has a record (moved here or not): skipped
    COPY = "copy"  # same content as a file read under another name: a duplicate row


class FolderSync:
    """The files of one walk over INPUT_DIR against the records already stored."""

    def __init__(self, input_dir: Path, stored: dict[str, StoredDoc], force: bool = False):
        self.root = str(input_dir)
        self.stored = stored
        self.force = force
        self.read_as: dict[str, str] = {}  # sha256 -> source_path of the copy read (or stored) in this folder
        self.copies: dict[str, list[str]] = defaultdict(list)  # sha256 -> its other copies in this folder
        self.relocated: dict[str, str] = {}  # sha256 -> source_path its record takes (moved, or INPUT_DIR stamped)
        self.moved = 0

    def classify(self, sha: str, path: Path, rel: str) -> Found:
        """Where the file at `path` (shown as `rel`) stands against the stored records."""
        if sha in self.read_as:
            self.copies[sha].append(rel)
            return Found.COPY
        known = None if self.force else self.stored.get(sha)
        if known is None:
            self.read_as[sha] = rel
            return Found.NEW
        if known.input_dir in (None, self.root) and known.source_path == rel:
            self.read_as[sha] = rel
            if known.input_dir is None:  # stored before records kept their INPUT_DIR: stamp it
                self.relocated[sha] = rel
            return Found.STORED
        stored_at = Path(known.input_dir or self.root) / known.source_path
        if stored_at.is_file():
            if _same_file(stored_at, path):  # seen through a parent or sub-folder of the folder it was stored from
                self.read_as[sha] = rel
                return Found.STORED
            self.copies[sha].append(rel)  # the stored copy is still where it was read
            return Found.COPY
        self.read_as[sha] = rel  # moved or renamed: the record follows the file
        self.relocated[sha] = rel
        self.moved += 1
        return Found.STORED

    def apply_moves(self, out_dir: Path) -> None:
        """Point the records of moved files (and unstamped records) at where they are now."""
        for sha, rel in self.relocated.items():
            update_record(out_dir, doc_id_of(sha), lambda record, rel=rel: self._relocate(record, rel))

    def _relocate(self, record: dict[str, Any], rel: str) -> None:
        doc = record["document"]
        old = doc.get("source_path")
        doc["source_path"], doc["source_name"] = rel, rel.rsplit("/", 1)[-1]
        for error in record.get("errors") or []:
            if error.get("source_path") == old and error.get("error_type") != DUPLICATE:
                error["source_path"] = rel
        record[INPUT_DIR_KEY] = self.root

    def settle_duplicates(self, out_dir: Path) -> None:
        """Make the duplicate rows of this folder's documents name exactly the copies found now
        (a copy deleted since loses its row; rows from other INPUT_DIRs stay)."""
        for sha in set(self.read_as) | set(self.copies):
            wanted = sorted(self.copies.get(sha, []))
            known = None if self.force else self.stored.get(sha)
            had = sorted(p for p, root in (known.duplicates if known else ()) if root in (None, self.root))
            if wanted == had and sha not in self.relocated:
                continue
            canonical = self.read_as.get(sha) or (self._elsewhere(known) if known else "")
            with contextlib.suppress(FileNotFoundError):  # a file whose run was cut short: no record yet
                update_record(out_dir, doc_id_of(sha),
                              lambda record, w=wanted, c=canonical: self._set_copies(record, w, c))

    def _elsewhere(self, known: StoredDoc) -> str:
        """Where a stored copy was read: relative to this INPUT_DIR, or in full when it is in another."""
        if known.input_dir in (None, self.root):
            return known.source_path
        return str(Path(known.input_dir) / known.source_path)

    def _set_copies(self, record: dict[str, Any], copies: list[str], canonical: str) -> None:
        doc_id = record["document"]["doc_id"]
        root = record.get(INPUT_DIR_KEY)
        found = [Path(self.root) / rel for rel in copies]

        def keep(error: dict[str, Any]) -> bool:
            """Other rows, and the duplicate rows of other folders naming files not listed now (a
            copy seen from a parent and from a sub-folder is one copy, under the latest row)."""
            if error.get("error_type") != DUPLICATE:
                return True
            other = error.get(INPUT_DIR_KEY, root)
            if other in (None, self.root):
                return False
            return not any(_same_file(Path(other) / error.get("source_path", ""), f) for f in found)

        kept = [e for e in record.get("errors") or [] if keep(e)]
        record["errors"] = kept + [
            {"source_path": rel, "doc_id": doc_id, "stage": "read", "error_type": DUPLICATE,
             "message": f"same content as {canonical}; read once, under that name", INPUT_DIR_KEY: self.root}
            for rel in copies]

    def missing(self) -> list[StoredDoc]:
        """Stored documents of this INPUT_DIR that this walk did not find (deleted, or changed:
        a changed file is a new document)."""
        return [doc for sha, doc in self.stored.items()
                if doc.input_dir == self.root and sha not in self.read_as and sha not in self.copies]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def prune(out_dir: Path, docs: list[StoredDoc]) -> int:
    """Remove the records (and texts) of documents no longer in their INPUT_DIR; how many."""
    for doc in docs:
        remove_record(out_dir, doc.doc_id)
    return len(docs)
