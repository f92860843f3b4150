"""Input formats as one list: a new format is one declaration, read through ``formats=``.

Why: adding a format used to touch the dispatcher, the sniffer, the kind aliases and the batch
scanner.  Here a CSV reader declared in the test is sniffed, forced with ``kind=`` and parsed
like any built-in format, and the batch scanner's suffixes come from the same list.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import gxnianbao
from gxnianbao.batch.files import SUPPORTED_SUFFIXES
from gxnianbao.limits import Limits
from gxnianbao.model import Origin
from gxnianbao.parse import parse_document
from gxnianbao.read.document import Block, Document, Paragraph, grid_from_rows
from gxnianbao.read.files import KINDS, read_document, sniff
from gxnianbao.read.formats import (
    FORMATS,
    TEXT,
    Format,
    Probe,
    collected_suffixes,
    find,
    readable,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TAB_ROWS = (FIXTURES / "tab_rows.txt").read_text(encoding="utf-8-sig")


def _read_csv(data: bytes, name: str, limits: Limits) -> Document:
    """One field: a paragraph; a run of rows of more fields: a table (no merged cells)."""
    blocks: list[Block] = []
    table: list[list[str]] = []

    def end_table() -> None:
        if table:
            at = Origin("csv", block=len(blocks))
            rows = [[(text, 1, 1, at) for text in row] for row in table]
            blocks.append(grid_from_rows(rows, at))
            table.clear()

    for row in csv.reader(io.StringIO(data.decode("utf-8"))):
        if len(row) > 1:
            table.append(row)
        elif row and row[0].strip():
            end_table()
            blocks.append(Paragraph(row[0], Origin("csv", block=len(blocks))))
    end_table()
    return Document("csv", tuple(blocks), name)


def _is_csv(probe: Probe) -> bool:
    return probe.ext == ".csv" or probe.head.startswith(b"#csv\n")


CSV = Format("csv", (".csv",), _is_csv, _read_csv, aliases=("comma",))
"""The whole declaration of the new format."""
WITH_CSV = (CSV, *FORMATS)


def _csv_of(text: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in text.splitlines():
        writer.writerow(line.split("\t") if "\t" in line else [line])
    return ("#csv\n" + out.getvalue()).encode()


def test_a_declared_format_is_sniffed_and_read() -> None:
    data = _csv_of(TAB_ROWS)
    assert sniff(data, "r.csv", WITH_CSV) == "csv"
    assert sniff(data, "<bytes>", WITH_CSV) == "csv"
    assert sniff(data, "r.csv") == "text"  # not in the default list
    doc = read_document(data, formats=WITH_CSV)
    assert isinstance(doc, Document)
    assert doc.kind == "csv"
    assert read_document(data, kind="comma", formats=WITH_CSV) == doc
    report = parse_document(doc)
    text = gxnianbao.parse_report(TAB_ROWS)
    assert report.applications is not None and text.applications is not None
    assert repr(report.applications) == repr(text.applications)  # the values; spans differ
    assert report.applications.received.total == 23
    assert [f.rule for f in gxnianbao.validate(report)] == [
        f.rule for f in gxnianbao.validate(text)
    ]


def test_kind_names_come_from_the_list() -> None:
    assert KINDS == ("pdf", "docx", "image", "html", "text")
    with pytest.raises(ValueError, match=r"\['pdf', 'docx', 'image', 'html', 'text'\] or None"):
        read_document(b"x", kind="csv")
    with pytest.raises(ValueError, match=r"\['csv', 'pdf', 'docx', 'image', 'html', 'text'\]"):
        read_document(b"x", kind="xlsx", formats=WITH_CSV)
    assert find("markdown") is TEXT
    assert find("doc") is None  # recognised, but refused: not a kind
    assert [f.name for f in readable(WITH_CSV)] == ["csv", *KINDS]


def test_a_refused_format_without_its_own_error() -> None:
    refused = Format("fax", (".fax",), lambda probe: probe.head.startswith(b"FAX"), None)
    with pytest.raises(gxnianbao.UnsupportedFormatError, match="a fax file is not read") as err:
        sniff(b"FAX 1", "x.fax", (refused, *FORMATS))
    assert err.value.kind == "fax"


def test_nothing_claims_the_bytes() -> None:
    with pytest.raises(gxnianbao.UnreadableDocument, match="no input format"):
        read_document(b"x", formats=(CSV,))


def test_batch_collects_the_declared_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == collected_suffixes()
    assert set(SUPPORTED_SUFFIXES) == {
        ".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", ".wps",
    }  # fmt: skip
    assert collected_suffixes(WITH_CSV)[0] == ".csv"
