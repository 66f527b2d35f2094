"""Readers: one module per file format, all returning the same `ReadResult` of Blocks.

`read_file` picks the reader from the file's content (magic bytes), not its extension.
"""
from __future__ import annotations

from pathlib import Path

from ..model import ReadResult


class ReadError(Exception):
    """A file that cannot be read; `error_type` names the reason for the errors table."""

    def __init__(self, error_type: str, message: str, stage: str = "read"):
        super().__init__(message)
        self.error_type = error_type
        self.stage = stage


SUPPORTED_SUFFIXES = {".pdf", ".docx", ".doc", ".txt", ".md", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def sniff_format(path: Path) -> str:
    """File format from magic bytes (falls back to the extension for plain text)."""
    with open(path, "rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if suffix == ".md":
        return "md"
    return "txt"


def read_file(path: Path, ocr: str = "auto") -> ReadResult:
    """Read one file into Blocks. Raises ReadError for anything that cannot be read."""
    fmt = sniff_format(path)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(path)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, ocr=ocr)
    if fmt in ("txt", "md"):
        from .text import read_text

        return read_text(path, fmt)
    raise ReadError("unsupported_format", f"no reader yet for {fmt} files")
