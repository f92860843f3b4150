"""Pages as pixels: rendered or decoded within a size cap, the seal's red taken out, set
straight, and the ruling lines of their tables found.

Why each step: a scanned report is stamped with a red seal, often over the table, and the
engine reads the seal's characters and loses the digits under it; a page fed in by hand sits a
degree or two askew, which bends every row of the table away from its ruling lines; the
ruling lines are what make a table's cells (the same lattice as a PDF's drawn lines), and
they are found from the raster with a morphological pass (OpenCV, which the engine brings).
Every size is capped: a page costs at most ``max_side`` squared pixels, whatever its file says.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from ...common.process import state_kept
from ...errors import CorruptDocumentError, DocumentTooLargeError, EncryptedDocumentError
from ...limits import Limits
from ..pdf.chars import Seg
from ..pdf.pdfium import PDFIUM_LOCK
from .engine import Image
from .settings import OcrSettings

with state_kept():  # (OpenCV and NumPy may change the warning filters when first imported)
    import cv2
    import numpy as np

_PDFIUM = PDFIUM_LOCK
"""PDFium is not thread-safe: one call into it at a time in this process, shared with the PDF
reader's engine."""

_A4_WIDTH_PT = 595.0


@attrs.frozen(slots=True)
class Raster:
    """One page's pixels (RGB) and how many pixels make a point (1/72 inch)."""

    pixels: Image
    scale: float
    page: int


def pdf_rasters(data: bytes, name: str, limits: Limits, settings: OcrSettings) -> Iterator[Raster]:
    """The pages of a PDF rendered one at a time, at ``settings.dpi`` capped to
    ``settings.max_side`` pixels on the longer side."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as err:
            text = str(err).lower()
            if "password" in text:
                raise EncryptedDocumentError(name, "the PDF is encrypted", kind="pdf") from None
            raise CorruptDocumentError(
                name, f"the PDF cannot be rendered ({err})", kind="pdf"
            ) from None
        n_pages = len(pdf)
    try:
        if n_pages > limits.max_pages:
            raise DocumentTooLargeError(
                name,
                f"the PDF has more than {limits.max_pages} pages (limits.max_pages)",
                kind="pdf",
            )
        for index in range(n_pages):
            with _PDFIUM:
                page = pdf[index]
                try:
                    if not _has_marks(page):
                        continue  # only vector drawing (or nothing): no scan to recognise
                    width, height = page.get_size()
                    scale = min(settings.dpi / 72, settings.max_side / max(width, height, 1.0))
                    bitmap = page.render(scale=scale, rev_byteorder=True)
                    pixels = np.array(bitmap.to_numpy()[:, :, :3], dtype=np.uint8)
                    bitmap.close()
                finally:
                    page.close()
            yield Raster(pixels, scale, index + 1)
    finally:
        with _PDFIUM:
            pdf.close()


def _has_marks(page: Any) -> bool:
    """Whether a page draws an image or text (a scan, or glyphs without Unicode values)."""
    import pypdfium2.raw as pdfium_c

    wanted = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_TEXT)
    return any(True for _ in page.get_objects(filter=wanted, max_depth=4))


def image_rasters(
    data: bytes, name: str, limits: Limits, settings: OcrSettings
) -> Iterator[Raster]:
    """The frames of a PNG, JPEG or TIFF file (a multi-page TIFF gives one page a frame),
    each scaled down to ``settings.max_side``.  A file whose header claims more than
    ``settings.max_pixels`` pixels is refused before it is decoded."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        img = PILImage.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise CorruptDocumentError(
            name, f"the image cannot be read ({err})", kind=_kind_of(data)
        ) from None
    kind = (img.format or "image").lower()
    w, h = img.size
    if w * h > settings.max_pixels:
        raise DocumentTooLargeError(
            name,
            f"the image has {w}x{h} pixels, over {settings.max_pixels} (OcrSettings.max_pixels)",
            kind=kind,
        )
    dpi = _dpi(img.info.get("dpi"), w)
    try:
        for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
            if number > limits.max_pages:
                raise DocumentTooLargeError(
                    name, f"the image has more than {limits.max_pages} pages", kind=kind
                )
            rgb = frame.convert("RGB")
            factor = min(1.0, settings.max_side / max(rgb.size))
            if factor < 1.0:
                size = (max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor)))
                rgb = rgb.resize(size, PILImage.Resampling.LANCZOS)
            yield Raster(np.asarray(rgb, dtype=np.uint8), dpi / 72 * factor, number)
    except (OSError, ValueError, SyntaxError) as err:
        raise CorruptDocumentError(name, f"the image cannot be read ({err})", kind=kind) from None


def _kind_of(data: bytes) -> str:
    """``png``, ``jpeg`` or ``tiff`` by the file's first bytes (``image`` otherwise)."""
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return "image"


def _dpi(stated: object, width: int) -> float:
    """The image's resolution as stated, when plausible; else that of an A4 page's width."""
    if isinstance(stated, tuple) and stated and isinstance(stated[0], (int, float)):
        if 50 <= float(stated[0]) <= 1200:
            return float(stated[0])
    return width / _A4_WIDTH_PT * 72


def red_ink(rgb: Image) -> Image:
    """Where the page is red (the seal's ink, its pale edges and the colour a JPEG smears
    around it), as 255 on 0; dark pixels (black text under the seal) are not red."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = (((hue <= 12) | (hue >= 160)) & (sat >= 40) & (val >= 90)).astype(np.uint8) * 255
    grown = cv2.dilate(red, np.ones((3, 3), np.uint8))  # the smeared rim
    return np.asarray(np.where(val >= 90, grown, 0), dtype=np.uint8)


def without_red(rgb: Image, red: Image | None = None) -> Image:
    """The page in grey with the red seal's ink (``red``, found if not given) made white."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    mask = red_ink(rgb) if red is None else red
    return np.asarray(np.where(mask > 0, 255, grey), dtype=np.uint8)


def without_dust(grey: Image, most: int = 2) -> Image:
    """The page with isolated specks of at most ``most`` pixels made white (scanner dust the
    engine would read as a full stop or a decimal point)."""
    ink = _binary(grey)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return grey
    small = stats[:, cv2.CC_STAT_AREA] <= most
    small[0] = False
    out = np.array(grey, dtype=np.uint8)
    out[small[labels]] = 255
    return out


def skew_angle(grey: Image, limit: float) -> float:
    """The page's tilt in degrees (within ±``limit``): the angle that makes the rows of ink
    sharpest (the largest spread of a horizontal projection), coarse then fine."""
    h, w = grey.shape[:2]
    factor = min(1.0, 1000 / max(h, w))
    small = np.asarray(
        cv2.resize(grey, (max(1, int(w * factor)), max(1, int(h * factor)))), dtype=np.uint8
    )
    ink = _binary(small)
    if not ink.any():
        return 0.0

    def sharpness(angle: float) -> float:
        turned = _rotate(ink, angle, 0)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    best = max(np.arange(-limit, limit + 1e-9, 0.25), key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return float(max(fine, key=sharpness))


def _rotate(img: Image, angle: float, border: int) -> Image:
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(
        img,
        matrix,
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )
    return np.asarray(out, dtype=np.uint8)


def straightened(grey: Image, limit: float) -> tuple[Image, float]:
    """The page turned by its tilt (white where the turn uncovers), and the angle."""
    angle = skew_angle(grey, limit)
    if abs(angle) < 0.05:
        return grey, 0.0
    return _rotate(grey, angle, 255), angle


def turned(mask: Image, angle: float) -> Image:
    """A mask of the page turned as the page was (nothing where the turn uncovers)."""
    return mask if not angle else _rotate(mask, angle, 0)


@attrs.frozen(slots=True)
class Rules:
    """The page's ruling lines in points, and its ink without them (for the unread-ink test)."""

    h: list[Seg]
    v: list[Seg]
    ink: Image
    """Binary (255 = ink) page, ruling lines removed."""


def find_rules(
    grey: Image,
    scale: float,
    settings: OcrSettings,
    text: Sequence[tuple[float, float, float, float]] = (),
) -> Rules:
    """Horizontal and vertical ruling lines: ink that survives an opening with a long thin
    kernel, kept when it runs from rule to rule; a short upright stroke inside a character's
    box of ``text`` (pixels) is the character's, not a border."""
    ink = _binary(grey)
    # A thin rule, blurred and turned, is a faint dashed line to a global threshold: a local
    # one keeps it, and a short closing along each direction joins its dashes.
    faint = np.asarray(
        cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 12),
        dtype=np.uint8,
    )
    length = max(8, int(settings.min_rule_pt * scale))
    bridge = max(2, int(1.5 * scale))
    hmask = _opened(_opened(faint, (1, bridge), cv2.MORPH_CLOSE), (1, length), cv2.MORPH_OPEN)
    vmask = _opened(_opened(faint, (bridge, 1), cv2.MORPH_CLOSE), (length, 1), cv2.MORPH_OPEN)
    hs = [
        h
        for h in _segments(hmask, scale, horizontal=True)
        if not _in_text(h, text, scale, upright=False)
    ]
    vs = [
        v
        for v in _segments(vmask, scale, horizontal=False)
        if not _in_text(v, text, scale, upright=True)
    ]
    tol = settings.rule_touch_pt
    longest = settings.long_rule_pt
    # A rule runs from rule to rule (a cell's border); a stroke of a character, or the seal's
    # ring, meets at most one: kept are those met at both ends, or long enough on their own.
    vs_kept = [v for v in vs if v.b - v.a >= longest or _held(v, hs, tol)]
    hs_kept = [h for h in hs if h.b - h.a >= longest or _held(h, vs_kept, tol)]
    vs_kept = [v for v in vs_kept if v.b - v.a >= longest or _held(v, hs_kept, tol)]
    lines = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((3, 3), np.uint8))
    bare = cv2.bitwise_and(ink, cv2.bitwise_not(lines))
    return Rules(hs_kept, vs_kept, np.asarray(bare, dtype=np.uint8))


def _opened(img: Image, shape: tuple[int, int], op: int) -> Image:
    return np.asarray(cv2.morphologyEx(img, op, np.ones(shape, np.uint8)), dtype=np.uint8)


def _binary(grey: Image) -> Image:
    """Ink as 255 on 0, by Otsu's threshold."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(ink, dtype=np.uint8)


def _segments(mask: Image, scale: float, *, horizontal: bool) -> list[Seg]:
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Seg] = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if horizontal:
            out.append(Seg((y + h / 2) / scale, x / scale, (x + w) / scale))
        else:
            out.append(Seg((x + w / 2) / scale, y / scale, (y + h) / scale))
    return out


def _in_text(
    seg: Seg, boxes: Sequence[tuple[float, float, float, float]], scale: float, *, upright: bool
) -> bool:
    """Whether a stroke lies within one character's box (a title's large characters have
    strokes as long as a rule): an upright one inside the box's width (a border between two
    characters stands in the gap between their boxes) and no taller than the box, a level
    one across the box's height and no wider than the box."""
    pos, a, b = seg.pos * scale, seg.a * scale, seg.b * scale
    for x0, top, x1, bottom in boxes:
        w, h = x1 - x0, bottom - top
        if upright:
            inside = x0 + 0.1 * w < pos < x1 - 0.1 * w
            within = a >= top - 0.25 * h and b <= bottom + 0.25 * h
        else:
            inside = top + 0.1 * h < pos < bottom - 0.1 * h
            within = a >= x0 - 0.25 * w and b <= x1 + 0.25 * w
        if inside and within:
            return True
    return False


OVERSHOOT_PT = 10.0
"""How far a border may run on past the rule it meets (into a heading set close under the
table, whose strokes the opening joins to it)."""


def _held(seg: Seg, across: list[Seg], tol: float) -> bool:
    """Whether rules of the other direction meet ``seg`` at both of its ends: each end comes
    within ``tol`` of a rule across, or runs on past it (a border drawn through).  A stroke of
    a character stops short of the rules around its cell."""

    def meets(at: float, sign: float) -> bool:
        return any(
            o.a - 3 * tol <= seg.pos <= o.b + 3 * tol
            and -tol <= sign * (o.pos - at) <= OVERSHOOT_PT
            and o.pos - tol <= seg.b
            and o.pos + tol >= seg.a
            for o in across
        )

    return meets(seg.a, 1.0) and meets(seg.b, -1.0)


def mask_share(mask: Image, box: tuple[float, float, float, float]) -> float:
    """The share of ``box`` (pixels) that ``mask`` covers."""
    x0, top, x1, bottom = (int(v) for v in box)
    region = mask[max(0, top) : max(0, bottom + 1), max(0, x0) : max(0, x1 + 1)]
    return float(np.count_nonzero(region)) / region.size if region.size else 0.0


def ink_share(ink: Image, box: tuple[float, float, float, float], scale: float) -> float:
    """The share of ink pixels inside ``box`` (points), a margin off its edges."""
    x0, top, x1, bottom = (v * scale for v in box)
    margin = 2 * scale
    a, b = int(top + margin), int(bottom - margin)
    c, d = int(x0 + margin), int(x1 - margin)
    if b <= a or d <= c:
        return 0.0
    region = ink[max(0, a) : max(0, b), max(0, c) : max(0, d)]
    return float(np.count_nonzero(region)) / max(1, region.size)
