"""Legacy Word (.doc) reader: LibreOffice converts to DOCX in a temp dir, the DOCX reader reads it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..model import ReadResult
from . import ReadError

CONVERT_TIMEOUT = 60  # seconds; a hung LibreOffice must not stall a batch


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        msg = "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
        raise ReadError("doc_unavailable", msg)
    return exe


def convert_to_docx(path: Path, workdir: Path) -> Path:
    """DOCX converted from `path` inside `workdir`, with a private LibreOffice profile so that
    parallel conversions do not fight over one user installation."""
    src = workdir / "input.doc"  # a plain name: LibreOffice names its output after the input
    shutil.copyfile(path, src)
    cmd = [
        _soffice(), f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless",
        "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", str(workdir / "out"), str(src),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice forks; kill its whole session
        proc.communicate()
        raise ReadError("doc_timeout", f"LibreOffice took more than {CONVERT_TIMEOUT}s") from e
    out = workdir / "out" / "input.docx"
    if proc.returncode != 0 or not out.exists():
        msg = err.decode("utf-8", "replace").strip()[-300:]
        raise ReadError("corrupt_file", f"LibreOffice could not convert the .doc file: {msg}")
    return out


def read_doc(path: Path, ocr: str = "auto") -> ReadResult:
    """`ocr` is accepted for the common reader signature; .doc text needs no OCR."""
    from .docx import read_docx

    with tempfile.TemporaryDirectory(prefix="vnplan-doc-") as tmp:
        result = read_docx(convert_to_docx(path, Path(tmp)))
    result.file_format = "doc"
    return result
