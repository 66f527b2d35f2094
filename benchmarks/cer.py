"""OCR accuracy: character error rate (CER) of OCR'd scans against their original texts, and the
word error rate on accented words (the diacritics are what Vietnamese OCR gets wrong).

Pairs are found in the corpus: `<name>-scan.pdf` (image-only) and `<name>.txt|.md` (original).
Both sides are normalized the same way (NFC + the pipeline's text normalizer, hard-wrapped lines
re-joined, whitespace collapsed) and aligned with rapidfuzz's Levenshtein. The Decree 30 header
cells are left out of the OCR side when the original has no header block (the scan restores it).

    .venv/bin/python benchmarks/cer.py [--corpus DIR] [--dpi 300] [--raw]
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalizers.text import normalize_text  # noqa: E402

_HYPHEN_WRAP = re.compile(r"(?<=\w)-\s*\n\s*(?=\w)")
_WORD = re.compile(r"\S+")


def normalize_for_cer(text: str) -> str:
    """One comparable string: NFC, pipeline normalization, wraps joined, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _HYPHEN_WRAP.sub("-", text).replace("\u2026", "...")  # typographic ellipsis = three dots
    return " ".join(normalize_text(line) for line in text.splitlines() if line.strip())


def cer(hyp: str, ref: str) -> float:
    """Character error rate of hyp against ref (both already normalized)."""
    return Levenshtein.distance(hyp, ref) / max(1, len(ref))


def _accented(word: str) -> bool:
    return any(ord(ch) > 127 and ch.isalpha() for ch in word)


def accented_wer(hyp: str, ref: str) -> tuple[float, int]:
    """Share of the reference's accented words that are not matched exactly in the alignment."""
    ref_words = _WORD.findall(ref)
    hyp_words = _WORD.findall(hyp)
    correct = [False] * len(ref_words)
    for tag, r1, r2, _h1, _h2 in Levenshtein.opcodes(ref_words, hyp_words):
        if tag == "equal":
            for i in range(r1, r2):
                correct[i] = True
    accented = [ok for word, ok in zip(ref_words, correct, strict=True) if _accented(word)]
    return (accented.count(False) / max(1, len(accented))), len(accented)


def body_text(blocks, with_header: bool) -> str:
    """The OCR'd document as lines of text (tables as ' | '-joined rows)."""
    lines = []
    for b in blocks:
        if b.kind == "header_cell" and not with_header:
            continue
        if b.kind == "table":
            lines += [" | ".join(c.text for c in row) for row in b.rows or []]
        elif b.text:
            lines.append(b.text)
    return "\n".join(lines)


def has_header(original: str) -> bool:
    head = original[:600]
    return "Số:" in head or "CỘNG HÒA" in unicodedata.normalize("NFC", head).upper()


def scan_pairs(corpus: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for scan in sorted(corpus.glob("*-scan.pdf")):
        stem = scan.name[: -len("-scan.pdf")]
        for ext in (".txt", ".md"):
            if (corpus / f"{stem}{ext}").exists():
                pairs.append((scan, corpus / f"{stem}{ext}"))
                break
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--dpi", type=int, default=None)
    ap.add_argument("--raw", action="store_true", help="no colour-ink removal (measure preprocessing)")
    args = ap.parse_args()

    import pypdfium2 as pdfium

    from pipeline.readers import ocr

    if args.raw:
        ocr.prepare = lambda image: image.convert("L")
    total_err = total_len = 0
    for scan, original in scan_pairs(args.corpus):
        pages = list(range(1, len(pdfium.PdfDocument(str(scan))) + 1))
        t0 = time.perf_counter()
        pdf, loaders = ocr.pdf_page_loaders(scan, pages, dpi=args.dpi or ocr.DPI)
        results = ocr.ocr_images(loaders)
        pdf.close()
        per_page, conf = ocr.layout_pages(results)
        elapsed = time.perf_counter() - t0
        raw_ref = original.read_text(encoding="utf-8-sig")
        hyp = normalize_for_cer(body_text([b for p in pages for b in per_page[p]], has_header(raw_ref)))
        ref = normalize_for_cer(raw_ref)
        dist = Levenshtein.distance(hyp, ref)
        wer, n_acc = accented_wer(hyp, ref)
        total_err += dist
        total_len += len(ref)
        print(
            f"{scan.name}: pages={len(pages)} dpi={args.dpi or ocr.DPI} CER={dist / max(1, len(ref)):.4%} "
            f"({dist} edits / {len(ref)} chars) accented-WER={wer:.3%} of {n_acc} words "
            f"conf={conf} time={elapsed:.1f}s"
        )
    if total_len:
        print(f"overall CER={total_err / total_len:.4%}")


if __name__ == "__main__":
    main()
