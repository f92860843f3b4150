"""What ``batch`` writes: typed Parquet (integers, decimals, dates; one schema for every file
and run), row groups on disk as soon as they fill so that a killed run loses at most one
and ``--resume`` continues from them, and the progress bar fitted to the terminal."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxnianbao.batch.pool import BatchStats, build_dataset
from gxnianbao.batch.process import process_file
from gxnianbao.batch.resume import done_files
from gxnianbao.batch.sinks import (
    AMOUNT_SCALE,
    ParquetSink,
    RowEncoder,
    UnstorableValueError,
    _typed,
    parquet_kinds,
    part_files,
)
from gxnianbao.export.rows import cell_kinds, wide_columns

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
FEE = "active_disclosure.fees.amount_wan_yuan"

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def corpus(folder: Path, n: int) -> list[str]:
    folder.mkdir()
    for i in range(n):
        shutil.copy(SAMPLE, folder / f"r{i:03d}.txt")
    return sorted(os.path.normpath(p) for p in folder.iterdir())


def in_process(folder: Path, out: Path, **options: object) -> BatchStats:
    return build_dataset(
        [str(folder)],
        str(out),
        jobs=1,
        timeout=0,
        max_memory=0,
        **options,  # type: ignore[arg-type]
    )


def dated_fee(path: str, *, long: bool = False) -> list[dict[str, object]]:
    """The sample's rows with a publication date and a fee taken from the file's name:
    ``r000.txt`` is the real report; ``fee-X_date-Y.txt`` sets the fee to X and the date to
    Y (module-level, so that it would pickle)."""
    rows = process_file(str(SAMPLE), long=long)
    name = Path(path).stem
    row = rows[0]
    row["file"] = path
    if name.startswith("fee-"):
        fee, _, day = name[4:].partition("_date-")
        row[FEE] = fee
        row["published"] = day
    return rows


# --- typed columns -----------------------------------------------------------------------


def test_parquet_kinds_follow_the_templates() -> None:
    kinds = parquet_kinds(False)
    assert list(kinds) == wide_columns()
    amounts = {k for k, v in cell_kinds().items() if v == "amount"}
    assert amounts and all(kinds[k] == "decimal" for k in amounts)
    assert kinds["processing_fee"] == "decimal" and kinds["published"] == "date"
    assert kinds["year"] == kinds["applications.received.total"] == "int"
    assert kinds["issuer"] == kinds["file"] == "str"
    long = parquet_kinds(True)
    assert long["value"] == "str" and long["year"] == "int"  # counts and amounts together


def test_parquet_holds_integers_decimals_and_dates(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("r000", "fee-1.25_date-2023-01-20", "fee-0.000001_date-2024-02-29"):
        shutil.copy(SAMPLE, folder / f"{name}.txt")
    out = tmp_path / "data.parquet"
    stats = in_process(folder, out, process=dated_fee)
    assert stats.ok == 3
    table = pq.read_table(out)
    schema = table.schema
    assert schema.field(FEE).type == pa.decimal128(38, AMOUNT_SCALE)
    assert schema.field("processing_fee").type == pa.decimal128(38, AMOUNT_SCALE)
    assert schema.field("published").type == pa.date32()
    assert schema.field("applications.received.total").type == pa.int64()
    rows = {Path(r["file"]).stem: r for r in table.to_pylist()}
    real = process_file(str(SAMPLE))[0]
    assert rows["r000"]["processing_fee"] == Decimal(str(real["processing_fee"]))
    assert rows["fee-1.25_date-2023-01-20"][FEE] == Decimal("1.25")
    assert str(rows["fee-1.25_date-2023-01-20"]["published"]) == "2023-01-20"
    assert rows["fee-0.000001_date-2024-02-29"][FEE] == Decimal("0.000001")
    # The same schema for a run that has only failures (all cells null).
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    other = tmp_path / "other.parquet"
    in_process(bad, other)
    assert pq.read_schema(other).equals(schema)


def test_an_amount_the_column_cannot_hold_makes_an_error_row_never_a_rounded_one(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("fee-1.1234567_date-2023-01-20", "fee-2.5_date-2023-13-40", "r000"):
        shutil.copy(SAMPLE, folder / f"{name}.txt")
    out = tmp_path / "data.parquet"
    stats = in_process(folder, out, process=dated_fee)
    rows = {Path(r["file"]).stem: r for r in pq.read_table(out).to_pylist()}
    assert stats.ok == 1 and stats.errors == 2
    for name in ("fee-1.1234567_date-2023-01-20", "fee-2.5_date-2023-13-40"):
        assert rows[name]["status"] == "error"
        assert rows[name]["error_type"] == "UnstorableValueError"
        assert rows[name][FEE] is None
    assert "1.1234567" in rows["fee-1.1234567_date-2023-01-20"]["error_message"]
    assert rows["r000"]["status"] == "ok"


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_a_stored_amount_is_exact_or_refused(value: Decimal) -> None:
    try:
        stored = _typed(str(value), "decimal")
    except UnstorableValueError:
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        assert -exponent > AMOUNT_SCALE or value.adjusted() >= 38 - AMOUNT_SCALE
        return
    assert stored == value
    pa.array([stored], type=pa.decimal128(38, AMOUNT_SCALE))  # fits the column


# --- row groups and resume ---------------------------------------------------------------


def test_a_killed_run_keeps_its_full_row_groups_and_resume_continues(tmp_path: Path) -> None:
    """A sink that is never closed (the process killed) leaves its full groups as complete
    Parquet files; ``done_files`` counts them and a resumed run ends with every row once."""
    folder = tmp_path / "in"
    files = corpus(folder, 11)
    out = tmp_path / "data.parquet"
    encoder = RowEncoder("parquet", False)
    sink = ParquetSink(str(out), False, False, row_group=3)
    for path in files[:8]:  # killed here: two groups of 3 on disk, 2 rows lost
        sink.write(encoder.encode(process_file(path)))
        sink.flush()
    parts = part_files(str(out))
    assert len(parts) == 2 and not out.exists()
    kept = [f for p in parts for f in pq.read_table(p).column("file").to_pylist()]
    assert kept == files[:6]
    assert done_files(str(out), "parquet", False) == set(files[:6])
    # What a kill in the middle of writing a group, or of the final close, leaves.
    Path(f"{out}.parts/part-000003.parquet.tmp").write_bytes(b"PAR1")
    Path(f"{out}.partial").write_bytes(b"PAR1")
    stats = in_process(folder, out, resume=True, row_group=3)
    assert stats.skipped == 6 and stats.written == 5
    assert pq.read_table(out).column("file").to_pylist() == files
    assert not Path(f"{out}.parts").exists() and not Path(f"{out}.partial").exists()
    # The whole file equals a run that was never stopped.
    clean = tmp_path / "clean.parquet"
    in_process(folder, clean)
    assert pq.read_table(out).equals(pq.read_table(clean))
    # Killed after the final move but before the groups were removed: no row twice.
    os.makedirs(f"{out}.parts")
    stale = pq.read_table(out).slice(2, 3)
    pq.write_table(stale, f"{out}.parts/part-000001.parquet")
    assert in_process(folder, out, resume=True).written == 0
    assert pq.read_table(out).column("file").to_pylist() == files
    # A fresh run (not --resume) does not take a killed run's groups as its own.
    sink = ParquetSink(str(out), False, False, row_group=1)
    sink.write(encoder.encode(process_file(files[0])))
    assert len(part_files(str(out))) == 1
    stats = in_process(folder, out, row_group=4)
    assert pq.read_table(out).column("file").to_pylist() == files


def test_a_group_is_written_on_a_timer_too(tmp_path: Path) -> None:
    out = tmp_path / "data.parquet"
    encoder = RowEncoder("parquet", False)
    sink = ParquetSink(str(out), False, False, row_group=1000)
    sink.SECONDS = 0.0
    sink.write(encoder.encode(process_file(str(SAMPLE))))
    sink.flush()
    assert len(part_files(str(out))) == 1
    sink.close()
    assert pq.read_table(out).num_rows == 1


# --- progress ----------------------------------------------------------------------------

_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _screen_lines(data: bytes) -> list[str]:
    """What each redraw puts on one line of the terminal."""
    text = _ESCAPE.sub("", data.decode("utf-8", errors="replace"))
    return [part for part in re.split(r"[\r\n]", text) if part]


def _pty(columns: int) -> tuple[int, int]:
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return master, slave


def _drain(master: int) -> bytes:
    import select

    out = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_fits_an_80_column_terminal_even_for_20000_files() -> None:
    from gxnianbao.cli.batch import Progress

    master, slave = _pty(80)
    stream = open(slave, "w", encoding="utf-8", closefd=True)
    try:
        progress = Progress(stream)
        assert progress.tty
        long_ago = time.monotonic() - 7 * 3600
        stats = BatchStats(total=20000, errors=12345, started=long_ago)
        for done in (0, 7, 812, 9999, 19999, 20000):
            stats.done = done
            progress(stats)
            time.sleep(0.11)  # past the bar's minimum redraw interval
        progress.finish(stats)
        stream.flush()
        lines = _screen_lines(_drain(master))
    finally:
        stream.close()
        os.close(master)
    assert any("20000/20000" in line for line in lines), lines
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_command_draws_its_bar_within_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    corpus(folder, 3)
    master, slave = _pty(80)
    env = {**os.environ, "COLUMNS": "80"}
    command = [sys.executable, "-m", "gxnianbao", "batch", str(folder), "-o", "-", "-j", "1"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    out, _ = proc.communicate(timeout=120)
    lines = _screen_lines(_drain(master))
    os.close(master)
    assert proc.returncode == 0
    assert out.count(b"\n") == 4  # the CSV on standard output, untouched by the bar
    assert any("3/3" in line for line in lines), lines
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)


def test_plain_lines_without_a_terminal() -> None:
    from gxnianbao.cli.batch import Progress

    stream = io.StringIO()
    progress = Progress(stream, interval=0.0)
    assert not progress.tty
    for done in (1, 2, 3):
        progress(BatchStats(total=3, done=done))
    progress.finish(BatchStats(total=3, done=3))
    text = stream.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert text.splitlines()[-1].startswith("batch: 3/3 files")
