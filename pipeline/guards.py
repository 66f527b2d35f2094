"""Preflight checks run before a reader touches a file: refuse what could exhaust memory or time
(zip bombs, huge images, PDFs with thousands of pages, entity-laden XML) from cheap metadata
(file size, zip directory, image header, page count) without decoding anything.

`check_file` raises `ReadError(error_type, message)` with the limit in the message, and returns
warnings (an extension that lies about the content) that become `errors` rows of type warning.
Limits live in pipeline/data/limits.toml.
"""
from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from pathlib import Path

from .readers import SUPPORTED_SUFFIXES, ReadError, sniff_format
from .resources import read_toml

# The format each supported suffix promises (sniff_format names).
_SUFFIX_FORMAT = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".txt": "txt", ".md": "md",
                  ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image"}
_TEXT_SUFFIXES = {"", ".txt", ".md", ".markdown"}
_FORMAT_NAMES = {"pdf": "a PDF", "docx": "a Word document (DOCX)", "doc": "an old Word document (DOC)",
                 "image": "an image", "txt": "plain text", "md": "plain text"}
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
# What reading a damaged zip part can raise (zlib.error is not an OSError).
_DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element: a DTD can only come before it


def limits() -> dict:
    return read_toml("limits.toml")


def check_file(path: Path) -> list[str]:
    """Raise ReadError when the file must not be read; return warnings for a readable file."""
    lim = limits()
    size = path.stat().st_size
    if size > lim["max_file_bytes"]:
        raise ReadError("too_large", f"{path.name} is {_mb(size)}; the limit is {_mb(lim['max_file_bytes'])} "
                        "(max_file_bytes)")
    fmt = sniff_format(path)  # raises empty_file / corrupt_file / unsupported_format
    if fmt == "pdf":
        _check_pdf(path, lim)
    elif fmt == "docx":
        _check_zip(path, lim)
    elif fmt == "image":
        _check_image(path, lim)
    elif fmt in ("txt", "md"):
        _check_text(path, lim, size)
    return _mismatch(path, fmt)


def _mismatch(path: Path, fmt: str) -> list[str]:
    expected = _SUFFIX_FORMAT.get(path.suffix.lower())
    if expected is None or expected == fmt or {expected, fmt} <= {"txt", "md"}:
        return []
    return [f"extension_mismatch: {path.name} is named {path.suffix} but is {_FORMAT_NAMES[fmt]}; "
            f"it was read as {_FORMAT_NAMES[fmt]}"]


def _check_pdf(path: Path, lim: dict) -> None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return  # damaged or password-protected: the PDF reader names the problem
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages > lim["max_pdf_pages"]:
        raise ReadError("too_many_pages", f"{path.name} has {pages} pages; the limit is "
                        f"{lim['max_pdf_pages']} (max_pdf_pages)")


def _check_zip(path: Path, lim: dict) -> None:
    """Zip-bomb and XML checks of a DOCX from its central directory (declared sizes; zipfile
    itself refuses to inflate an entry past its declared size)."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # the reader reports the damage
    with z:
        infos = z.infolist()
        if len(infos) > lim["max_zip_entries"]:
            raise ReadError("zip_bomb", f"{path.name} holds {len(infos)} parts; the limit is "
                            f"{lim['max_zip_entries']} (max_zip_entries)")
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > lim["max_unzipped_bytes"]:
            raise ReadError("zip_bomb", f"{path.name} would inflate to {_mb(total)}; the limit is "
                            f"{_mb(lim['max_unzipped_bytes'])} (max_unzipped_bytes)")
        if total > lim["zip_ratio_min_bytes"] and total / packed > lim["max_zip_ratio"]:
            raise ReadError("zip_bomb", f"{path.name} inflates {total // packed}x ({_mb(packed)} → "
                            f"{_mb(total)}); the limit is {lim['max_zip_ratio']}x (max_zip_ratio)")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels")):
                _check_xml_part(z, info, path, lim)
        if "word/document.xml" in z.namelist():
            _check_depth(z, path, lim)


def _check_xml_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, lim: dict) -> None:
    if info.file_size > lim["max_xml_bytes"]:
        raise ReadError("too_large", f"{path.name}: part {info.filename} is {_mb(info.file_size)} of "
                        f"XML; the limit is {_mb(lim['max_xml_bytes'])} (max_xml_bytes)")
    try:
        with z.open(info) as f:
            head = f.read(lim["xml_prolog_bytes"])
    except _DAMAGED:
        return  # a damaged part: the reader reports it
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:2] == b"\x00" or head[:1] == b"\x00":
        head = head.decode("utf-16", "replace").encode("utf-8")
    root = _ROOT.search(head)
    if _DTD.search(head, 0, root.start() if root else len(head)):
        raise ReadError("xml_entities", f"{path.name}: part {info.filename} declares a DTD or XML entities "
                        "(<!DOCTYPE/<!ENTITY), which Word never writes; refused as unsafe")


def _check_depth(z: zipfile.ZipFile, path: Path, lim: dict) -> None:
    """Element nesting of the body, streamed (no tree kept, entities never resolved)."""
    from lxml import etree

    depth = 0
    try:
        with z.open("word/document.xml") as f:
            for event, el in etree.iterparse(f, events=("start", "end"), resolve_entities=False,
                                             no_network=True, load_dtd=False, huge_tree=False):
                if event == "start":
                    depth += 1
                    if depth > lim["max_xml_depth"]:
                        raise ReadError("too_large", f"{path.name}: word/document.xml nests elements more "
                                        f"than {lim['max_xml_depth']} deep (max_xml_depth)")
                else:
                    depth -= 1
                    el.clear()
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise ReadError("too_large", f"{path.name}: word/document.xml nests elements too deep "
                            f"(limit {lim['max_xml_depth']}, max_xml_depth)") from exc
    except _DAMAGED:
        return  # damaged content: the reader reports it


def _check_image(path: Path, lim: dict) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:  # reads the header only
                width, height = im.size
                frames = getattr(im, "n_frames", 1)
                im.verify()  # chunk structure and checksums (PNG), without decoding pixels
    except Image.DecompressionBombError as exc:
        declared = 2 * Image.MAX_IMAGE_PIXELS  # Pillow refuses to open past twice its own limit
        raise ReadError("too_large", f"{path.name} declares an image of more than {declared:,} pixels; "
                        f"the limit is {lim['max_image_pixels']:,} (max_image_pixels)") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReadError("corrupt_file", f"{path.name} is a damaged image and cannot be decoded; ask for the "
                        "file again") from exc
    if width * height > lim["max_image_pixels"]:
        raise ReadError("too_large", f"{path.name} is {width}x{height} = {width * height:,} pixels; the "
                        f"limit is {lim['max_image_pixels']:,} (max_image_pixels)")
    if frames > lim["max_image_frames"]:
        raise ReadError("too_many_pages", f"{path.name} has {frames} pages; the limit is "
                        f"{lim['max_image_frames']} (max_image_frames)")


def _check_text(path: Path, lim: dict, size: int) -> None:
    with open(path, "rb") as f:
        head = f.read(16)
    for magic, what in lim.get("foreign_formats", {}).items():
        if head.startswith(bytes.fromhex(magic)):
            raise ReadError("unsupported_format", f"{path.name} is {what}, not a plan")
    suffix = path.suffix.lower()
    if suffix not in _TEXT_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ReadError("unsupported_format", f"{path.name}: {suffix} files are not plans (supported: "
                        f"{supported})")
    if size > lim["max_text_chars"]:  # UTF-8 needs at least one byte per character
        chars = len(path.read_bytes().decode("utf-8", "replace"))
        if chars > lim["max_text_chars"]:
            raise ReadError("too_large", f"{path.name} has {chars:,} characters; the limit is "
                            f"{lim['max_text_chars']:,} (max_text_chars)")


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"
