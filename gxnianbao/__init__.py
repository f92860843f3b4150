"""gxnianbao: Chinese government information-disclosure annual reports as typed, sourced data.

>>> import gxnianbao
>>> report = gxnianbao.parse_report(text)            # doctest: +SKIP
>>> report.as_2021().applications.received.total     # doctest: +SKIP
38

The public names are loaded on first use (PEP 562), so ``import gxnianbao`` costs next to
nothing and a one-file parse never imports the batch machinery (``multiprocessing``), the
PDF and DOCX readers (``pdfminer``, ``lxml``) or ``pandas`` unless it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real types for type checkers and IDEs; never run
    from .batch.frames import read_reports
    from .batch.process import process_file
    from .check.findings import Finding
    from .check.rules import validate, validate_series
    from .errors import (
        AmbiguousCellError,
        CorruptDocumentError,
        DocumentTooLargeError,
        EncryptedDocumentError,
        FetchError,
        GxnianbaoError,
        MissingCellError,
        NeedsOCRError,
        NotAReportError,
        ParseError,
        TemplateMismatchError,
        UnreadableDocument,
        UnsupportedFormatError,
    )
    from .export.frames import codebook, to_dataframe
    from .limits import Limits
    from .model import CellRecord, Diagnostic, NumberToken, Origin, Report, Span, Status
    from .parse import parse_file, parse_report

__version__ = "0.1.0"

_HOME: dict[str, str] = {
    "AmbiguousCellError": ".errors",
    "CellRecord": ".model",
    "CorruptDocumentError": ".errors",
    "Diagnostic": ".model",
    "DocumentTooLargeError": ".errors",
    "EncryptedDocumentError": ".errors",
    "FetchError": ".errors",
    "Finding": ".check.findings",
    "GxnianbaoError": ".errors",
    "Limits": ".limits",
    "MissingCellError": ".errors",
    "NeedsOCRError": ".errors",
    "NotAReportError": ".errors",
    "NumberToken": ".model",
    "Origin": ".model",
    "ParseError": ".errors",
    "Report": ".model",
    "Span": ".model",
    "Status": ".model",
    "TemplateMismatchError": ".errors",
    "UnreadableDocument": ".errors",
    "UnsupportedFormatError": ".errors",
    "codebook": ".export.frames",
    "parse_file": ".parse",
    "parse_report": ".parse",
    "process_file": ".batch.process",
    "read_reports": ".batch.frames",
    "to_dataframe": ".export.frames",
    "validate": ".check.rules",
    "validate_series": ".check.rules",
}
"""Where each public name lives: the module imported when the name is first asked for."""

__all__ = [
    "AmbiguousCellError",
    "CellRecord",
    "CorruptDocumentError",
    "Diagnostic",
    "DocumentTooLargeError",
    "EncryptedDocumentError",
    "FetchError",
    "Finding",
    "GxnianbaoError",
    "Limits",
    "MissingCellError",
    "NeedsOCRError",
    "NotAReportError",
    "NumberToken",
    "Origin",
    "ParseError",
    "Report",
    "Span",
    "Status",
    "TemplateMismatchError",
    "UnreadableDocument",
    "UnsupportedFormatError",
    "__version__",
    "codebook",
    "parse_file",
    "parse_report",
    "process_file",
    "read_reports",
    "to_dataframe",
    "validate",
    "validate_series",
]


if not TYPE_CHECKING:  # hidden from type checkers: a misspelt name must stay an error there

    def __getattr__(name: str) -> Any:
        """A public name, imported from its home module the first time it is asked for.

        The value is then bound in this module, so later look-ups skip this function; binding the
        same object twice (two threads racing) is harmless.
        """
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """The public names beside what is already bound, for ``dir()`` and completion."""
    return sorted(set(globals()) | set(__all__))
