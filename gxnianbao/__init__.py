"""gxnianbao: Chinese government information-disclosure annual reports as typed, sourced data.

>>> import gxnianbao
>>> report = gxnianbao.parse_report(text)            # doctest: +SKIP
>>> report.applications.received.total               # doctest: +SKIP
38
"""

from .batch.process import process_file
from .check.findings import Finding
from .check.rules import validate, validate_series
from .errors import (
    AmbiguousCellError,
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    GxnianbaoError,
    MissingCellError,
    NeedsOCRError,
    NotAReportError,
    ParseError,
    UnreadableDocument,
    UnsupportedFormatError,
)
from .export.frames import to_dataframe
from .limits import Limits
from .model.classes import CellRecord, Diagnostic, NumberToken, Origin, Report, Span, Status
from .parse import parse_file, parse_report

__version__ = "0.1.0"

__all__ = [
    "AmbiguousCellError",
    "CellRecord",
    "CorruptDocumentError",
    "Diagnostic",
    "DocumentTooLargeError",
    "EncryptedDocumentError",
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
    "UnreadableDocument",
    "UnsupportedFormatError",
    "__version__",
    "parse_file",
    "parse_report",
    "process_file",
    "to_dataframe",
    "validate",
    "validate_series",
]
