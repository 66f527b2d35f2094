"""Phone photos: a page rendered from a text PDF, tilted in perspective, lit unevenly, saved as a
1600 px JPEG, must read like the text PDF's page; plus the clean-up steps on synthetic images."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from pipeline.readers import ocr, ocr_prep
from tests.conftest import ROOT, corpus_file


def _perspective_coeffs(quad, size):
    """PIL PERSPECTIVE coefficients mapping photo points `quad` to the page's corners."""
    w, h = size
    rows, rhs = [], []
    for (x, y), (u, v) in zip(quad, [(0, 0), (w, 0), (w, h), (0, h)], strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return tuple(np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float)))


def make_photo(page_png, out, width: int = 1600) -> None:
    """The page on a dark desk, camera tilted (top farther away), light falling off to one
    corner, a little blur and sensor noise, JPEG."""
    with Image.open(page_png) as im:
        page = im.convert("RGB")
    w, h = page.size
    big_w, big_h = int(w * 1.15), int(h * 1.12)
    quad = [(0.10 * big_w, 0.06 * big_h), (0.91 * big_w, 0.08 * big_h), (0.97 * big_w, 0.95 * big_h),
            (0.04 * big_w, 0.93 * big_h)]
    coeffs = _perspective_coeffs(quad, (w, h))
    desk = (70, 60, 50)
    photo = page.transform((big_w, big_h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC,
                           fillcolor=desk)
    a = np.asarray(photo, dtype=np.float32)
    yy, xx = np.mgrid[0:big_h, 0:big_w]
    light = 1.0 - 0.40 * (xx / big_w) * (yy / big_h) - 0.15 * (yy / big_h)
    a = a * light[..., None] * np.array([1.0, 0.97, 0.9]) + np.random.default_rng(3).normal(0, 4, a.shape)
    shot = Image.fromarray(a.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))
    shot.resize((width, round(width * big_h / big_w)), Image.Resampling.LANCZOS).save(out, quality=85)


def _cer_module():
    spec = importlib.util.spec_from_file_location("bench_cer", ROOT / "benchmarks" / "cer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_phone_photo_of_a_page(tmp_path):
    if ocr._tesseract_status() or not shutil.which("pdftoppm"):
        pytest.skip("tesseract (vie) or pdftoppm not installed")
    from pipeline.readers import read_file
    from pipeline.readers.image import read_image

    pdf = corpus_file("cao-lau-2023.pdf")
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, tmp_path / "p"],
                   check=True)
    make_photo(tmp_path / "p.png", tmp_path / "photo.jpg")
    result = read_image(tmp_path / "photo.jpg")
    texts = [b.text for b in result.blocks]
    assert texts[0] == "KẾ HOẠCH"
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts and "1. Mục đích" in texts
    cer = _cer_module()
    hyp = cer.normalize_for_cer(cer.body_text(result.blocks, with_header=True))
    ref = cer.normalize_for_cer(cer.body_text([b for b in read_file(pdf).blocks if b.page == 1], True))
    ref = ref[: ref.rindex(hyp[-20:]) + 20]  # the text PDF's last paragraph runs on to page 2
    assert cer.cer(hyp, ref) < 0.03


# --- clean-up steps on synthetic images ---------------------------------------------------------


def _text_lines(angle: float) -> Image.Image:
    im = Image.new("L", (1600, 1200), 250)
    d = ImageDraw.Draw(im)
    for y in range(150, 1050, 60):
        for x in range(150, 1400, 90):
            d.rectangle([x, y, x + 70, y + 25], fill=30)  # word-like blobs on text lines
    return im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250)


@pytest.mark.parametrize("angle", [-2.5, -0.7, 0.4, 3.0])
def test_skew_estimated_from_text_lines(angle):
    assert ocr_prep.estimate_skew(_text_lines(angle)) == pytest.approx(angle, abs=0.06)


def test_text_page_levelled_only_when_clearly_skewed():
    slight = _text_lines(0.5)
    assert ocr_prep.straighten(slight) == (slight, [])  # Tesseract copes; resampling costs glyphs
    tilted = _text_lines(2.0)
    level, grids = ocr_prep.straighten(tilted)
    assert level is not tilted and grids == []
    assert abs(ocr_prep.estimate_skew(level)) < 0.1


def test_uneven_light_flattened_even_light_untouched():
    even = _text_lines(0.0)
    assert ocr_prep.flatten_light(even) is even
    a = np.asarray(even, dtype=np.float32)
    shade = np.linspace(1.0, 0.45, a.shape[1])[None, :]  # a lamp on the left
    dim = Image.fromarray((a * shade).astype(np.uint8))
    flat = np.asarray(ocr_prep.flatten_light(dim), dtype=np.float32)
    paper_left, paper_right = flat[100, 50], flat[100, 1550]
    assert abs(paper_left - paper_right) < 20
    assert flat[160, 1350] < 120  # print on the dim side stays dark


def test_small_text_is_enlarged():
    im = Image.new("L", (800, 1100), 255)
    assert ocr_prep.enlarge(im, 43) is None
    big = ocr_prep.enlarge(im, 15)
    assert big is not None and big.width == round(800 * ocr_prep.TEXT_HEIGHT / 15)
