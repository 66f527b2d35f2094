"""OCR speed: the pipeline's OCR (render, ink clean-up, tesseract, layout, repair) against raw
tesseract on the same page images at the same dpi, side by side in one run, with 1 and 2 workers.

Raw = `tesseract page.pgm stdout -l vie --psm 4 tsv` (OMP_THREAD_LIMIT=1) on pages rendered
beforehand (rendering not timed), run by the same kind of pool. Overhead = pipeline / raw - 1;
goal <= 15%. Each configuration is timed `--repeat` times, alternating, and the best run kept.

    .venv/bin/python benchmarks/ocr_speed.py [--pdf FILE] [--pages 9-12] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.readers import ocr  # noqa: E402


def raw_tesseract(files: list[Path], workers: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = ["tesseract", "{}", "stdout", "-l", ocr.LANG, "--psm", ocr.PSM, "tsv"]

    def run(f: Path) -> None:
        subprocess.run([str(f) if c == "{}" else c for c in cmd], capture_output=True, env=env, check=True)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, files))
    return time.perf_counter() - t0


def pipeline_ocr(pdf_path: Path, pages: list[int], workers: int) -> float:
    t0 = time.perf_counter()
    pdf, loaders = ocr.pdf_page_loaders(pdf_path, pages)
    results = ocr.ocr_images(loaders, workers=workers)
    pdf.close()
    ocr.layout_pages(results)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pdf", type=Path, default=ROOT.parent / "shared" / "corpus" / "chi-lang-2025-scan.pdf")
    ap.add_argument("--pages", default="9-12", help="1-based page range (12 has the seal)")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    a, _, b = args.pages.partition("-")
    pages = list(range(int(a), int(b or a) + 1))

    ocr.require_tesseract()
    ocr.layout_pages([])  # load data files and vocabularies outside the timed runs
    with tempfile.TemporaryDirectory(prefix="vnplan-ocrspeed-") as tmp:
        pdf, loaders = ocr.pdf_page_loaders(args.pdf, pages)
        files = []
        for page, load in loaders:  # the raw side gets the same pixels, without the ink clean-up
            f = Path(tmp) / f"p{page}.pgm"
            load().convert("L").save(f)
            files.append(f)
        pdf.close()
        for workers in (1, 2):
            raw, pipe = [], []
            for _ in range(args.repeat):
                raw.append(raw_tesseract(files, workers))
                pipe.append(pipeline_ocr(args.pdf, pages, workers))
            r, p = min(raw), min(pipe)
            print(
                f"workers={workers} pages={len(pages)} dpi={ocr.DPI}: raw tesseract {r:.1f}s "
                f"({len(pages) / r:.2f} pages/s), pipeline {p:.1f}s ({len(pages) / p:.2f} pages/s), "
                f"overhead {p / r - 1:+.1%}"
            )


if __name__ == "__main__":
    main()
