"""Seconds per document and per page for file input: PDF, DOCX, HTML.

Goal for PDF: faster than pdfplumber's ``extract_tables()`` on the same file and within 1.3x of
pdfminer's ``extract_text()`` (the floor: any PDF reader built on pdfminer pays for parsing the
content streams).  The PDF reader runs pdfminer without layout analysis and reads each page
once.  Prints numbers; it does not pass or fail.  CPU time, best of a few runs (the machine may
be shared).  Run: ``python benchmarks/parse_files.py`` from the project root.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gxnianbao.limits import DEFAULT_LIMITS
from gxnianbao.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
SHARED = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared"))
PDF_FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


def best(fn: Callable[[], object], runs: int = 3) -> float:
    """Best CPU seconds of ``runs`` calls (one warm-up call first)."""
    fn()
    out = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out = min(out, time.process_time() - t0)
    return out


def pdf_rows(name: str, data: bytes) -> None:
    import pdfplumber
    from pdfminer.high_level import extract_text

    from gxnianbao.read.pdf import read_pdf

    doc = read_pdf(data, name=name, limits=DEFAULT_LIMITS)
    pages = doc.pages or 1

    def ours() -> None:
        parse_document(read_pdf(data, name=name, limits=DEFAULT_LIMITS))

    def reader_only() -> None:
        read_pdf(data, name=name, limits=DEFAULT_LIMITS)

    def plumber() -> None:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_tables()

    def text() -> None:
        extract_text(io.BytesIO(data))

    def text_raw() -> None:
        extract_text(io.BytesIO(data), laparams=None)

    rows = [
        ("gxnianbao read_pdf + parse_document", best(ours)),
        ("gxnianbao read_pdf alone", best(reader_only)),
        ("pdfplumber extract_tables()", best(plumber)),
        ("pdfminer extract_text() (floor)", best(text)),
        ("pdfminer extract_text(laparams=None)", best(text_raw)),
    ]
    floor = rows[3][1]
    print(f"\n{name}: {len(data) // 1024} KB, {pages} pages")
    for label, secs in rows:
        print(
            f"  {label:40s} {secs * 1000:8.1f} ms/doc {secs * 1000 / pages:7.1f} ms/page"
            f"  {secs / floor:5.2f}x floor"
        )


def other_rows(label: str, fn: Callable[[], object], pages: str = "") -> None:
    secs = best(fn, runs=5)
    print(f"  {label:40s} {secs * 1000:8.1f} ms/doc {pages}")


def main() -> None:
    huaian = SHARED / "corpus" / "huaian-2024.pdf"
    if huaian.exists():
        pdf_rows("huaian-2024.pdf (WPS export)", huaian.read_bytes())
    else:
        print(f"({huaian} not found: the real PDF is skipped)")
    for fixture in ("basic-large.pdf", "template-filled.pdf"):
        path = PDF_FIXTURES / fixture
        if path.exists():
            pdf_rows(f"{fixture} (LibreOffice)", path.read_bytes())

    from docxgen import build_docx
    from make_pdf_fixtures import make_report

    r = make_report(2, big=True)
    data = build_docx(r, seed=1)
    print("\ngenerated report (make_pdf_fixtures seed 2) as DOCX and HTML:")
    try:
        from gxnianbao.read.docx import read_docx
    except ImportError:
        print("  (gxnianbao.read.docx not there yet)")
    else:
        other_rows(
            "read_docx + parse_document",
            lambda: parse_document(read_docx(data, name="gen.docx", limits=DEFAULT_LIMITS)),
        )
    try:
        from gxnianbao.read.html import read_html
    except ImportError:
        print("  (gxnianbao.read.html not there yet)")
        return
    try:
        from htmlgen import render_html
    except ImportError:
        print("  (tests/htmlgen.py not there: no generated web page)")
    else:
        page = render_html(r)
        other_rows(
            "read_html + parse_document (htmlgen)",
            lambda: parse_document(read_html(page, name="gen.html", limits=DEFAULT_LIMITS)),
        )
    if shutil.which("soffice") is None:
        print("  (soffice not found: no HTML made from the DOCX)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "gen.docx")
        src.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "html", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        html = Path(tmp, "gen.html").read_bytes()
    other_rows(
        "read_html + parse_document (LibreOffice)",
        lambda: parse_document(read_html(html, name="gen.html", limits=DEFAULT_LIMITS)),
    )


if __name__ == "__main__":
    main()
