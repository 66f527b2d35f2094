"""Page image clean-up before OCR, each step only where the page needs it (scans from a flatbed
need none of them; phone photos need all): illumination flattening, deskew, and enlarging of
low-resolution images to the text size Tesseract reads best (~300 dpi). No perspective
correction: deskew takes out the mean angle of a tilted photo, Tesseract copes with the rest.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .ocr_tables import RUN_SHARE, PageGrid, dark_mask, find_page_grids, long_runs, otsu_threshold

MAX_SKEW = 5.0  # degrees searched each way
MIN_SKEW = 0.1  # degrees: smaller skews are left alone on table pages
TEXT_SKEW = 1.0  # degrees: smaller skews are left alone on text pages (Tesseract copes)
SKEW_SAMPLES = 200_000  # dark pixels sampled for the projection profiles
UNEVEN_LIGHT = 30  # grey levels between the darkest and brightest paper before flattening
TEXT_HEIGHT = 43  # median word box height of 13-14 pt text at 300 dpi, Tesseract's best size
SMALL_TEXT = 22  # below this (~150 dpi) the page is enlarged and read again (measured: CER down)
MAX_UPSCALE = 3.0


def _paper(gray: Image.Image) -> Image.Image:
    """Paper brightness without the print, small: max filter on a 1/16 image (text strokes
    vanish), smoothed."""
    small = gray.reduce(16) if min(gray.size) >= 16 * 8 else gray
    return small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(3))


def flatten_light(gray: Image.Image) -> Image.Image:
    """Divide by the paper brightness when it varies (shadows, a lamp's gradient)."""
    paper = _paper(gray)
    lo, hi = paper.getextrema()
    if hi - lo < UNEVEN_LIGHT:  # bilinear scaling stays within these bounds: even light, no work
        return gray
    bg = np.asarray(paper.resize(gray.size, Image.Resampling.BILINEAR), dtype=np.float32)
    lo, hi = np.percentile(bg, [2, 98])
    if hi - lo < UNEVEN_LIGHT:
        return gray
    a = np.asarray(gray, dtype=np.float32)
    out = np.clip(a * 255.0 / np.maximum(bg, 1.0), 0, 255)
    return Image.fromarray(out.astype(np.uint8))


def _profile_score(ys: np.ndarray, xs: np.ndarray, angle: float, height: int) -> float:
    """Sharpness of the row profile of dark pixels after a shear by `angle` degrees."""
    rows = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64) + height
    counts = np.bincount(rows)
    return float(np.dot(counts, counts))


def estimate_skew(gray: Image.Image) -> float:
    """Text-line angle in degrees (positive = lines rise to the right), from the sharpest
    horizontal projection profile: coarse search, then a fine one around the best."""
    dark = dark_mask(np.asarray(gray))
    ys, xs = np.nonzero(dark)
    if ys.size < 1000:
        return 0.0
    if ys.size > SKEW_SAMPLES:
        pick = np.random.default_rng(0).choice(ys.size, SKEW_SAMPLES, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - xs.mean()
    height = gray.height
    best = 0.0
    for step, span in ((0.25, MAX_SKEW), (0.05, 0.25), (0.01, 0.05)):
        angles = best + np.arange(-span, span + step / 2, step)
        best = max(angles, key=lambda a: _profile_score(ys, xs, a, height))
    return -float(best)


def rotate(gray: Image.Image, angle: float) -> Image.Image:
    """The page turned by -angle (lines level), white corners."""
    return gray.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _may_have_rulings(gray: Image.Image) -> bool:
    """Could the page, once levelled, hold a ruled table? Its vertical lines, tilted less than
    TEXT_SKEW, are still dark runs of nearly the ruling length inside 8-pixel-wide stripes of
    the tilted page (generous threshold), while letter strokes are far shorter: ~20 ms instead
    of a turn and a grid search (~0.5 s at 300 dpi)."""
    a = np.asarray(gray)
    w = a.shape[1]
    if w < 8:
        return True
    k = max(20, int(w * RUN_SHARE))
    a = a[:, : w - w % 4]
    darkest = np.minimum(np.minimum(a[:, 0::4], a[:, 1::4]), np.minimum(a[:, 2::4], a[:, 3::4]))
    cols = darkest <= (otsu_threshold(a) + 255) // 2  # 4-pixel column groups with a dark pixel
    stripes = cols[:, :-1] | cols[:, 1:]
    return bool(long_runs(np.ascontiguousarray(stripes.T), int(0.9 * k)).any())


def straighten(gray: Image.Image) -> tuple[Image.Image, list[PageGrid]]:
    """The page levelled where that helps, and its ruled tables. A table page is levelled from
    MIN_SKEW (ruling lines are found as straight runs); a text page only from TEXT_SKEW
    (measured on the chi-lang scan, skew <= 0.6 degrees: no CER gain, and resampling changed a
    glyph; a phone photo at 1.8 degrees: CER 32% -> 0.7%)."""
    angle = estimate_skew(gray)
    if abs(angle) < MIN_SKEW:
        return gray, find_page_grids(gray)
    if abs(angle) < TEXT_SKEW and not _may_have_rulings(gray):
        return gray, []  # a text page: not worth turning just to look for tables
    level = rotate(gray, angle)
    grids = find_page_grids(level)
    if grids or abs(angle) >= TEXT_SKEW:
        return level, grids
    return gray, []


def enlarge(gray: Image.Image, text_height: float) -> Image.Image | None:
    """The page scaled so that words are ~TEXT_HEIGHT px tall, when they are too small for
    Tesseract (a phone photo of a whole page); None when the size is fine."""
    if text_height >= SMALL_TEXT:
        return None
    factor = min(MAX_UPSCALE, TEXT_HEIGHT / max(text_height, 1.0))
    return gray.resize((round(gray.width * factor), round(gray.height * factor)), Image.Resampling.LANCZOS)
