"""The engines a PDF can be read with, named where every layer that passes a choice on can see
them without importing a PDF library (pdfminer and pypdfium2 load on first use)."""

from __future__ import annotations

PDF_ENGINES: tuple[str, ...] = ("pdfium", "pdfminer")
"""``pdfium`` (the default: PDFium through pypdfium2) and ``pdfminer`` (pdfminer.six)."""

DEFAULT_PDF_ENGINE = PDF_ENGINES[0]


def check_pdf_engine(engine: str) -> str:
    """``engine`` when it names a PDF engine; ValueError otherwise."""
    if engine not in PDF_ENGINES:
        raise ValueError(f"engine must be one of {list(PDF_ENGINES)}, not {engine!r}")
    return engine
