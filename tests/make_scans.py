"""Scans made from the project's own PDF fixtures, as an office makes them: print, stamp, scan.

Why made, not collected: a real scan's numbers must be read off by hand to be a test's truth;
a scan made from a fixture PDF has the fixture's text-layer parse as its truth.  Each page is
rendered at 150–300 dpi (grey or colour), stamped with a red seal over its table, turned a
little, blurred and speckled with noise, and saved as PNG or as an image-only PDF.  All of it
is drawn with a seeded ``random.Random``: a rerun makes the same files.

``python tests/make_scans.py`` remakes the few small files committed under
``tests/fixtures/scans/``; the tests make the rest on the fly with :func:`scan_page`.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
PDF_FIXTURES = HERE / "fixtures" / "pdf"
OUT = HERE / "fixtures" / "scans"

SEAL_RED = (214, 38, 44)


def render(pdf: Path | bytes, page: int, dpi: float) -> Image.Image:
    """Page ``page`` (0-based) of a PDF as an RGB image at ``dpi``."""
    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        pg = doc[page]
        try:
            bitmap = pg.render(scale=dpi / 72, rev_byteorder=True)
            img = bitmap.to_pil().convert("RGB")
            bitmap.close()
        finally:
            pg.close()
    finally:
        doc.close()
    return img


def seal(size: int, rng: random.Random) -> Image.Image:
    """A round red seal (ring, star, strokes standing for its characters) on white."""
    img = Image.new("RGB", (size, size), "white")
    d = ImageDraw.Draw(img)
    w = max(3, size // 40)
    d.ellipse((w, w, size - w, size - w), outline=SEAL_RED, width=w)
    c = size / 2
    r = size * 0.16
    star = [
        (c + (r if k % 2 == 0 else r * 0.4) * math.sin(k * math.pi / 5),
         c - (r if k % 2 == 0 else r * 0.4) * math.cos(k * math.pi / 5))
        for k in range(10)
    ]  # fmt: skip
    d.polygon(star, fill=SEAL_RED)
    for k in range(14):  # the office's name around the ring, as strokes
        a = math.pi * (0.8 + 1.4 * k / 13)
        x, y = c + size * 0.33 * math.cos(a), c + size * 0.33 * math.sin(a)
        s = size * 0.05
        d.rectangle((x - s, y - s * rng.uniform(0.3, 1), x + s, y + s), outline=SEAL_RED, width=w)
    return img


def stamp(page: Image.Image, box: tuple[int, int], size: int, rng: random.Random) -> Image.Image:
    """``page`` with a seal printed over it at ``box`` (its top-left): the inks multiply, so
    the black text under the seal stays black."""
    s = np.asarray(seal(size, rng), dtype=np.float32) / 255
    out = np.asarray(page, dtype=np.float32)
    x, y = box
    h, w = s.shape[:2]
    region = out[y : y + h, x : x + w]
    region *= s[: region.shape[0], : region.shape[1]]
    return Image.fromarray(out.astype(np.uint8))


def scan_page(
    pdf: Path | bytes,
    page: int = 0,
    *,
    dpi: float = 200,
    colour: bool = True,
    angle: float = 1.2,
    noise: float = 8.0,
    blur: float = 0.6,
    speckle: float = 0.0,
    seal_at: tuple[float, float] | None = (0.55, 0.45),
    seed: int = 0,
    band: tuple[float, float] | None = None,
) -> Image.Image:
    """One page made into a scan: rendered, stamped (``seal_at`` is the seal's top-left as
    shares of the page), turned by ``angle`` degrees, blurred, with grain (``noise``: the
    deviation of grey levels) and dust (``speckle``: the share of pixels made dark dots);
    grey unless ``colour``; ``band`` keeps only that part of the page's height (shares), as
    a scan of part of a page."""
    rng = random.Random(seed)
    img = render(pdf, page, dpi)
    if band is not None:
        img = img.crop((0, int(img.height * band[0]), img.width, int(img.height * band[1])))
    if seal_at is not None:
        size = int(dpi * 1.6)
        img = stamp(img, (int(img.width * seal_at[0]), int(img.height * seal_at[1])), size, rng)
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor="white")
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        gen = np.random.default_rng(seed)
        arr = np.asarray(img, dtype=np.float32)
        arr += gen.normal(0, noise, arr.shape[:2])[:, :, None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if speckle:
        gen = np.random.default_rng(seed + 1)
        arr = np.asarray(img).copy()
        dots = gen.random(arr.shape[:2]) < speckle
        arr[dots] = 60
        img = Image.fromarray(arr)
    return img if colour else img.convert("L")


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def pdf_bytes(pages: Sequence[Image.Image], dpi: float, quality: int = 60) -> bytes:
    """An image-only PDF of ``pages`` (JPEG inside, as scanners write them)."""
    buf = io.BytesIO()
    first, *rest = [p.convert("RGB") if p.mode not in ("RGB", "L") else p for p in pages]
    first.save(buf, "PDF", resolution=dpi, save_all=True, append_images=rest, quality=quality)
    return buf.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    small = PDF_FIXTURES / "basic-small.pdf"
    # Page 1 (table 1): a colour PNG at 150 dpi, turned, stamped over the table, speckled.
    p1 = scan_page(
        small, 0, dpi=150, angle=-1.5, noise=0, speckle=0.002, seal_at=(0.5, 0.62), seed=1
    )
    (OUT / "basic-small-p1.png").write_bytes(png_bytes(p1.quantize(32, dither=Image.Dither.NONE)))
    # Page 2's lower part (part 四 and table 4): a grey image-only PDF at 200 dpi.
    t4 = scan_page(
        small, 1, dpi=200, colour=False, angle=2.0, noise=5, seal_at=None, seed=3,
        band=(0.70, 0.90),
    )  # fmt: skip
    (OUT / "basic-small-table4.pdf").write_bytes(pdf_bytes([t4], 200, quality=45))


if __name__ == "__main__":
    main()
