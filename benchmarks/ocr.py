"""OCR speed: seconds per page, by stage, against a yardstick measured in the same run.

Why a yardstick: the machine is shared, so absolute seconds say little; pdfminer's
``extract_text`` of the same PDF (its text layer) is measured alongside, and the ratio says
how much dearer reading a scan is than reading text.  Peak memory of the whole run (the
largest the process grew, ``ru_maxrss``) shows the per-page bound.

Run: ``python benchmarks/ocr.py [PDF ...] [--dpi 200] [--repeat 1]``.  Each PDF (default: the
fixture ``tests/fixtures/pdf/basic-small.pdf``, and ``$GXNIANBAO_SHARED/corpus/huaian-2024.pdf``
where present) is made into a scan (``tests/make_scans.py``: stamped, turned, grain), read by
:func:`gxnianbao.read.ocr.read_scanned_pdf` with stage timings (render, preprocess,
recognise, layout) and parsed (bind: ``parse_document``); prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from make_scans import pdf_bytes, scan_page  # noqa: E402

from gxnianbao.limits import DEFAULT_LIMITS  # noqa: E402
from gxnianbao.parse import parse_document  # noqa: E402
from gxnianbao.read.ocr.engine import default_engine  # noqa: E402
from gxnianbao.read.ocr.reader import read_scanned_pdf  # noqa: E402


def _defaults() -> list[Path]:
    out = [ROOT / "tests" / "fixtures" / "pdf" / "basic-small.pdf"]
    shared = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared"))
    corpus = shared / "corpus" / "huaian-2024.pdf"
    if corpus.exists():
        out.append(corpus)
    return out


def _yardstick(path: Path, repeat: int) -> float:
    from pdfminer.high_level import extract_text

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        extract_text(str(path))
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--dpi", type=float, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    default_engine()
    print(f"engine loaded in {time.perf_counter() - start:.2f} s")
    for path in args.pdfs or _defaults():
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        n = len(doc)
        doc.close()
        scans = [scan_page(path, i, dpi=args.dpi, angle=1.0, seed=i) for i in range(n)]
        data = pdf_bytes(scans, args.dpi)
        yard = _yardstick(path, args.repeat)
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            stages: dict[str, float] = {}
            doc_read = read_scanned_pdf(data, name=path.name, limits=DEFAULT_LIMITS, timings=stages)
            t = time.perf_counter()
            parse_document(doc_read)
            stages["bind"] = time.perf_counter() - t
            stages["total"] = sum(stages.values())
            if not best or stages["total"] < best["total"]:
                best = stages
        per_page = {k: v / n for k, v in best.items()}
        print(f"{path.name}: {n} pages, scan {len(data) // 1024} KB at {args.dpi:.0f} dpi")
        print("  s/page  " + "  ".join(f"{k} {v:.2f}" for k, v in per_page.items()))
        print(f"  yardstick pdfminer extract_text: {yard / n:.3f} s/page; "
              f"OCR is {best['total'] / yard:.0f}x the yardstick")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
