"""Speed of the readers on the corpus: PDF pages/s (text PDFs) and DOCX files/s.

    .venv/bin/python benchmarks/readers_speed.py [--repeat 20] [--workers 2]

Runs each reader `repeat` times over the corpus files, in one process and then in a pool of
`workers` processes (the batch setting), and prints the throughput.
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def _read(path: str) -> int:
    from pipeline.readers import read_file

    result = read_file(Path(path), ocr="never")
    return result.pages or 1


def _text_pdfs() -> list[Path]:
    import pypdfium2 as pdfium

    out = []
    for p in sorted(CORPUS.glob("*.pdf")):
        pdf = pdfium.PdfDocument(str(p))
        has_text = any(pdf[i].get_textpage().count_chars() > 0 for i in range(len(pdf)))
        pdf.close()
        if has_text:
            out.append(p)
    return out


def _measure(paths: list[Path], repeat: int, workers: int) -> tuple[float, int, int]:
    jobs = [str(p) for p in paths] * repeat
    start = time.perf_counter()
    if workers <= 1:
        pages = sum(_read(j) for j in jobs)
    else:
        with ProcessPoolExecutor(workers) as pool:
            pages = sum(pool.map(_read, jobs, chunksize=4))
    return time.perf_counter() - start, pages, len(jobs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    pdfs, docxs = _text_pdfs(), sorted(CORPUS.glob("*.docx"))
    for p in pdfs + docxs:  # warm-up: imports, data files, OS cache
        _read(str(p))
    for workers in (1, args.workers):
        secs, pages, files = _measure(pdfs, args.repeat, workers)
        print(f"PDF  workers={workers}: {pages} pages in {secs:.2f}s = {pages / secs:.1f} pages/s "
              f"({files / secs:.1f} files/s)")
        secs, _, files = _measure(docxs, args.repeat, workers)
        print(f"DOCX workers={workers}: {files} files in {secs:.2f}s = {files / secs:.1f} files/s")


if __name__ == "__main__":
    main()
