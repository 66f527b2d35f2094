"""Readers: one module per file format, all returning the same `ReadResult` of Blocks.

`read_file` picks the reader from the file's content (magic bytes), not its extension.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import ReadResult


class ReadError(Exception):
    """A file that cannot be read; `error_type` names the reason for the errors table."""

    def __init__(self, error_type: str, message: str, stage: str = "read"):
        super().__init__(message)
        self.error_type = error_type
        self.stage = stage


SUPPORTED_SUFFIXES = {".pdf", ".docx", ".doc", ".txt", ".md", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")
# Other Office Open XML / ODF packages a clerk may drop into the folder by mistake.
_OTHER_ZIPS = (
    ("xl/workbook.xml", "an Excel workbook"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("content.xml", "an OpenDocument file (save it as .docx)"),
)
MAX_PART_BYTES = 50 * 1024 * 1024  # refuse zip parts that inflate beyond this (zip bombs)


def sniff_format(path: Path) -> str:
    """File format from magic bytes: pdf, docx, doc, image, md or txt.

    Raises ReadError for empty files and for zips that are not Word documents."""
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError("empty_file", f"{path.name} is empty")
    if b"%PDF-" in head:  # some generators put junk before the header; readers tolerate it
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if path.suffix.lower() in (".md", ".markdown"):
        return "md"
    return "txt"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError("corrupt_file", f"{path.name} is damaged or incomplete (not a readable "
                        "Word/zip file); ask for the file again") from exc
    if "word/document.xml" in names:
        return "docx"
    for marker, what in _OTHER_ZIPS:
        if marker in names:
            raise ReadError("unsupported_format", f"{path.name} is {what}, not a plan")
    raise ReadError("unsupported_format", f"{path.name} is a zip archive, not a plan; unpack it first")


def read_file(path: Path, ocr: str = "auto") -> ReadResult:
    """Read one file into Blocks. Raises ReadError for anything that cannot be read."""
    path = Path(path)
    fmt = sniff_format(path)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(path)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, ocr=ocr)
    if fmt == "doc":
        return _call_optional("doc", "read_doc", path, ocr)
    if fmt == "image":
        return _call_optional("image", "read_image", path, ocr)
    from .text import read_text

    return read_text(path, fmt)


def _call_optional(module: str, func: str, path: Path, ocr: str) -> ReadResult:
    """Readers owned by the OCR side, imported lazily so a missing one only fails its files."""
    import importlib

    try:
        reader = getattr(importlib.import_module(f".{module}", __name__), func)
    except (ImportError, AttributeError) as exc:
        raise ReadError("unsupported_format", f"no reader available for {module} files ({exc})") from exc
    return reader(path, ocr=ocr)
