"""The public exceptions.  Everything raised on purpose derives from :class:`GxnianbaoError`."""

from __future__ import annotations

import unicodedata


def _blank(ch: str) -> str:
    """White space as wide as ``ch`` on a terminal (tabs kept, CJK two columns)."""
    if ch == "\t":
        return "\t"
    return "  " if unicodedata.east_asian_width(ch) in "WF" else " "


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
        caret = "".join(_blank(ch) for ch in prefix) + "^"
        return f"{self.msg} (line {self.line}, column {self.column})\n  {text}\n  {caret}"


class NotAReportError(ParseError):
    """The text is not a 政府信息公开工作年度报告 (strict mode only; otherwise a diagnostic)."""


class AmbiguousCellError(ParseError):
    """Strict mode: a table cell's number cannot be placed with certainty."""


class MissingCellError(ParseError):
    """Strict mode: a table cell has no cell in the source."""
