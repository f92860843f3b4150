"""The five real seeds, re-laid-out in every layout of issue 11 and damaged: never a wrong
number, and at least 97% of all cells read per layout.

Why: issue 11's first measure.  Each seed is parsed (its parse is checked cell by cell against
a golden file in test_seeds.py), turned back into a generated report (``scoring.report_to_gen``:
what the parse could not read becomes a ``/`` cell), rendered in each new layout
(``tests/layouts.py``) or in an old layout with a damage (``tests/damage.py``), and parsed
again.  The seeds are read in place from ``$GXNIANBAO_SHARED/seeds``, never copied.

The read-rate test of run-together digits is ``xfail``, with why.
"""

from __future__ import annotations

import random
import sys
from functools import cache
from pathlib import Path

import pytest
from conftest import SEEDS, shared_path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from damage import DAMAGES
from layouts import NEW_LAYOUTS
from reportgen import GAP_LAYOUTS, LAYOUTS, GenReport, Style, render
from scoring import Score, report_to_gen, score, total

import gxnianbao

RENDERS = 4
"""Renders of each seed per layout or damage (each with its own random choices)."""
READ_RATE = 0.97

KINDS = [*NEW_LAYOUTS, *(f"damage:{name}" for name in DAMAGES)]


@cache
def _seed_reports() -> tuple[tuple[str, GenReport], ...]:
    shared_path("seeds")
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        report = gxnianbao.parse_report(path.read_text(encoding="utf-8"))
        out.append((path.name[:3], report_to_gen(report)))
    return tuple(out)


def _render(kind: str, r: GenReport, rng: random.Random) -> str | None:
    if kind in NEW_LAYOUTS:
        return NEW_LAYOUTS[kind](r, rng)
    layout = rng.choice(GAP_LAYOUTS if r.gaps else LAYOUTS)
    text = render(layout, r, Style(seed=rng.randrange(2**32)))
    out = DAMAGES[kind.removeprefix("damage:")](text, rng)
    return None if out == text else out


@cache
def _scores(kind: str) -> tuple[tuple[str, int, Score], ...]:
    out = []
    for seed_id, r in _seed_reports():
        for k in range(RENDERS):
            text = _render(kind, r, random.Random(f"{seed_id}-{k}"))
            if text is not None:
                out.append((seed_id, k, score(gxnianbao.parse_report(text), r, text)))
    return tuple(out)


def _rate_mark(kind: str) -> list[pytest.MarkDecorator]:
    if kind != "flattened_glued":
        return []
    reason = (
        "a glued table 2 row has no identity that proves its split, and a glued table 3 row "
        "may hide an empty cell: such rows stay ambiguous"
    )
    return [pytest.mark.xfail(reason=reason, strict=False)]


def test_every_seed_becomes_a_report() -> None:
    seeds = _seed_reports()
    assert len(seeds) == 5
    for seed_id, r in seeds:
        assert len(r.cells) == len(r.keys()), seed_id
        # Every seed reads nearly in full: few cells became `/` for not being read.
        assert len(r.gaps) <= 30, (seed_id, len(r.gaps))


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_wrong_number(kind: str) -> None:
    wrong = [f"seed {seed_id} render {k}: {w}" for seed_id, k, s in _scores(kind) for w in s.wrong]
    assert not wrong, f"{len(wrong)} wrong number(s):\n" + "\n".join(wrong[:20])


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_rate_mark(k)) for k in KINDS])
def test_read_rate(kind: str) -> None:
    scores = _scores(kind)
    assert scores, f"{kind}: nothing rendered"
    overall = total(s for _, _, s in scores)
    assert overall.rate >= READ_RATE, (
        f"{kind}: {overall.right} of {overall.cells} cells read ({overall.rate:.1%}), "
        f"{overall.unknown} unknown, {len(overall.wrong)} wrong"
    )
