"""Image reader: PNG/JPEG/TIFF (multi-page TIFF = one document, one page per frame) via OCR."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..model import ReadResult
from . import ReadError
from .ocr import join_pages, layout_pages, ocr_images, require_tesseract


def _frame_loader(path: Path, index: int) -> Callable[[], Image.Image]:
    def load() -> Image.Image:
        # Each loader opens its own handle: frames are OCR'd in parallel threads.
        try:
            with Image.open(path) as im:
                im.seek(index)
                return ImageOps.exif_transpose(im).copy()  # phone photos carry their rotation in EXIF
        except (OSError, EOFError, ValueError) as e:  # Pillow decodes lazily: truncated data fails here
            raise ReadError("corrupt_file", f"{path.name} is a damaged or incomplete image ({e}); ask for "
                            "the file again") from e

    return load


def read_image(path: Path, ocr: str = "auto") -> ReadResult:
    """OCR an image file; `ocr="never"` refuses (an image has no text without OCR)."""
    if ocr == "never":
        raise ReadError("no_text_layer", f"{path.name} is an image and OCR is turned off", stage="ocr")
    require_tesseract()
    try:
        with Image.open(path) as im:
            frames = getattr(im, "n_frames", 1)
    except (UnidentifiedImageError, OSError) as e:
        raise ReadError("corrupt_file", f"cannot open image: {e}") from e
    results = ocr_images([(i + 1, _frame_loader(path, i)) for i in range(frames)])
    per_page, conf = layout_pages(results)
    return ReadResult(
        blocks=join_pages(per_page), file_format="image", pages=frames, ocr=True, ocr_confidence=conf
    )
