"""A dataset as an Excel workbook (``.xlsx``): a sheet of data, the codebook, the failures.

openpyxl is optional (``pip install 'gxnianbao[xlsx]'``) and imported only here.  Rows are
streamed into a write-only workbook as they come; the file is saved beside the output and moved
over it when the workbook is closed, so an output is never a half-written zip.

Values keep their meaning in Excel: counts are numbers, amounts are exact decimals, the
publication date is a date.  A number Excel cannot hold exactly (more than 15 significant
digits) is written as text rather than rounded; text is never read as a formula; characters
an XML sheet cannot hold are dropped and a text longer than a cell holds is cut (text only).
"""

from __future__ import annotations

import datetime
import importlib
import os
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .codebook import CODEBOOK_FIELDS, codebook_records
from .rows import cell_kinds

__all__ = [
    "CODEBOOK_SHEET",
    "DATA_SHEET",
    "FAILURES_SHEET",
    "FAILURE_COLUMNS",
    "ILLEGAL",
    "MAX_ROWS",
    "ExcelBook",
    "data_rows",
    "require_openpyxl",
]

DATA_SHEET = "data"
"""The rows; a dataset longer than :data:`MAX_ROWS` goes on in ``data 2``, ``data 3``, …"""
CODEBOOK_SHEET = "codebook"
FAILURES_SHEET = "failures"
FAILURE_COLUMNS = ("file", "error_type", "error_message")
MAX_ROWS = 1_048_576
"""Rows an Excel sheet holds, the header included."""
MAX_TEXT = 32_767
"""Characters an Excel cell holds."""
_EXACT_DIGITS = 15
"""Significant digits Excel keeps of a number."""

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters an XML sheet cannot hold (control characters, U+FFFE, U+FFFF)."""

INSTALL_HINT = "pip install 'gxnianbao[xlsx]'"


def require_openpyxl() -> Any:
    """The ``openpyxl`` module, or an :class:`ImportError` saying what to install."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError as exc:
        raise ImportError(
            f"writing .xlsx needs openpyxl, which is not installed: {INSTALL_HINT} "
            "(or write .csv with --excel)"
        ) from exc


def _exact_in_excel(number: Decimal) -> bool:
    digits = number.normalize().as_tuple().digits
    return len(digits) <= _EXACT_DIGITS


class ExcelBook:
    """One ``.xlsx`` dataset being written: :meth:`append` rows (tuples in ``columns``
    order, values as the dataset rows hold them), then :meth:`close`."""

    def __init__(self, path: str, columns: Sequence[str], *, long: bool) -> None:
        self.openpyxl = require_openpyxl()
        self._write_only_cell = importlib.import_module("openpyxl.cell").WriteOnlyCell
        self.path = path
        self.tmp = f"{path}.partial"
        self.columns = tuple(columns)
        self.book = self.openpyxl.Workbook(write_only=True)
        kinds = cell_kinds()
        self._decimal = {
            i
            for i, c in enumerate(self.columns)
            if c == "processing_fee" or c == "value" or kinds.get(c) == "amount"
        }
        self._date = {i for i, c in enumerate(self.columns) if c == "published"}
        status = "report_status" if long else "status"
        self._failure_at = tuple(
            self.columns.index(c) for c in ("file", status, "error_type", "error_message")
        )
        self.failures: list[tuple[object, ...]] = []
        self.sheets = 0
        self.sheet: Any = None
        self.rows_in_sheet = MAX_ROWS

    # --- values --------------------------------------------------------------------------

    def _text(self, text: str) -> Any:
        """A string cell (never a formula), without characters XML cannot hold."""
        text = ILLEGAL.sub("", text)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        cell = self._write_only_cell(self.sheet, text)
        cell.data_type = "s"
        return cell

    def _number(self, value: object) -> Any:
        """An int or a decimal (given as text) as an Excel number when Excel keeps it exact,
        else as text."""
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
            return value
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):
            return self._text(str(value))
        if not number.is_finite() or not _exact_in_excel(number):
            return self._text(str(value))
        return value if isinstance(value, int) else number

    def _date_cell(self, value: object) -> Any:
        if isinstance(value, datetime.datetime):  # read back from a workbook (--resume)
            value = value.date()
        if isinstance(value, datetime.date):
            cell = self._write_only_cell(self.sheet, value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        if isinstance(value, str):
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                return self._text(value)
            cell = self._write_only_cell(self.sheet, day)
            cell.number_format = "yyyy-mm-dd"
            return cell
        return value

    def _cells(self, row: Sequence[object]) -> list[Any]:
        out: list[Any] = []
        for i, value in enumerate(row):
            if value is None:
                out.append(None)
            elif i in self._date:
                out.append(self._date_cell(value))
            elif i in self._decimal or isinstance(value, int):
                out.append(self._number(value))
            elif isinstance(value, str):
                out.append(self._text(value))
            else:
                out.append(self._text(str(value)))
        return out

    # --- sheets --------------------------------------------------------------------------

    def _new_sheet(self, title: str, header: Sequence[str]) -> Any:
        sheet = self.book.create_sheet(title)
        sheet.freeze_panes = "A2"
        self.sheet = sheet
        bold = self.openpyxl.styles.Font(bold=True)
        cells = []
        for name in header:
            cell = self._text(name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        return sheet

    def append(self, rows: Sequence[Sequence[object]]) -> None:
        """Write rows in order, on a further data sheet when one is full."""
        for row in rows:
            if self.rows_in_sheet >= MAX_ROWS:
                self.sheets += 1
                title = DATA_SHEET if self.sheets == 1 else f"{DATA_SHEET} {self.sheets}"
                self._new_sheet(title, self.columns)
                self.rows_in_sheet = 1
            self.sheet.append(self._cells(row))
            self.rows_in_sheet += 1
            file, status, etype, message = (row[i] for i in self._failure_at)
            if status == "error":
                self.failures.append((file, etype, message))

    def close(self) -> None:
        """Write the codebook and the failures, save beside the output and move it over."""
        if self.sheets == 0:  # no row at all: the header still says what the columns are
            self.sheets = 1
            self._new_sheet(DATA_SHEET, self.columns)
        self._new_sheet(CODEBOOK_SHEET, CODEBOOK_FIELDS)
        status_columns = any(c.endswith(".status") for c in self.columns)
        for record in codebook_records(status_columns):
            self.sheet.append(
                [self._text(record[f]) if record[f] else None for f in CODEBOOK_FIELDS]
            )
        self._new_sheet(FAILURES_SHEET, FAILURE_COLUMNS)
        for failure in self.failures:
            self.sheet.append(self._cells(failure))
        try:
            self.book.save(self.tmp)
            os.replace(self.tmp, self.path)
        finally:
            if os.path.exists(self.tmp):
                os.remove(self.tmp)


def data_rows(path: str) -> tuple[list[str], Iterator[tuple[object, ...]]]:
    """The header and the rows of every data sheet of a workbook this module wrote (for
    ``--resume``).  Raises :class:`ValueError` for a file that is not such a workbook."""
    openpyxl = require_openpyxl()
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValueError(f"not a readable .xlsx file ({exc})") from None
    sheets = [
        name for name in book.sheetnames if name == DATA_SHEET or name.startswith(f"{DATA_SHEET} ")
    ]
    if not sheets:
        raise ValueError(f"no sheet named {DATA_SHEET!r}")
    header = [str(v) for v in next(book[sheets[0]].iter_rows(max_row=1, values_only=True))]

    width = len(header)
    pad = (None,) * width

    def rows() -> Iterator[tuple[object, ...]]:
        for name in sheets:
            it = book[name].iter_rows(values_only=True)
            next(it, None)
            for row in it:  # a row's empty cells at its end may not be stored
                yield (tuple(row) + pad)[:width]
        book.close()

    return header, rows()
