"""The OCR engine behind one small interface: an image in, text boxes out.

Why a protocol: the reader needs only each recognised line's box, its text and how sure the
engine is of each character; which engine gives them is a choice (RapidOCR's PP-OCR models by
default, Tesseract or a test double in its place).  The default engine's models ship inside
its wheel (``rapidocr_onnxruntime/models``): nothing is downloaded when it runs.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from ...common.process import state_kept

with state_kept():  # (NumPy adds warning filters when first imported: undone)
    import numpy as np
    import numpy.typing as npt

Image = npt.NDArray[np.uint8]
"""A page as pixels: height x width (grey) or height x width x 3 (BGR)."""

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""Four corners in pixels, clockwise from the top-left."""


@attrs.frozen(slots=True)
class Glyph:
    """One recognised character: its text, its box in pixels and the engine's confidence."""

    text: str
    box: tuple[float, float, float, float]
    """x0, top, x1, bottom in pixels."""
    confidence: float


@attrs.frozen(slots=True)
class TextBox:
    """One line of text the engine found: its corners, text, confidence and characters."""

    quad: Quad
    text: str
    confidence: float
    glyphs: tuple[Glyph, ...] = ()
    """The characters with their own boxes and confidences, where the engine gives them;
    empty otherwise (the line's box is then shared out over its characters)."""

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return (min(xs), min(ys), max(xs), max(ys))


class OcrEngine(Protocol):
    """What the reader asks of an engine."""

    name: str

    def recognise(self, image: Image) -> list[TextBox]:
        """The text boxes of ``image`` (a page), in any order."""
        ...


MODEL_FILES = (
    "ch_PP-OCRv4_det_infer.onnx",
    "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    "ch_PP-OCRv4_rec_infer.onnx",
)
"""The models the default engine loads, all inside its installed package."""


def rapid_model_dir() -> Path:
    """Where the installed RapidOCR keeps its models (inside the package: offline)."""
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("rapidocr_onnxruntime")
    return Path(spec.origin).parent / "models"


_RAPID_LOGGERS = ("RapidOCR", "OrtInferSession")
"""The loggers RapidOCR configures for itself."""


class RapidEngine:
    """RapidOCR (PP-OCRv4 detection and recognition on onnxruntime), per-character confidence
    and boxes included.  Its models are the files of :data:`MODEL_FILES` inside the package;
    the paths are given explicitly so that nothing is looked up or fetched elsewhere."""

    name = "rapidocr"

    def __init__(self, threads: int = 0) -> None:
        models = rapid_model_dir()
        det, cls, rec = (str(models / f) for f in MODEL_FILES)
        n = threads if threads > 0 else -1
        # RapidOCR gives its loggers handlers of their own when imported and when it opens its
        # models: both undone (see gxnianbao.common.process).
        with state_kept(_RAPID_LOGGERS):
            from rapidocr_onnxruntime import RapidOCR

            self._ocr: Any = RapidOCR(
                det_model_path=det,
                cls_model_path=cls,
                rec_model_path=rec,
                intra_op_num_threads=n,
                inter_op_num_threads=1,
                use_cls=False,  # pages are upright once deskewed; the classifier only costs time
                text_score=0.0,  # nothing dropped unseen: a line read with doubt is judged later
            )

    def recognise(self, image: Image) -> list[TextBox]:
        # (any keyword resets the call's thresholds: all are given, text_score kept at 0)
        found, _elapsed = self._ocr(
            image, return_word_box=True, text_score=0.0, box_thresh=0.5, unclip_ratio=1.6
        )
        return [_text_box(item) for item in found or ()]


def _text_box(item: Sequence[Any]) -> TextBox:
    """One RapidOCR result ``[quad, text, score, char_boxes, char_texts, char_scores]``."""
    quad_raw, text, score = item[0], str(item[1]), float(item[2])
    quad = tuple((float(p[0]), float(p[1])) for p in quad_raw)
    glyphs: tuple[Glyph, ...] = ()
    if len(item) >= 6:
        boxes, texts, scores = item[3], item[4], item[5]
        if len(boxes) == len(texts) == len(scores) and "".join(texts) == text.replace(" ", ""):
            glyphs = tuple(
                Glyph(str(t), _corners_box(b), float(s))
                for b, t, s in zip(boxes, texts, scores, strict=True)
            )
        elif len(scores) == len(text):
            glyphs = _shared_out(quad, text, [float(s) for s in scores])
    if not glyphs and text:
        glyphs = _shared_out(quad, text, [score] * len(text))
    return TextBox(quad, text, score, glyphs)  # type: ignore[arg-type]


def _corners_box(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _shared_out(
    quad: Sequence[tuple[float, float]], text: str, scores: Sequence[float]
) -> tuple[Glyph, ...]:
    """A line's box shared out over its characters by their width (a CJK character twice a
    digit's), for an engine that gives no box of its own per character; spaces dropped."""
    x0, top, x1, bottom = _corners_box(quad)
    weights = [2.0 if ord(ch) > 0x2E7F else 1.0 for ch in text]
    unit = (x1 - x0) / max(1.0, sum(weights))
    out: list[Glyph] = []
    x = x0
    for ch, w, s in zip(text, weights, scores, strict=True):
        if not ch.isspace():
            out.append(Glyph(ch, (x, top, x + w * unit, bottom), s))
        x += w * unit
    return tuple(out)


@functools.lru_cache(maxsize=2)
def default_engine(threads: int = 0) -> RapidEngine:
    """The default engine, built once per process and thread count (loading its models takes a
    third of a second; a batch worker reads many files with one)."""
    return RapidEngine(threads)
