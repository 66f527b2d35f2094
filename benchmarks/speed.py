"""End-to-end speed of `vnplan ingest` on text PDFs and DOCX, with pdftotext as the floor.

usage: python benchmarks/speed.py [--copies N] [--workers 1 2]

Makes N distinct copies of each corpus text PDF and DOCX (distinct sha256, same content), runs
ingest into a fresh folder and prints pages/s, files/s and start-up time."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
TEXT_PDFS = ["cao-lau-2023.pdf", "phu-son-2023.pdf"]
DOCXS = ["hong-phong-2023.docx", "phu-son-2023.docx"]


def copy_pdfs(folder: Path, copies: int) -> int:
    """Distinct copies: bytes appended after %%EOF change the hash, not the content."""
    folder.mkdir(parents=True)
    pages = 0
    for name in TEXT_PDFS:
        data = (CORPUS / name).read_bytes()
        n = int(subprocess.run(["pdfinfo", str(CORPUS / name)], capture_output=True, text=True)
                .stdout.split("Pages:")[1].split()[0])
        for i in range(copies):
            (folder / f"{i:04d}-{name}").write_bytes(data + f"\n% copy {i}\n".encode())
            pages += n
    return pages


def copy_docx(folder: Path, copies: int) -> None:
    import docx

    folder.mkdir(parents=True)
    for name in DOCXS:
        for i in range(copies):
            d = docx.Document(str(CORPUS / name))
            d.core_properties.comments = f"copy {i}"
            d.save(str(folder / f"{i:04d}-{name}"))


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=15)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    vnplan = [sys.executable, "-m", "pipeline.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = copy_pdfs(work / "pdf", args.copies)
        copy_docx(work / "docx", args.copies)
        n_pdf, n_docx = len(list((work / "pdf").iterdir())), len(list((work / "docx").iterdir()))
        t = time.perf_counter()
        for p in sorted((work / "pdf").iterdir()):
            subprocess.run(["pdftotext", "-layout", str(p), "-"], check=True, stdout=subprocess.DEVNULL)
        floor = time.perf_counter() - t
        print(f"pdftotext alone (1 process): {n_pdf} files, {pages} pages in {floor:.2f} s "
              f"= {pages / floor:.0f} pages/s")
        for w in args.workers:
            out = work / f"out-pdf-{w}"
            s = timed(vnplan + ["ingest", str(work / "pdf"), "--out", str(out), "--workers", str(w)])
            print(f"ingest text PDF, {w} worker(s): {n_pdf} files, {pages} pages in {s:.2f} s "
                  f"= {pages / s:.1f} pages/s, {n_pdf / s:.1f} files/s")
            out = work / f"out-docx-{w}"
            s = timed(vnplan + ["ingest", str(work / "docx"), "--out", str(out), "--workers", str(w)])
            print(f"ingest DOCX, {w} worker(s): {n_docx} files in {s:.2f} s = {n_docx / s:.1f} files/s")
            s = timed(vnplan + ["ingest", str(work / "pdf"), "--out", str(work / f"out-pdf-{w}")])
            print(f"re-run on the unchanged PDF folder (all skipped): {s:.2f} s")
            shutil.rmtree(work / f"out-pdf-{w}")
        print(f"start-up (`vnplan --help`): {timed(vnplan + ['--help']):.2f} s")


if __name__ == "__main__":
    main()
