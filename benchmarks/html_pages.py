"""The HTML reader against its yardstick: ``lxml.html`` parsing the page and walking it.

Issue 13's goal: ``read_html`` within 1.5x of the yardstick, "``lxml.html.fromstring(page)`` and
a visit of every element (its tag, text and tail)" – the least any reader built on lxml does –
measured on the same pages in the same run (calls interleaved, medians of CPU time), so that a
loaded machine slows both alike.  Also printed: the hand-written tokenizer (``engine="tokens"``,
now the fallback), where the time goes (``--stages``), and how long hostile pages take (each
must end in a Document or a typed error, fast).

Pages: the HTML fixtures, generated report pages in several styles (``tests/htmlgen.py``) and
one generated large page (twenty reports' tables, about 1 MB).  Run from the project root:
``python benchmarks/html_pages.py [--runs 15] [--stages]``.  It prints figures; it does not pass or
fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, this file's folder comes first on sys.path, and its name would hide the
# standard library's ``html`` module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import lxml.html  # noqa: E402

ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from htmlgen import HtmlStyle, render_html  # noqa: E402
from test_roundtrip import WORKED  # noqa: E402

from gxnianbao.errors import UnreadableDocument  # noqa: E402
from gxnianbao.read.html import read_html  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "html"


def yardstick(data: bytes) -> int:
    """``lxml.html`` parses the page; every element's tag, text and tail are looked at."""
    root = lxml.html.fromstring(data)
    n = 0
    for el in root.iter():
        el.tag, el.text, el.tail  # noqa: B018
        n += 1
    return n


def pages() -> dict[str, bytes]:
    out = {p.name: p.read_bytes() for p in sorted(FIXTURES.glob("*.html"))}
    styles = {
        "gen-plain": HtmlStyle(seed=1),
        "gen-gbk-chrome": HtmlStyle(seed=2, encoding="gbk", meta="http-equiv", chrome=True),
        "gen-word-cells": HtmlStyle(seed=4, word_cells=True, layout_table=True, br_labels=True),
        "gen-unclosed": HtmlStyle(seed=5, omit_end_tags=True, th_headers=True, entities=True),
    }
    for name, style in styles.items():
        out[name] = render_html(WORKED, page=style)
    out["gen-large"] = large_page()
    return out


def large_page(reports: int = 20) -> bytes:
    """One page holding the bodies of ``reports`` generated report pages (about 1 MB)."""
    bodies = []
    for seed in range(reports):
        page = render_html(WORKED, page=HtmlStyle(seed=seed, word_cells=seed % 2 == 0))
        text = page.decode("utf-8")
        start, end = text.find("<body"), text.rfind("</body>")
        bodies.append(text[text.find(">", start) + 1 : end])
    return ("<html><body>" + "\n".join(bodies) + "</body></html>").encode("utf-8")


def cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def interleaved(fns: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median CPU seconds of each function, the calls taken in turn (one warm-up each)."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            times[name].append(cpu(fn))
    return {name: statistics.median(ts) for name, ts in times.items()}


def stage_fns(data: bytes) -> dict[str, Callable[[], object]]:
    """The reader's stages one by one (private functions: for this breakdown only)."""
    from lxml import etree

    from gxnianbao.limits import DEFAULT_LIMITS
    from gxnianbao.read import html as reader
    from gxnianbao.read.html_lxml import LineTreeBuilder, _parser, walk_page
    from gxnianbao.read.html_tree import to_blocks

    text, _ = reader.decode_html(data)
    builder = LineTreeBuilder(text, "x", DEFAULT_LIMITS)
    walk_page(text, builder, DEFAULT_LIMITS)
    protos = builder.finish()

    def walk() -> None:
        walk_page(text, LineTreeBuilder(text, "x", DEFAULT_LIMITS), DEFAULT_LIMITS)

    return {
        "decode": lambda: reader.decode_html(data),
        "check": lambda: reader._check_textual(text, "x"),
        "lxml parse": lambda: etree.fromstring(text.encode("utf-8"), _parser()),
        "parse+walk": walk,
        "blocks": lambda: to_blocks(protos),
    }


HOSTILE: dict[str, bytes] = {
    "10,000 nested tables": b"<table><tr><td>" * 10_000 + b"x",
    "30,000 nested inline": b"<span><font><b>" * 30_000 + b"deep",
    "300 nested divs": b"<div>" * 300 + b"x",
    "<!-- x 50,000": b"<!--" * 50_000,
    "<a x 50,000": b"<a" * 50_000,
    "open quote": b'<p title="' + b"x>" * 50_000,
    "1,000,000 <p>": b"<html><body>" + b"<p>1" * 1_000_000,
    "99,000 <td>": b"<table><tr>" + b"<td>1" * 99_000 + b"</table>",
    "4,000,000 attributes": b"<html><body><p " + b"a " * 4_000_000 + b">x</p>",
    "80,000 distinct attrs": b"<p " + " ".join(f"a{i}=1" for i in range(80_000)).encode() + b">",
    "span bomb": b"<table><tr>" + b'<td colspan="1000" rowspan="65534">x' * 300 + b"</table>",
    "entities": b"<p>" + b"&#" * 50_000 + b"&" * 50_000,
    "10 MB text": b"<p>" + "政务公开".encode() * 900_000,
}


def hostile() -> None:
    print("\nhostile pages (one read each, CPU seconds):")
    for name, data in HOSTILE.items():
        t0 = time.process_time()
        try:
            doc = read_html(data, name="x.html")
        except UnreadableDocument as err:
            outcome = f"{type(err).__name__}: {str(err)[:70]}"
        else:
            outcome = f"Document of {len(doc.blocks)} blocks"
        seconds = time.process_time() - t0
        print(f"  {name:<22} {len(data) / 1e6:6.2f} MB {seconds:6.3f} s  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--stages", action="store_true", help="where the time goes")
    parser.add_argument("--no-hostile", action="store_true")
    args = parser.parse_args()
    print("read_html against lxml.html.fromstring + a walk of every element (medians, CPU):")
    print(f"  {'page':<22} {'KB':>6} {'yardstick':>10} {'read_html':>10} {'ratio':>6}", end="")
    print(f" {'tokens':>7}")
    ratios = []
    for name, data in pages().items():
        runs = max(3, args.runs // 5) if len(data) > 500_000 else args.runs
        t = interleaved(
            {
                "yard": lambda d=data: yardstick(d),
                "ours": lambda d=data: read_html(d),
                "tokens": lambda d=data: read_html(d, engine="tokens"),
            },
            runs,
        )
        ratio = t["ours"] / t["yard"]
        ratios.append(ratio)
        print(
            f"  {name:<22} {len(data) / 1024:6.0f} {t['yard'] * 1e3:8.2f}ms"
            f" {t['ours'] * 1e3:8.2f}ms {ratio:5.2f}x {t['tokens'] / t['yard']:6.2f}x"
        )
        if args.stages:
            stages = interleaved({"yard": lambda d=data: yardstick(d), **stage_fns(data)}, runs)
            shares = [f"{k} {v / stages['yard']:.2f}x" for k, v in stages.items() if k != "yard"]
            print("      " + "  ".join(shares))
    print(f"  median ratio {statistics.median(ratios):.2f}x (goal: within 1.5x)")
    if not args.no_hostile:
        hostile()


if __name__ == "__main__":
    main()
