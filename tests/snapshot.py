"""The behaviour snapshot: ``to_dict()`` and ``validate()`` of every input the tests know.

A redesign must leave it byte-identical.  ``tests/golden/snapshot.json`` keeps one SHA-256 per
case; to see what changed, dump the full outputs of two commits and diff them::

    python tests/snapshot.py dump /tmp/after       # in the working tree
    python tests/snapshot.py update                # only when a change of output is intended

Cases: the text fixtures, every document fixture (DOCX, HTML, PDF), the shared seeds and corpus
when present, and a fixed set of generated reports (both templates, with and without blank and
``/`` cells) in every text layout, plain and perturbed, and as HTML and DOCX.
"""

from __future__ import annotations

import enum
import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import FIXTURES, GOLDEN, ROOT, SHARED

import gxnianbao

SNAPSHOT = GOLDEN / "snapshot.json"

Case = tuple[str, Callable[[], gxnianbao.Report]]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"D{value}"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


def outcome(make: Callable[[], gxnianbao.Report]) -> str:
    """The canonical JSON of one case: the report and its findings, or the error raised."""
    try:
        report = make()
    except gxnianbao.GxnianbaoError as exc:
        # Where the checkout and the shared material are differs between machines.
        message = str(exc).replace(str(SHARED), "<shared>").replace(str(ROOT), "<root>")
        return json.dumps({"error": type(exc).__name__, "message": message}, ensure_ascii=False)
    findings = gxnianbao.validate(report, include_passed=True)
    data = {"report": report.to_dict(), "findings": [_plain(f) for f in findings]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, default=str)


def _file_case(path: Path) -> Callable[[], gxnianbao.Report]:
    """A file parsed as without the OCR extra: what OCR reads depends on the engine's version,
    so a scan's case records the typed error (``tests/test_ocr*.py`` test the OCR reader)."""

    def make() -> gxnianbao.Report:
        with mock.patch("gxnianbao.read.ocr.available.ocr_available", return_value=False):
            return gxnianbao.parse_file(path)

    return make


def _text_case(text: str) -> Callable[[], gxnianbao.Report]:
    return lambda: gxnianbao.parse_report(text)


def _perturbed(rng: random.Random, layout: str) -> Any:
    import reportgen

    flags = {name: rng.random() < 0.5 for name in reportgen.PERTURBATIONS}
    markers = [m for m in reportgen.NA_MARKERS if not (layout == "markdown" and m in ("-", "--"))]
    return reportgen.Style(seed=rng.randrange(2**32), na_marker=rng.choice(markers), **flags)


def _generated() -> Iterator[tuple[str, Any, str]]:
    """(name, GenReport, template) for a fixed set of seeds, with and without gaps."""
    import reportgen

    for seed in range(6):
        for template in ("2021", "2019"):
            rng = random.Random(f"{seed}-{template}")
            shape = reportgen.SHAPES[template]
            derived = reportgen.derived_keys(template)  # type: ignore[arg-type]
            values: dict[Any, Any] = {}
            for key in shape.all_keys:
                if key not in derived:
                    values[key] = rng.randint(0, 3 if key[1] == "carried_over" else 60)
            values[shape.money_key] = Decimal(rng.randint(0, 99999)) / 100
            fee = Decimal(rng.randint(0, 500)) if seed % 3 else None
            issuer = rng.choice(reportgen.DISTRICTS) + "人民政府"
            plain = reportgen.build_report(
                issuer,
                2020 + seed % 3,
                fee,
                values,
                template=template,  # type: ignore[arg-type]
            )
            yield f"gen-{template}-{seed}", plain, template
            keys = rng.sample(list(shape.all_keys), 8)
            gaps = {
                k: ("na" if k in reportgen._NO_LEADING_BLANK else rng.choice(["blank", "na"]))
                for k in keys
            }
            yield f"gen-{template}-{seed}-gaps", attrs.evolve(plain, gaps=gaps), template


def cases() -> Iterator[Case]:
    """Every snapshot case, in a fixed order."""
    for path in sorted(FIXTURES.glob("*.txt")):
        yield f"fixture/{path.name}", _file_case(path)
    for sub, pattern in (("docx", "*.docx"), ("html", "*.html"), ("pdf", "*.pdf")):
        for path in sorted((FIXTURES / sub).glob(pattern)):
            yield f"fixture/{sub}/{path.name}", _file_case(path)
    if (SHARED / "seeds").is_dir():
        for path in sorted((SHARED / "seeds").glob("*.txt")):
            yield f"shared/seeds/{path.name}", _file_case(path)
        for path in sorted((SHARED / "corpus").glob("*")):
            yield f"shared/corpus/{path.name}", _file_case(path)

    import docxgen
    import htmlgen
    import reportgen

    for name, r, template in _generated():
        rng = random.Random(name)
        for layout in reportgen.LAYOUTS:
            if layout == "scrape" and r.gaps:
                continue  # a scrape cannot show an empty cell
            text = reportgen.render(layout, r, reportgen.Style(seed=rng.randrange(2**32)))
            yield f"{name}/{layout}", _text_case(text)
            text = reportgen.render(layout, r, _perturbed(rng, layout))
            yield f"{name}/{layout}-perturbed", _text_case(text)
        page = htmlgen.HtmlStyle(
            seed=rng.randrange(2**32),
            encoding=rng.choice(htmlgen.ENCODINGS),
            word_cells=rng.random() < 0.5,
            br_labels=rng.random() < 0.5,
            omit_end_tags=rng.random() < 0.5,
        )
        html = htmlgen.render_html(r, page=page)
        yield f"{name}/html", lambda data=html: gxnianbao.parse_file(data, kind="html")
        if template == "2021":
            docx = docxgen.build_docx(r, seed=rng.randrange(100))
            yield f"{name}/docx", lambda data=docx: gxnianbao.parse_file(data, kind="docx")


def digests() -> dict[str, str]:
    return {
        name: hashlib.sha256(outcome(make).encode("utf-8")).hexdigest() for name, make in cases()
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        SNAPSHOT.write_text(json.dumps(digests(), indent=1) + "\n", encoding="utf-8")
        return 0
    if argv[:1] == ["dump"] and len(argv) == 2:
        out = Path(argv[1])
        for name, make in cases():
            target = out / f"{name}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(outcome(make), encoding="utf-8")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
