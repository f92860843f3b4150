"""What every command shares: exit statuses, the one-line error for the user, and reading
one input exactly as :func:`gxnianbao.parse_file` does."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import IO

from ..errors import GxnianbaoError, UnreadableDocument
from ..model import Origin, Report
from ..parse import parse_file
from ..read.document import text_view
from ..read.fetch import Download, download, is_url
from ..read.files import DecodedText, read_document

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CliError",
    "Loaded",
    "err",
    "load",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A message for the user and an exit status; caught in :func:`main`."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def err(message: str) -> None:
    """A message for the user on standard error, after the program's name."""
    print(f"gxnianbao: {message}", file=sys.stderr)


class Loaded:
    """A parsed input and, where it can be had, the text its spans point into."""

    __slots__ = ("name", "origins", "report", "text")

    def __init__(
        self,
        name: str,
        report: Report,
        text: str | None,
        origins: Mapping[int, Origin] | None = None,
    ) -> None:
        self.name = name
        self.report = report
        self.text = text
        self.origins: Mapping[int, Origin] = origins or {}
        """For a document: where each line of its text view is (0-based line -> page, table
        …), so that a place the parser found in the text (a heading, a sentence) is shown on
        its page."""


def load(
    name: str,
    *,
    need_text: bool = False,
    stdin: IO[bytes] | None = None,
    engine: str | None = None,
) -> Loaded:
    """Parse one input (a path, an ``http(s)://`` URL, or ``-`` for standard input) with
    :func:`gxnianbao.parse_file`.

    With ``need_text``, also the text the report's spans point into (the decoded text, or a
    document's text view), for the caret lines of ``check``; it is read a second time rather
    than re-implementing ``parse_file``, so every command parses exactly as the library does
    (a URL is downloaded once, and its download read twice).  ``engine`` is the PDF engine
    (``--pdf-engine``).  Raises :class:`CliError` when the input cannot be read.
    """
    display = "<stdin>" if name == "-" else name
    url = is_url(name)
    if name != "-" and not url and os.path.isdir(name):
        raise CliError(f"{name}: is a directory (use 'gxnianbao batch' for folders)")
    try:
        source: str | bytes | Download = name
        if name == "-":
            source = (stdin if stdin is not None else sys.stdin.buffer).read()
        elif url:
            source = download(name)
        report = parse_file(source, engine=engine)
        text: str | None = None
        origins: dict[int, Origin] = {}
        if need_text:
            doc = read_document(source, engine=engine)
            if isinstance(doc, DecodedText):
                text = doc.text
            else:
                view = text_view(doc)
                text = view.text
                origins = dict(view.line_origins)
                for line, cells in view.grid_cells.items():
                    first = next((c.origin for c in cells if c.origin is not None), None)
                    if first is not None:
                        origins.setdefault(line, first)
    except UnreadableDocument as exc:
        raise CliError(f"{display}: {exc.reason}") from None
    except GxnianbaoError as exc:
        raise CliError(f"{display}: {_one_line(exc)}") from None
    except OSError as exc:
        raise CliError(f"{display}: {exc.strerror or exc}") from None
    return Loaded(display, report, text, origins)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
