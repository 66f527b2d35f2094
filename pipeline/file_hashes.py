"""The sha256 of each input file, cached by path, size and mtime in OUT/json/.hashes.

A re-run over a slow shared drive would otherwise read every byte of every plan again only to
learn that nothing changed; with the cache it reads file metadata only. A file whose size or
modification time changed is hashed again (the rule rsync and make use); --force hashes everything."""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from .identity import file_sha256
from .store import atomic_write_bytes

HASHES_NAME = ".hashes"  # in OUT/json


class FileHashes:
    def __init__(self, out_dir: Path, trust_cache: bool = True):
        self.path = out_dir / "json" / HASHES_NAME
        self.cache = self._load() if trust_cache else {}
        self.seen: dict[str, list] = {}  # path -> [size, mtime_ns, sha256] of the files met in this run

    def _load(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 3} if isinstance(data, dict) else {}

    def sha256(self, path: Path) -> str:
        st = path.stat()
        key = os.fsdecode(path)
        known = self.cache.get(key)
        sha = known[2] if known and known[:2] == [st.st_size, st.st_mtime_ns] else file_sha256(path)
        self.seen[key] = [st.st_size, st.st_mtime_ns, sha]
        return sha

    def save(self, input_dir: Path) -> None:
        """Keep this run's entries and those of files outside input_dir (other folders loaded
        into the same OUT_DIR); files of input_dir not met any more are forgotten."""
        root = os.fsdecode(input_dir) + os.sep
        kept = {k: v for k, v in self.cache.items() if not k.startswith(root)}
        kept.update(self.seen)
        if kept != self.cache:
            with contextlib.suppress(OSError):  # a read-only output folder: the cache is only a shortcut
                # ASCII JSON: names that are not valid UTF-8 (surrogate escapes) survive the round trip
                atomic_write_bytes(self.path, json.dumps(kept).encode("ascii"))
