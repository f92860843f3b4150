"""Whether the OCR extra is installed, asked without importing it."""

from __future__ import annotations

import importlib.util

EXTRA_ADVICE = "install the OCR extra to read it: pip install 'gxnianbao[ocr]'"


def ocr_available() -> bool:
    """Whether the default engine, OpenCV and PDFium are installed (the ``ocr`` extra)."""
    return all(
        importlib.util.find_spec(m) is not None
        for m in ("rapidocr_onnxruntime", "cv2", "pypdfium2", "PIL", "numpy")
    )
