"""What names a file and its document in the tables: content hash, doc_id, source_path, the
format a file's name claims. Kept apart from pipeline.run so that the batch parent (ingest, the
folder index) does not import the readers and extractors, which only the workers need."""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def display_name(name: str) -> str:
    """A file name as text for the tables: undecodable bytes (names from old zips, other
    encodings) become U+FFFD instead of breaking the writers, and NFD names become NFC."""
    raw = name.encode("utf-8", "surrogateescape")
    return unicodedata.normalize("NFC", raw.decode("utf-8", "replace"))


SUFFIX_FORMATS = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".txt": "txt", ".md": "md", ".png": "image",
                  ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image"}


def format_from_suffix(path: Path) -> str | None:
    """file_format of a file that could not be read: what its name claims, if it is a format we
    take (the readers set the real one from the content)."""
    return SUFFIX_FORMATS.get(path.suffix.lower())


def relative_name(path: Path, input_dir: Path) -> str:
    """source_path of the tables: the path relative to INPUT_DIR, as clean text."""
    return display_name(path.relative_to(input_dir).as_posix() if path.is_relative_to(input_dir) else path.name)


def doc_id_of(sha256: str) -> str:
    return sha256[:16]
