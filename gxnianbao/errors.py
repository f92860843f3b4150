"""The public exceptions.  Everything raised on purpose derives from :class:`GxnianbaoError`."""

from __future__ import annotations

from .common.text import blank_like


class GxnianbaoError(Exception):
    """Base class of every error this library raises on purpose."""


class ParseError(GxnianbaoError, ValueError):
    """The text cannot be parsed as asked; carries where (like tomli's and lark's errors).

    ``str(err)`` shows the message, the line and a caret under the offending column.
    """

    def __init__(
        self,
        msg: str,
        *,
        line: int,
        column: int,
        offset: int,
        line_text: str,
        code: str = "parse-error",
    ) -> None:
        self.msg = msg
        self.line = line
        self.column = column
        self.offset = offset
        self.line_text = line_text
        self.code = code
        super().__init__(self._render())

    def _render(self) -> str:
        text = self.line_text.rstrip("\r\n")
        if len(text) > 120:
            text = text[:117] + "..."
        prefix = text[: max(0, min(self.column - 1, len(text)))]
        # A combining mark counts as one column here (as it always has): messages stay the same.
        caret = blank_like(prefix, zero_width_marks=False) + "^"
        return f"{self.msg} (line {self.line}, column {self.column})\n  {text}\n  {caret}"


class NotAReportError(ParseError):
    """The text is not a 政府信息公开工作年度报告 (strict mode only; otherwise a diagnostic)."""


class AmbiguousCellError(ParseError):
    """Strict mode: a table cell's number cannot be placed with certainty."""


class MissingCellError(ParseError):
    """Strict mode: a table cell has no cell in the source."""


class TemplateMismatchError(GxnianbaoError, TypeError):
    """A report's tables are not of the template asked for (``report.as_2021()`` on a report
    read with the 2019 template, or the reverse); ``template`` is the report's own."""

    def __init__(self, message: str, *, template: str | None) -> None:
        self.template = template
        super().__init__(message)


class UnreadableDocument(GxnianbaoError):
    """A file cannot be read as a report: its format, its damage or a limit stops it.

    ``name`` is the file's name (or ``"<bytes>"``), ``reason`` says why in words, and
    ``kind`` is the format that was detected or asked for, where known.
    """

    def __init__(self, name: str, reason: str, *, kind: str | None = None) -> None:
        self.name = name
        self.reason = reason
        self.kind = kind
        super().__init__(f"{name}: {reason}")


class UnsupportedFormatError(UnreadableDocument):
    """A format this library does not read (``.doc``, ``.wps``, images, archives, …)."""


class CorruptDocumentError(UnreadableDocument):
    """The file claims a format it does not hold to: truncated, damaged, or not that format."""


class EncryptedDocumentError(UnreadableDocument):
    """The document is encrypted or password-protected."""


class NeedsOCRError(UnreadableDocument):
    """The PDF has no text layer (a scan): its text must first be recognised by OCR."""


class DocumentTooLargeError(UnreadableDocument):
    """A limit was passed: bytes, pages, decompressed size, cells or nesting depth."""


class FetchError(UnreadableDocument):
    """A URL cannot be downloaded: an HTTP error status, too many redirects, a timeout, a
    refused connection.  ``name`` is the URL as given; ``status`` the HTTP status, where the
    server answered with one."""

    def __init__(
        self, name: str, reason: str, *, kind: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(name, reason, kind=kind)
        self.status = status
