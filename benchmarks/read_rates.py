"""Read rates of the new layouts and damages of issue 11: right, unknown and wrong cells.

For each new layout (``tests/layouts.py``) and each damage (``tests/damage.py`` applied to the
four old layouts), ``--n`` generated reports (seeded, both templates) are rendered, parsed back
with ``gxnianbao.parse_report`` and scored against their truth (``tests/scoring.py``); then the
five real seeds (``$GXNIANBAO_SHARED/seeds``), re-laid-out in every layout and damaged, the same
way.  Printed per row: inputs, cells, right %, unknown %, wrong cells, inputs with a wrong
number, numbers in no cell and no diagnostic (damage rows), and CPU time per parse against a
yardstick measured on the same texts in the same run (one ``regex`` pass finding every number),
so that figures from a loaded machine compare.  Then, per row, the three smallest inputs with a
wrong number: key, truth, got and the line the number was read from.

Run from the project root: ``python benchmarks/read_rates.py [--n 200] [--seed 0]``.  It prints
figures; it does not pass or fail.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import gxnianbao

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from damage import DAMAGES, table_region_offsets  # noqa: E402
from layouts import (  # noqa: E402
    NEW_LAYOUTS,
    NO_BLANKS,
    Cell,
    Piece,
    Table,
    glue_rows,
    random_report,
    render_flattened_spaced,
    skeleton,
)
from layouts import Row as LRow  # noqa: E402
from reportgen import GAP_LAYOUTS, LAYOUTS, PERTURBATIONS, GenReport, Style, render  # noqa: E402
from scoring import Score, WrongCell, lost_numbers, report_to_gen, score  # noqa: E402

_YARDSTICK = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
SHARED = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared"))


def yardstick(text: str) -> int:
    """One regex pass over the text: the cheapest thing a reader of numbers could do."""
    return len(_YARDSTICK.findall(text))


def cpu(fn: Callable[[], object], repeat: int = 1) -> float:
    """CPU seconds of one call of ``fn`` (averaged over ``repeat`` calls)."""
    t0 = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - t0) / repeat


class Row:
    """The figures of one layout or damage."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.inputs = 0
        self.total = Score(0, 0, ())
        self.with_wrong = 0
        self.lost = 0
        self.inputs_lost = 0
        self.parse_cpu: list[float] = []
        self.regex_cpu: list[float] = []
        self.examples: list[tuple[int, str, tuple[WrongCell, ...]]] = []
        self.failures: list[str] = []

    def add(self, r: GenReport, text: str, *, count_lost: bool) -> None:
        self.inputs += 1
        try:
            report = gxnianbao.parse_report(text)
        except Exception as err:
            self.failures.append(f"{type(err).__name__}: {err}"[:200])
            return
        self.parse_cpu.append(cpu(lambda: gxnianbao.parse_report(text)))
        self.regex_cpu.append(cpu(lambda: yardstick(text), repeat=20))
        s = score(report, r, text)
        self.total = self.total + Score(s.right, s.unknown, ())
        if s.wrong:
            self.total = self.total + Score(0, 0, s.wrong)
            self.with_wrong += 1
            self.examples.append((len(text), text, s.wrong))
        if count_lost:
            start, end = table_region_offsets(text)
            lost = lost_numbers(report, text, start, end)
            self.lost += len(lost)
            self.inputs_lost += bool(lost)

    def line(self, count_lost: bool) -> str:
        cells = self.total.cells or 1
        parse = statistics.median(self.parse_cpu) * 1000 if self.parse_cpu else float("nan")
        regex = statistics.median(self.regex_cpu) * 1000 if self.regex_cpu else float("nan")
        lost = f"{self.lost:>6} {self.inputs_lost:>5}" if count_lost else f"{'':>6} {'':>5}"
        values = sum(w.kind == "value" for w in self.total.wrong)
        hidden = sum(w.kind == "inferred_hidden" for w in self.total.wrong)
        crashed = f"  crashes: {len(self.failures)}" if self.failures else ""
        return (
            f"{self.name:<28} {self.inputs:>6} {self.total.cells:>7} "
            f"{100 * self.total.right / cells:>7.1f} {100 * self.total.unknown / cells:>7.1f} "
            f"{len(self.total.wrong):>6} {values:>6} {hidden:>6} {self.with_wrong:>6} {lost} "
            f"{parse:>8.2f} {regex:>8.3f} {parse / regex:>7.0f}x{crashed}"
        )


HEADER = (
    f"{'layout / damage':<28} {'inputs':>6} {'cells':>7} {'right%':>7} {'unkn%':>7} "
    f"{'wrong':>6} {'w.val':>6} {'w.hid':>6} {'w.inp':>6} {'lost':>6} {'l.inp':>5} {'parse ms':>8} "
    f"{'regex ms':>8} {'ratio':>8}"
)


def print_table(title: str, rows: list[Row], *, lost_for: Callable[[str], bool]) -> None:
    print(f"\n== {title}")
    print(HEADER)
    for row in rows:
        print(row.line(lost_for(row.name)))


def print_examples(rows: list[Row]) -> None:
    for row in rows:
        if not row.examples and not row.failures:
            continue
        print(f"\n-- {row.name}: smallest inputs with a wrong number")
        for size, _, wrong in sorted(row.examples, key=lambda e: e[0])[:3]:
            print(f"  input of {size} characters, {len(wrong)} wrong cell(s):")
            for cell in wrong[:3]:
                print(f"    {cell}")
        for failure in row.failures[:3]:
            print(f"  crash: {failure}")


def generated_inputs(n: int, seed: int, blanks: bool) -> Iterator[tuple[random.Random, GenReport]]:
    """``n`` seeded reports, alternating the two templates."""
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        template = "2019" if i % 4 == 3 else "2021"
        yield rng, random_report(rng, template, blanks=blanks)  # type: ignore[arg-type]


def old_style(rng: random.Random) -> Style:
    flags = {name: rng.random() < 0.3 for name in PERTURBATIONS} if rng.random() < 0.5 else {}
    return Style(seed=rng.randrange(2**32), **flags)


def damaged_input(rng: random.Random, r: GenReport, damage: str) -> str | None:
    layouts = GAP_LAYOUTS if r.gaps else LAYOUTS
    text = render(rng.choice(layouts), r, old_style(rng))
    out = DAMAGES[damage](text, rng)
    return None if out == text else out


def seed_reports() -> list[tuple[str, GenReport]]:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        print(f"\n(no seeds at {seeds}: set GXNIANBAO_SHARED)")
        return []
    out = []
    for path in sorted(seeds.glob("*.txt")):
        report = gxnianbao.parse_report(path.read_text(encoding="utf-8"))
        out.append((path.name[:3], report_to_gen(report)))
    return out


def adversarial_inputs(seed: int) -> Iterator[tuple[str, str]]:
    """(name, text): long digit runs where a row's glued numbers would be, and flattened pages
    run on for ever: the split search and the label scan must stay bounded."""
    rng = random.Random(seed)
    r = random_report(rng, "2021", gaps=False)
    pieces = glue_rows(skeleton(r, rng), rng, p=1.0)
    for digits in (25, 50, 100, 200, 400):
        glued: list[Piece] = []
        for piece in pieces:
            if isinstance(piece, Table):
                rows = []
                for row in piece.rows:
                    if len(row.values) == 1 and row.values[0].key is None:
                        run = "".join(rng.choice("0123456789") for _ in range(digits))
                        rows.append(LRow((*row.labels, Cell(run, "value")), row.row))
                    else:
                        rows.append(row)
                piece = Table(piece.part, tuple(rows))
            glued.append(piece)
        text = "".join(p if isinstance(p, str) else _flat(p) for p in glued)
        yield f"glued runs of {digits} digits", text
    page = render_flattened_spaced(r, random.Random(seed)).split("==== 正文 ====\n")[-1]
    page = page.replace("\n", " ")
    for times in (1, 4, 16, 64):
        yield f"flattened page x{times}", " ".join([page] * times)


def _flat(table: Table) -> str:
    return "".join(c.text for row in table.rows for c in row.cells)


def print_bounded(seed: int) -> None:
    print("\n== bounded: adversarial inputs (CPU per parse, and per 1,000 characters)")
    print(
        f"{'input':<28} {'chars':>8} {'parse ms':>9} {'ms/kchar':>9} {'regex ms':>9} {'ratio':>7}"
    )
    inputs = list(adversarial_inputs(seed))
    gxnianbao.parse_report(inputs[0][1])  # warm the caches: each row times the parse alone
    for name, text in inputs:
        parse = cpu(lambda: gxnianbao.parse_report(text), repeat=3)  # noqa: B023 - called at once
        regex = cpu(lambda: yardstick(text), repeat=20)  # noqa: B023 - called at once
        print(
            f"{name:<28} {len(text):>8} {parse * 1000:>9.2f} "
            f"{parse * 1e6 / len(text):>9.3f} {regex * 1000:>9.3f} {parse / regex:>6.0f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="generated reports per row")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--renders", type=int, default=8, help="renders of each seed per row")
    parser.add_argument("--only", default="", help="comma-separated layouts/damages to run")
    args = parser.parse_args()
    only = {x for x in args.only.split(",") if x}
    layouts = [name for name in NEW_LAYOUTS if not only or name in only]
    damages = [name for name in DAMAGES if not only or name in only]

    def is_damage(name: str) -> bool:
        return name.split(" ")[0] in DAMAGES

    t0 = time.process_time()
    rows: list[Row] = []
    for name in layouts:
        row = Row(name)
        for rng, r in generated_inputs(args.n, args.seed, blanks=name not in NO_BLANKS):
            row.add(r, NEW_LAYOUTS[name](r, rng), count_lost=False)
        rows.append(row)
    for name in damages:
        row = Row(name)
        for rng, r in generated_inputs(args.n, args.seed, blanks=True):
            text = damaged_input(rng, r, name)
            if text is not None:
                row.add(r, text, count_lost=True)
        rows.append(row)
    print_table(f"generated reports ({args.n} per row, seed {args.seed})", rows,
                lost_for=is_damage)  # fmt: skip

    seed_rows: list[Row] = []
    seeds = seed_reports()
    if seeds:
        for name in layouts:
            row = Row(name)
            for sid, r in seeds:
                for k in range(args.renders):
                    rng = random.Random(f"{args.seed}-{sid}-{k}")
                    row.add(r, NEW_LAYOUTS[name](r, rng), count_lost=False)
            seed_rows.append(row)
        for name in damages:
            row = Row(name)
            for sid, r in seeds:
                for k in range(args.renders):
                    rng = random.Random(f"{args.seed}-{sid}-{k}")
                    text = damaged_input(rng, r, name)
                    if text is not None:
                        row.add(r, text, count_lost=True)
            seed_rows.append(row)
        print_table(f"the {len(seeds)} seeds re-laid-out ({args.renders} renders each per row)",
                    seed_rows, lost_for=is_damage)  # fmt: skip
    print(
        "\nright/unkn: % of template cells; wrong: cells with a wrong number or status (w.val: "
        "of them a number for another number; w.hid: an inference, for a blank or `/` cell, of "
        "the number the generator hides behind it; the rest a number for a blank or `/`, or the "
        "reverse); w.inp: inputs with one; lost/l.inp: numbers of the table region in no cell "
        "and no diagnostic (damage rows); parse/regex ms: median CPU per input; ratio: parse "
        "/ regex pass."
    )
    print_examples(rows)
    if seed_rows:
        print("\n(seeds)")
        print_examples(seed_rows)
    if not only:
        print_bounded(args.seed)
    print(f"\ntotal CPU {time.process_time() - t0:.1f} s")


if __name__ == "__main__":
    main()
