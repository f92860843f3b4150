"""A longer fuzz run over the readers than CI's: damaged real files for as long as you give it.

Why: CI runs a few hundred mutated files (``tests/test_fuzz.py``); a rare crash needs many
thousands.  Each input is a fixture file cut short, byte-flipped, chunk-doubled or spliced with
another (``tests/mutations.py``), parsed with ``parse_file`` and a ``kind=`` (its own,
recognised, or a wrong one), or decoded as text and given to ``parse_report`` (tolerant and
strict).  Anything but a Report or a ``gxnianbao`` error is a failure, and so is an input that
runs past ``--timeout`` seconds or ``--memory-mib`` of address space: the parse runs in a worker
process, killed and replaced when it overruns.  Each failure is saved to ``--out`` (the input
and a JSON line saying what happened); the run prints files/s and the outcomes.

Run: ``python benchmarks/fuzz_readers.py --seconds 600 --seed 1`` from the project root.  The
same seed gives the same inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import random
import resource
import sys
import time
import traceback
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutations import KINDS, SEED_FILES, kind_of, mutate, random_edits  # noqa: E402

import gxnianbao  # noqa: E402


def _outcome(data: bytes, kind: str) -> str:
    """What the library does with one input: ``parse``, an error's class name, or
    ``untyped <Class>: message`` with the traceback (the only outcomes that are failures)."""
    try:
        if kind == "parse_report":
            text = data.decode("utf-8", "replace")
            report = gxnianbao.parse_report(text)
            assert isinstance(report, gxnianbao.Report)
            json.dumps(report.to_dict())
            try:
                gxnianbao.parse_report(text, strict=True)
            except gxnianbao.GxnianbaoError:
                pass
            return "parse"
        report = gxnianbao.parse_file(data, kind=None if kind == "auto" else kind)
        json.dumps(report.to_dict())
        return "parse"
    except gxnianbao.GxnianbaoError as err:
        return type(err).__name__
    except BaseException as err:  # the point: see everything else
        return f"untyped {type(err).__name__}: {err}\n{traceback.format_exc()}"


def _worker(conn: Connection, memory_mib: int) -> None:  # pragma: no cover - in the child
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send("ready")  # the library is imported: the clock of the first input starts now
    while True:
        job = conn.recv()
        if job is None:
            return
        conn.send(_outcome(*job))


class Worker:
    """A process that parses one input at a time; replaced when it overruns or dies."""

    def __init__(self, memory_mib: int) -> None:
        self.memory_mib = memory_mib
        self._start()

    def _start(self) -> None:
        context = mp.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, self.memory_mib), daemon=True)
        self.process.start()
        self.conn.recv()

    def run(self, data: bytes, kind: str, timeout: float) -> str:
        self.conn.send((data, kind))
        if self.conn.poll(timeout):
            try:
                return str(self.conn.recv())
            except EOFError:
                pass
            self.restart()
            return "crash: the worker died"
        self.restart()
        return f"hang: still running after {timeout:g} s"

    def restart(self) -> None:
        self.process.kill()
        self.process.join()
        self._start()

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run (60)")
    parser.add_argument("--seed", type=int, default=0, help="the random seed (0)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("fuzz-failures"),
        help="where failures are saved (fuzz-failures/)",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input (10)")
    parser.add_argument("--memory-mib", type=int, default=2048, help="address space (2048)")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    seeds = {path.name: path.read_bytes() for path in SEED_FILES}
    names = sorted(seeds)
    kinds = [*KINDS, "parse_report"]
    outcomes: Counter[str] = Counter()
    failures = 0
    worker = Worker(args.memory_mib)
    started = time.monotonic()
    count = 0
    try:
        while time.monotonic() - started < args.seconds:
            seed, other = rng.choice(names), rng.choice(names)
            edits = random_edits(rng)
            kind = kind_of(seed, rng.choice(kinds)) or "auto"
            data = mutate(seeds[seed], seeds[other], edits)
            outcome = worker.run(data, kind, args.timeout)
            count += 1
            outcomes[outcome.split(":", 1)[0]] += 1
            if outcome.startswith(("untyped", "hang", "crash")):
                failures += 1
                _save(
                    args.out, data, seed=seed, other=other, edits=edits, kind=kind, outcome=outcome
                )
                print(f"FAIL {seed} {kind} {edits}: {outcome.splitlines()[0]}", flush=True)
    finally:
        worker.close()
    elapsed = time.monotonic() - started
    print(f"{count} inputs in {elapsed:.0f} s ({count / elapsed:.1f} files/s), seed {args.seed}")
    for outcome, n in outcomes.most_common():
        print(f"  {n:7d}  {outcome}")
    print(f"{failures} failures" + (f", saved to {args.out}/" if failures else ""))
    return 1 if failures else 0


def _save(folder: Path, data: bytes, **what: object) -> None:
    """The input as ``<sha1>.bin`` and what happened as one line of ``failures.jsonl``."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:16]
    (folder / f"{digest}.bin").write_bytes(data)
    with (folder / "failures.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"file": f"{digest}.bin", **what}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
