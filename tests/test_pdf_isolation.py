"""The PDF reader leaves the process as it found it: pdfminer, ``warnings`` and ``logging``.

Why: the library is embedded in crawlers and services that share their process with it, and
parse from several threads.  Reading a PDF must not patch pdfminer, must not change a warning
filter or a logger's level (not even for a while: another thread would see it), and must keep
pdfminer's chatter about damaged files out of the host's logs without hiding the host's own
messages.  Also here: streams inflate within ``Limits.max_decompressed`` wherever pdfminer
decodes them (object and cross-reference streams too), and ``PdfSettings`` is the one place
for the reader's tolerances.
"""

from __future__ import annotations

import io
import logging
import random
import re
import threading
import time
import warnings
import zlib
from pathlib import Path

import attrs
import pdfminer.pdftypes
import pytest
from conftest import FIXTURES
from pdfminer.high_level import extract_text

import gxnianbao
from gxnianbao.errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from gxnianbao.limits import DEFAULT_LIMITS, Limits
from gxnianbao.read.document import Grid, Paragraph
from gxnianbao.read.pdf import DEFAULT_PDF_SETTINGS, PdfSettings, read_pdf
from gxnianbao.read.pdf.logs import pdfminer_quiet

PDF = FIXTURES / "pdf"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _damaged(name: str, seed: int, writes: int) -> bytes:
    """A fixture with bytes overwritten here and there (a broken download)."""
    data = bytearray((PDF / name).read_bytes())
    rng = random.Random(seed)
    for _ in range(writes):
        at = rng.randrange(len(data))
        data[at : at + 8] = bytes(rng.randrange(256) for _ in range(8))
    return bytes(data)


# gaps.pdf damaged so that pdfminer logs warnings about its fonts while reading it
_NOISY = ("gaps.pdf", 15, 16)


class _Collect(logging.Handler):
    """A host program's handler: keeps every record it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _logging_state() -> dict[str, tuple[object, ...]]:
    """Level, filters, handlers, propagation and disabled flag of the root and every logger."""
    loggers = [("", logging.root), *list(logging.root.manager.loggerDict.items())]
    return {
        name: (lg.level, list(lg.filters), list(lg.handlers), lg.propagate, lg.disabled)
        for name, lg in loggers
        if isinstance(lg, logging.Logger)
    }


def _host_warning_shown(tag: str) -> bool:
    """Whether a warning the host program raises now reaches it (no filter ignores it)."""
    message = f"host warning {tag}"
    with warnings.catch_warnings(record=True) as seen:
        warnings.warn(message, UserWarning, stacklevel=1)
    return any(str(w.message) == message for w in seen)


def test_pdfminer_is_not_patched() -> None:
    """Importing the reader and reading a PDF leave pdfminer's modules as pdfminer made them."""
    read_pdf((PDF / "basic-small.pdf").read_bytes(), name="x.pdf", limits=DEFAULT_LIMITS)
    assert vars(pdfminer.pdftypes)["zlib"] is zlib
    assert pdfminer.pdftypes.PDFStream.decode.__module__ == "pdfminer.pdftypes"


def test_threads_leave_warnings_and_loggers_as_they_were() -> None:
    """Four threads parse PDFs (a damaged one among them, which makes pdfminer log) while the
    host warns and logs: every host warning and pdfminer record of the host is delivered, no
    record of the reads below ERROR is, and afterwards ``warnings.filters`` and every logger's
    level, filters and handlers are exactly as before."""
    files = [
        (PDF / "basic-small.pdf").read_bytes(),
        _damaged(*_NOISY),
        (PDF / "template-filled.pdf").read_bytes(),
        (PDF / "gaps.pdf").read_bytes(),
    ]
    for data in files:  # warm-up: every pdfminer module the reads need imported, loggers made
        try:
            gxnianbao.parse_file(data)
        except UnreadableDocument:
            pass
    host = _Collect()
    pdfminer_log = logging.getLogger("pdfminer")
    pdfminer_log.addHandler(host)
    try:
        filters_before = list(warnings.filters)
        loggers_before = _logging_state()
        workers: set[int] = set()
        errors: list[BaseException] = []
        start = threading.Barrier(4)

        def work(k: int) -> None:
            workers.add(threading.get_ident())
            try:
                start.wait()
                for i in range(4):
                    try:
                        gxnianbao.parse_file(files[(k + i) % len(files)])
                    except UnreadableDocument:
                        pass
            except BaseException as err:  # reported below
                errors.append(err)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        shown: list[bool] = []
        while any(t.is_alive() for t in threads):
            tag = str(len(shown))
            shown.append(_host_warning_shown(tag))
            logging.getLogger("pdfminer.pdfpage").warning("host record %s", tag)
            time.sleep(0.02)
        for t in threads:
            t.join()
        assert errors == []
        assert shown and all(shown)
        assert _host_warning_shown("after")
        assert warnings.filters == filters_before
        assert _logging_state() == loggers_before
    finally:
        pdfminer_log.removeHandler(host)
    from_host = [r.getMessage() for r in host.records if r.thread not in workers]
    assert from_host == [f"host record {i}" for i in range(len(shown))]
    assert [r for r in host.records if r.thread in workers and r.levelno < logging.ERROR] == []


def test_pdfminer_logs_outside_a_read_reach_the_host() -> None:
    """The same damaged file read by pdfminer itself logs warnings (so the test above has
    something to drop); read by the reader, nothing below ERROR reaches the host."""
    data = _damaged(*_NOISY)
    host = _Collect()
    pdfminer_log = logging.getLogger("pdfminer")
    pdfminer_log.addHandler(host)
    try:
        try:
            read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)
        except UnreadableDocument:
            pass
        assert [r for r in host.records if r.levelno < logging.ERROR] == []
        extract_text(io.BytesIO(data))
        assert any(r.levelno == logging.WARNING for r in host.records)
    finally:
        pdfminer_log.removeHandler(host)


def test_quiet_drops_only_records_of_its_own_context() -> None:
    """Inside the block pdfminer's warnings are dropped, its errors kept; another thread's
    records, and the records after the block (also after a failed read), pass."""
    host = _Collect()
    log = logging.getLogger("pdfminer.pdfparser")
    logging.getLogger("pdfminer").addHandler(host)
    try:
        with pdfminer_quiet():
            log.warning("inside")
            log.error("inside, an error")
            other = threading.Thread(target=log.warning, args=("another thread",))
            other.start()
            other.join()
        log.warning("after")
        with pytest.raises(CorruptDocumentError):
            read_pdf(b"%PDF-1.4\n junk", name="x.pdf", limits=DEFAULT_LIMITS)
        log.warning("after a failed read")
    finally:
        logging.getLogger("pdfminer").removeHandler(host)
    assert [r.getMessage() for r in host.records] == [
        "inside, an error",
        "another thread",
        "after",
        "after a failed read",
    ]
    assert all(log.filters == [] for log in [log, logging.getLogger("pdfminer")])


# --- streams inflate within the limit wherever pdfminer decodes them -------------------------


def _up_rows(rows: list[bytes]) -> bytes:
    """Rows encoded with the PNG "Up" predictor (each a filter byte 2 and the differences)."""
    out = bytearray()
    prev = bytes(len(rows[0]))
    for row in rows:
        out += b"\x02" + bytes((a - b) % 256 for a, b in zip(row, prev, strict=True))
        prev = row
    return bytes(out)


def _compact_pdf(text: str, *, padding: int = 0) -> bytes:
    """A one-page PDF 1.5 as Word and Acrobat write them: its objects in an object stream (with
    ``padding`` spaces after them) and its cross-reference table a stream with a PNG
    predictor."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
    ]
    index: list[bytes] = []
    body = b""
    for number, obj in enumerate(objects, start=1):
        index.append(b"%d %d" % (number, len(body)))
        body += obj + b"\n"
    head = b" ".join(index) + b"\n"
    packed = zlib.compress(head + body + b" " * padding)
    content = zlib.compress(b"BT /F1 10 Tf 100 700 Td (%s) Tj ET" % text.encode("latin-1"))
    out = bytearray(b"%PDF-1.5\n")
    at: dict[int, int] = {}
    at[5] = len(out)
    out += b"5 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
    out += content + b"\nendstream\nendobj\n"
    at[6] = len(out)
    out += b"6 0 obj\n<< /Type /ObjStm /N 4 /First %d /Length %d /Filter /FlateDecode >>\n" % (
        len(head),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    at[7] = len(out)
    entries = [(0, 0, 0xFFFF)] + [(2, 6, i) for i in range(4)] + [(1, at[k], 0) for k in (5, 6, 7)]
    rows = [bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for t, a, b in entries]
    xref = zlib.compress(_up_rows(rows))
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /Root 1 0 R /W [1 4 2] /Filter /FlateDecode "
        b"/DecodeParms << /Predictor 12 /Columns 7 >> /Length %d >>\nstream\n" % len(xref)
    )
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at[7]
    return bytes(out)


def test_object_and_cross_reference_streams_with_a_predictor_are_read() -> None:
    data = _compact_pdf("Compact")
    assert extract_text(io.BytesIO(data)).strip() == "Compact"  # a valid PDF, as pdfminer says
    doc = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Compact"]


def test_a_bomb_in_an_object_stream_is_too_large_not_corrupt() -> None:
    """Inflated while the document is opened (its catalog is in the object stream)."""
    data = _compact_pdf("Compact", padding=20_000_000)
    assert len(data) < 100_000
    with pytest.raises(DocumentTooLargeError, match="max_decompressed"):
        read_pdf(data, name="x.pdf", limits=Limits(max_decompressed=1_000_000))
    doc = read_pdf(data, name="x.pdf", limits=Limits(max_decompressed=30_000_000))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Compact"]


def test_the_budget_is_per_read() -> None:
    """Each read has the whole budget: reading one file many times never runs it out."""
    data = (PDF / "basic-small.pdf").read_bytes()
    limits = Limits(max_decompressed=400_000)
    first = read_pdf(data, name="x.pdf", limits=limits)
    for _ in range(3):
        assert read_pdf(data, name="x.pdf", limits=limits) == first


# --- PdfSettings ---------------------------------------------------------------------------


def test_settings_are_frozen_and_checked() -> None:
    settings = PdfSettings()
    assert settings == DEFAULT_PDF_SETTINGS
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        settings.snap_tolerance = 3.0  # type: ignore[misc]
    for bad in ({"snap_tolerance": 0}, {"max_slant": -1}, {"margin": 1.5}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            PdfSettings(**bad)


def test_default_settings_read_as_before() -> None:
    data = (PDF / "gaps.pdf").read_bytes()
    doc = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)
    assert read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS, settings=PdfSettings()) == doc
    assert sum(isinstance(b, Grid) for b in doc.blocks) == 3


def test_a_tolerance_changes_what_is_read() -> None:
    """A lattice tolerance wider than a row's height merges rows: the setting is used."""
    data = (PDF / "gaps.pdf").read_bytes()
    coarse = PdfSettings(lattice_tolerance=40.0)
    grids = [
        b
        for b in read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS, settings=coarse).blocks
        if isinstance(b, Grid)
    ]
    normal = [
        b for b in read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS).blocks if isinstance(b, Grid)
    ]
    assert sum(g.n_rows for g in grids) < sum(g.n_rows for g in normal)


def test_docs_describe_every_setting() -> None:
    """docs/inputs.md has a row for each PdfSettings field."""
    text = (DOCS / "inputs.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE))
    assert {f.name for f in attrs.fields(PdfSettings)} <= rows
