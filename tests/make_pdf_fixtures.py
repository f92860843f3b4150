"""Make the PDF fixtures of tests/fixtures/pdf/ as governments make theirs: Word -> LibreOffice.

Why committed files: LibreOffice takes seconds per document and its output depends on its
version and fonts; tests must not need it.  Run ``python tests/make_pdf_fixtures.py`` (needs
``soffice``; ``qpdf`` for the encrypted and the no-ToUnicode fixtures, ImageMagick's
``convert`` for the scan) to remake them; each ``NAME.pdf`` gets a ``NAME.expected.json``
holding every cell's status and value, issuer, year and 信息处理费.

Reports are built deterministically: numbers drawn with ``random.Random(seed)`` and passed to
:func:`reportgen.build_report` (which derives every total), gaps chosen the same way, so a
rerun remakes the same reports (Hypothesis' ``example()`` is not reproducible).

Hostile fixtures made here as well:

- ``encrypted.pdf``: ``qpdf --encrypt user owner 256 -- basic-small.pdf encrypted.pdf``
  (a user password, so it cannot be opened with an empty one);
- ``owner-password.pdf``: the same with only an owner password, printing and copying "not
  allowed" (``qpdf --encrypt "" owner 256 --print=none --extract=n``): it opens, so it is read;
- ``scanned.pdf``: a page rendered to a PNG and wrapped back into a PDF by ImageMagick
  (``convert page.png scanned.pdf``): images, no text layer;
- ``no-tounicode-digits.pdf``: ``basic-small.pdf`` with the ``/ToUnicode`` entry of its digit
  font (DejaVu Serif) renamed (``qpdf --qdf``, rename, ``fix-qdf``, ``qpdf`` again): labels
  read, digits have no Unicode mapping;
- ``no-tounicode-all.pdf``: a one-line PDF with no font's map left.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import docx.shared
import regex
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from docxgen import build_docx, fill_template  # noqa: E402
from reportgen import (  # noqa: E402
    ALL_KEYS,
    APP_COLUMNS,
    APPLICANTS,
    COUNTIES,
    DEPARTMENTS,
    DISTRICTS,
    FEE_KEY,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    SHAPES,
    TABLE2_ROWS,
    GenReport,
    build_report,
    iter_cells,
)

OUT = HERE / "fixtures" / "pdf"
SHARED = Path(os.environ.get("GXNIANBAO_SHARED", HERE.parent.parent / "shared"))
TEMPLATE = SHARED / "corpus" / "template-2021.docx"
RESULT_ROWS_INPUT = SHAPES["2021"].result_rows
"""Table 3's rows whose cells build_report takes (besides 二 and 四)."""


def _count(rng: random.Random, big: bool) -> int:
    """Mostly zeros and small numbers, like real reports; 5–6 digit ones when ``big``."""
    n = rng.randrange(210)
    if n < 110:
        return 0
    if n < 190:
        return n - 109 if n < 170 else (n - 160) * 10
    return rng.randrange(10_000, 1_000_000) if big else n - 189


def make_report(seed: int, *, big: bool = False, gaps: int = 0, whole_row: bool = False,
                fee: Decimal | None = Decimal(0)) -> GenReport:  # fmt: skip
    """A valid 2021 report drawn from ``seed``; ``gaps`` cells (and perhaps a whole table 3
    row) written blank or ``/``."""
    rng = random.Random(seed)
    values: dict[tuple[str, str, str], int | Decimal] = {}
    for row, cols in TABLE2_ROWS:
        for col in cols:
            key = ("active_disclosure", row, col)
            if key == FEE_KEY:
                values[key] = Decimal(rng.randrange(0, 10_000_000)).scaleb(-rng.choice([0, 1, 2]))
            else:
                values[key] = _count(rng, big)
    for row in (*RESULT_ROWS_INPUT, "carried_over", "carried_forward"):
        for col in APPLICANTS:
            values[("applications", row, col)] = _count(rng, big)
    for g in OUTCOME_GROUPS:
        for c in OUTCOME_COLUMNS[:4]:
            values[("review_litigation", g, c)] = _count(rng, big)
    # 一 = 总计 + 四 − 二 must not be negative: keep 二 within 总计 + 四.
    for col in APPLICANTS:
        total = sum(int(values[("applications", r, col)]) for r in RESULT_ROWS_INPUT)
        limit = total + int(values[("applications", "carried_forward", col)])
        key = ("applications", "carried_over", col)
        values[key] = min(int(values[key]), limit)
    issuer = rng.choice(
        [rng.choice(DISTRICTS) + rng.choice(DEPARTMENTS), rng.choice(COUNTIES) + "人民政府"]
    )
    gap_map: dict[tuple[str, str, str], str] = {}
    keys = list(ALL_KEYS)
    for key in rng.sample(keys, gaps):
        gap_map[key] = rng.choice(["blank", "na"])
    if whole_row:
        row = rng.choice(RESULT_ROWS_INPUT)
        for col in APP_COLUMNS:
            gap_map[("applications", row, col)] = "blank"
    if ("review_litigation", "review", "upheld") in gap_map:
        gap_map[("review_litigation", "review", "upheld")] = "na"  # see reportgen
    return build_report(
        issuer,
        rng.randrange(2021, 2026),
        fee,
        values,
        gaps=gap_map,  # type: ignore[arg-type]
    )


FIXTURES: dict[str, dict[str, Any]] = {
    "basic-small": {"seed": 1},
    "basic-large": {"seed": 2, "big": True, "fee": Decimal("1250.50")},
    "gaps": {"seed": 3, "gaps": 18},
    "gap-row": {"seed": 4, "gaps": 6, "whole_row": True, "fee": None},
    "repeat-header": {
        "seed": 9,
        "big": True,
        "gaps": 5,
        "template": True,
        "long_intro": True,
        "repeat_header": True,
        "fee": Decimal(300),
    },
    "long-intro": {"seed": 6, "long_intro": True},
    "template-filled": {"seed": 7, "big": True, "template": True, "fee": Decimal(40)},
    "template-gaps": {"seed": 8, "gaps": 12, "template": True, "long_intro": True},
}
"""Fixture name -> how it is made (``template`` ones need ../shared's template-2021.docx)."""


def _lengthen(data: bytes) -> bytes:
    """Repeat part 一's paragraphs before table 2 so that tables 3 and 4 fall across a page
    break somewhere else than in the short version."""
    d = docx.Document(io.BytesIO(data))
    body = d.element.body
    paragraphs = [p for p in body if p.tag == qn("w:p")]
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs]
    heading2 = next(i for i, t in enumerate(texts) if t.startswith("二、"))
    prose = [p for p, t in zip(paragraphs[:heading2], texts[:heading2], strict=True) if len(t) > 40]
    anchor = paragraphs[heading2]
    for _ in range(2):
        for p in prose:
            anchor.addprevious(copy.deepcopy(p))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _repeat_header(data: bytes) -> bytes:
    """Table 3's three header rows marked "repeat as header row" (w:tblHeader): LibreOffice
    draws them again at the top of the next page."""
    d = docx.Document(io.BytesIO(data))
    for row in d.tables[1].rows[:3]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _to_pdf(docx_bytes: bytes, work: Path, name: str) -> bytes:
    """LibreOffice's PDF of a .docx (a private profile, so parallel runs do not clash)."""
    src = work / f"{name}.docx"
    src.write_bytes(docx_bytes)
    profile = work / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(work), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (work / f"{name}.pdf").read_bytes()


def expected(r: GenReport) -> dict[str, Any]:
    """What parsing the fixture must give: every cell, issuer, year, fee."""
    return {
        "issuer": r.issuer,
        "year": r.year,
        "fee": None if r.fee is None else str(r.fee),
        "cells": [
            {"key": ".".join(key), "status": status,
             "value": None if value is None else str(value)}
            for key, status, value in iter_cells(r)
        ],
    }  # fmt: skip


def _no_tounicode(src: Path, dst: Path, work: Path, font: bytes) -> None:
    """``src`` with the /ToUnicode map of the fonts whose name holds ``font`` removed (the key
    renamed, so offsets stay valid): those glyphs have no Unicode mapping any more."""
    qdf = work / "q.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(src), str(qdf)], check=True)
    raw = qdf.read_bytes()
    edited = bytearray()
    pos = 0
    for m in regex.finditer(rb"(?s)\n\d+ 0 obj\n<<.*?>>\nendobj", raw):
        body = m.group()
        if b"/Type /Font" in body and font in body:
            body = body.replace(b"/ToUnicode", b"/ToUnicodX")
        edited += raw[pos : m.start()] + body
        pos = m.end()
    edited += raw[pos:]
    (work / "q2.pdf").write_bytes(bytes(edited))
    with (work / "q3.pdf").open("wb") as fh:
        subprocess.run(["fix-qdf", str(work / "q2.pdf")], check=True, stdout=fh)
    subprocess.run(
        ["qpdf", "--object-streams=disable", "--compress-streams=y", str(work / "q3.pdf"),
         str(dst)],
        check=True,
    )  # fmt: skip


def _docx_of(paragraph: str | None = None, picture: Path | None = None) -> bytes:
    d = docx.Document()
    if paragraph is not None:
        d.add_paragraph(paragraph)
    if picture is not None:
        d.add_picture(str(picture), width=docx.shared.Cm(16))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _scan(src: Path, dst: Path, work: Path) -> None:
    """The first page of ``src`` as a picture in a Word file, converted by LibreOffice: an
    image-only PDF, as a scanner gives."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(src), str(work / "page")],
        check=True,
    )
    page = next(work.glob("page*.png"))
    dst.write_bytes(_to_pdf(_docx_of(picture=page), work, "scanned"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, how in FIXTURES.items():
            how = dict(how)
            template = how.pop("template", False)
            long_intro = how.pop("long_intro", False)
            repeat_header = how.pop("repeat_header", False)
            if template and not TEMPLATE.exists():
                print(f"skipping {name}: {TEMPLATE} not found")
                continue
            r = make_report(how.pop("seed"), **how)
            data = fill_template(r, TEMPLATE, seed=1) if template else build_docx(r, seed=1)
            if repeat_header:
                data = _repeat_header(data)
            if long_intro:
                data = _lengthen(data)
            pdf = OUT / f"{name}.pdf"
            pdf.write_bytes(_to_pdf(data, work, name))  # LibreOffice's output as it is
            (OUT / f"{name}.expected.json").write_text(
                json.dumps(expected(r), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            print(f"{name}: {pdf.stat().st_size} bytes")
        base = OUT / "basic-small.pdf"
        if shutil.which("qpdf"):
            small = work / "small.pdf"
            small.write_bytes(_to_pdf(_docx_of("An encrypted PDF."), work, "small"))
            subprocess.run(
                ["qpdf", "--encrypt", "user", "owner", "256", "--", str(small),
                 str(OUT / "encrypted.pdf")],
                check=True,
            )  # fmt: skip
            subprocess.run(
                ["qpdf", "--encrypt", "", "owner", "256", "--print=none", "--extract=n", "--",
                 str(small), str(OUT / "owner-password.pdf")],
                check=True,
            )  # fmt: skip
            _no_tounicode(base, OUT / "no-tounicode-digits.pdf", work, b"DejaVu")
            _no_tounicode(small, OUT / "no-tounicode-all.pdf", work, b"/Font")
        if shutil.which("pdftoppm"):
            _scan(base, OUT / "scanned.pdf", work)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # only these fixtures (and the hostile ones)
        FIXTURES = {k: v for k, v in FIXTURES.items() if k in sys.argv[1:]}
    main()
