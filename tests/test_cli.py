"""The command line through its real entry points (``python -m gxnianbao`` and the console
script), as a user runs it: exit statuses, standard input, every output format loaded back and
checked value by value, ``check``'s caret lines, and ``batch`` over folders mixing good, broken
and unsupported files, with ``--resume``, ``--jobs`` determinism and Ctrl-C.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import reportgen as rg

from gxnianbao import process_file
from gxnianbao.export.rows import (
    LONG_COLUMNS,
    META_COLUMNS,
    RECORD_COLUMNS,
    wide_columns,
    wide_row,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAMPLE_RECEIVED_TOTAL = 57
"""applications.received.total of the shipped sample (see ``gxnianbao demo``)."""


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "gxnianbao", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8"),
        proc.stderr.decode("utf-8"),
    )


def main_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The same ``main`` without an interpreter start-up, for the variations of a behaviour
    whose first case goes through the real entry point."""
    from gxnianbao.cli.main import main

    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr


# --- generated reports -------------------------------------------------------------------


def generated(seed: int) -> tuple[str, int]:
    """A 2021-template report text in one of the layouts, and its 一、本年新收 total."""
    report = rg.seeded_report(
        seed, f"测试市第{seed}区人民政府", max_count=9, max_money=99999, max_fee=900
    )
    layout = ("tab_rows", "word_cells", "markdown", "scrape")[seed % 4]
    total = report.cells[("applications", "received", "total")]
    return rg.render(layout, report), int(total)


def make_folder(folder: Path, n: int, *, start: int = 0, broken: bool = True) -> dict[str, int]:
    """``n`` generated reports (in two sub-folders), plus a junk .txt and a .doc when asked;
    returns the expected received totals by normalised path."""
    expected: dict[str, int] = {}
    for i in range(start, start + n):
        sub = folder / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        text, total = generated(i)
        path = sub / f"r{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        expected[os.path.normpath(path)] = total
    if broken:
        (folder / "junk.txt").write_bytes(b"\xff" * 4096)
        (folder / "old.doc").write_bytes(OLE_MAGIC + b"\x00" * 1024)
        (folder / "notes.csv").write_text("not,a,report\n")  # not a supported suffix: skipped
    return expected


def build(folder: Path, out: Path, **options: object) -> None:
    """Set-up runs in-process (the same code as the command; no interpreter start-up)."""
    from gxnianbao.batch.pool import build_dataset

    build_dataset([str(folder)], str(out), jobs=1, **options)  # type: ignore[arg-type]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


# --- demo and entry points ---------------------------------------------------------------


@pytest.mark.slow
def test_demo_runs_via_module_and_console_script() -> None:
    proc = run("demo")
    assert proc.returncode == 0
    assert "示例市临江区人力资源和社会保障局" in proc.stdout
    assert f"applications received: {SAMPLE_RECEIVED_TOTAL}" in proc.stdout
    script = shutil.which("gxnianbao") or str(Path(sys.executable).parent / "gxnianbao")
    if not os.path.exists(script):
        pytest.skip("the gxnianbao console script is not installed in this environment")
    console = subprocess.run([script, "demo", "--json"], capture_output=True, timeout=60)
    assert console.returncode == 0
    data = json.loads(console.stdout)
    assert data["tables"]["applications"]["received"]["total"]["value"] == SAMPLE_RECEIVED_TOTAL


@pytest.mark.slow
def test_bad_usage_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = run("parse", "--format", "xml", str(SAMPLE))
    assert proc.returncode == 2
    no_traceback(proc)
    proc = run("batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.csv"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    no_traceback(proc)
    for args in ([], ["batch", str(SAMPLE)], ["batch", str(SAMPLE), "-o", "x.csv", "-j", "-1"]):
        assert main_in_process(capsys, *args)[0] == 2, args
    status, _, err = main_in_process(capsys, "batch", str(SAMPLE), "-o", str(tmp_path / "x.ods"))
    assert status == 2 and "--format" in err
    for bound in ("--timeout", "--max-memory"):
        status, _, err = main_in_process(
            capsys, "batch", str(SAMPLE), "-o", str(tmp_path / "x.csv"), bound, "-1"
        )
        assert status == 2 and f"{bound} must be 0" in err


# --- parse -------------------------------------------------------------------------------


@pytest.mark.slow
def test_parse_json_of_one_file_is_to_dict() -> None:
    proc = run("parse", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["meta"]["issuer"] == "示例市临江区人力资源和社会保障局"
    assert data["meta"]["year"] == 2022
    assert data["tables"]["applications"]["received"]["total"]["value"] == SAMPLE_RECEIVED_TOTAL
    assert data["processing_fee"] == "1200"


@pytest.mark.slow
def test_parse_stdin_equals_file(capsys: pytest.CaptureFixture[str]) -> None:
    from_file = json.loads(main_in_process(capsys, "parse", str(SAMPLE))[1])
    proc = run("parse", "-", stdin=SAMPLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == from_file
    gb = run("parse", "-", stdin=SAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert gb.returncode == 0
    gb_data = json.loads(gb.stdout)
    assert gb_data["tables"] == from_file["tables"]


@pytest.mark.slow
def test_parse_jsonl_and_json_array_of_several(tmp_path: Path) -> None:
    other = tmp_path / "gen.txt"
    text, total = generated(3)
    other.write_text(text, encoding="utf-8")
    proc = run("parse", "--format", "jsonl", str(SAMPLE), str(other))
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["tables"]["applications"]["received"]["total"]["value"] == SAMPLE_RECEIVED_TOTAL
    assert second["tables"]["applications"]["received"]["total"]["value"] == total
    assert second["meta"]["issuer"] == "测试市第3区人民政府"
    array = json.loads(run("parse", str(SAMPLE), str(other)).stdout)
    assert [d["meta"]["issuer"] for d in array] == [first["meta"]["issuer"], "测试市第3区人民政府"]


@pytest.mark.slow
def test_parse_csv_is_the_long_format(tmp_path: Path) -> None:
    out = tmp_path / "cells.csv"
    proc = run("parse", "-f", "csv", "-o", str(out), str(SAMPLE))
    assert proc.returncode == 0 and proc.stdout == ""
    fields, rows = read_csv(out)
    assert fields[0] == "file" and {"table", "row", "column", "value", "status"} <= set(fields)
    assert len(rows) == 200
    (cell,) = [
        r
        for r in rows
        if (r["table"], r["row"], r["column"]) == ("applications", "received", "total")
    ]
    assert cell["value"] == str(SAMPLE_RECEIVED_TOTAL)
    assert cell["status"] == "reported"
    assert cell["file"] == str(SAMPLE)
    (fee,) = [r for r in rows if r["row"] == "fees"]
    assert Decimal(fee["value"]) >= 0


@pytest.mark.slow
def test_parse_unreadable_inputs_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff" * 4096)
    doc = tmp_path / "old.doc"
    doc.write_bytes(OLE_MAGIC + b"\x00" * 512)
    bad = (tmp_path / "missing.txt", junk, doc, tmp_path)
    # Readable files are still output; each unreadable one is a one-line message.
    proc = run("parse", "-f", "jsonl", str(SAMPLE), *map(str, bad))
    assert proc.returncode == 2
    assert len(proc.stdout.splitlines()) == 1
    messages = proc.stderr.splitlines()
    assert len(messages) == len(bad)
    for path, message in zip(bad, messages, strict=True):
        assert message.startswith(f"gxnianbao: {path}: "), message
    no_traceback(proc)


# --- check -------------------------------------------------------------------------------


def _broken_sample(tmp_path: Path) -> tuple[Path, int, int]:
    """The sample with 一、本年新收's 自然人 cell changed: the row total no longer adds up.

    Returns the file, the changed line (1-based) and the changed number's offset in it."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("一、本年新收政府信息公开申请数量"):
            cells = line.rstrip("\n").split("\t")
            k = next(j for j, c in enumerate(cells) if j > 0 and c.isdigit())
            offset = len("\t".join(cells[:k])) + 1
            cells[k] = str(int(cells[k]) + 5)
            lines[i] = "\t".join(cells) + "\n"
            break
    else:  # pragma: no cover - the sample changed
        raise AssertionError("row 一 not found in the sample")
    path = tmp_path / "broken.txt"
    path.write_text("".join(lines), encoding="utf-8")
    return path, i + 1, offset


def _display(text: str) -> int:
    return sum(
        4 if ch == "\t" else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text
    )


@pytest.mark.slow
def test_check_clean_report_exits_0() -> None:
    proc = run("check", str(SAMPLE))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[-1] == "0 个错误，0 个警告；0 项无法核对（共 1 个文件）"
    assert "\x1b[" not in proc.stdout
    english = run("check", "--lang", "en", str(SAMPLE))
    assert english.returncode == 0
    assert (
        english.stdout.splitlines()[-1]
        == "0 errors, 0 warnings, 0 info; 0 not assessable in 1 file"
    )


@pytest.mark.slow
def test_check_failing_identity_exits_1_with_rule_and_caret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line_no, offset = _broken_sample(tmp_path)
    proc = run("check", str(path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert f"{path}：表三 第{line_no}行：错误（不通过）[t3-row-total/received]：" in out
    assert "公式：" in out and "差额：5" in out
    assert out.splitlines()[-1] == "2 个错误，0 个警告；0 项无法核对（共 1 个文件）"
    english = run("check", "--lang", "en", str(path)).stdout
    assert "error[t3-row-total/received]" in english and f"{path}:{line_no}:" in english
    assert "expression:" in english and "difference: 5" in english
    lines = out.splitlines()
    src = next(i for i, x in enumerate(lines) if x.lstrip().startswith(f"{line_no} | 一、本年新收"))
    source_line, caret_line = lines[src], lines[src + 1]
    body_at = source_line.index("| ") + 2
    caret_at = caret_line.index("^")
    number_col = _display(path.read_text(encoding="utf-8").splitlines()[line_no - 1][:offset])
    assert caret_at - body_at == number_col, (source_line, caret_line)
    # The same finding as JSON: both sides, the difference and the source line.
    status, out, _ = main_in_process(capsys, "check", "--format", "json", str(path))
    assert status == 1
    data = json.loads(out)
    (finding,) = [f for f in data[0]["findings"] if f["rule"] == "t3-row-total/received"]
    assert finding["difference"] == -5 and finding["left"] - finding["right"] == -5
    assert finding["severity"] == "error" and finding["status"] == "fail"
    assert finding["location"]["table"] == "表三" and finding["location"]["source_line"] > 0
    assert data[0]["outcome"]["errors"] == 2 and data[0]["outcome"]["not_assessable"] == 0
    assert any(
        s and s["line"] == line_no and s["source_line"].startswith("一、")
        for s in finding["sources"]
    )


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run with standard output on a pseudo-terminal (as in a shell) and return what it got."""
    import pty

    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gxnianbao", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=full_env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.slow
def test_check_colours_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, _ = _broken_sample(tmp_path)
    assert "\x1b[" in _on_a_terminal("check", str(path), env={})
    assert "\x1b[" not in _on_a_terminal("check", str(path), env={"NO_COLOR": "1"})
    assert "\x1b[" in main_in_process(capsys, "check", "--color", "always", str(path))[1]
    # (a pipe gets no colours: test_check_clean_report_exits_0)


@pytest.mark.slow
def test_check_unreadable_exits_2_and_not_a_report_1(tmp_path: Path) -> None:
    doc = tmp_path / "x.doc"
    doc.write_bytes(OLE_MAGIC + b"\x00" * 512)
    proc = run("check", str(SAMPLE), str(doc))
    assert proc.returncode == 2
    assert "x.doc" in proc.stderr
    no_traceback(proc)
    proc = run("check", str(FIXTURES / "not_a_report.txt"))
    assert proc.returncode == 1
    assert (
        "：第1行：错误（不通过）[not-a-report]：这不是一份政府信息公开工作年度报告" in proc.stdout
    )
    assert proc.stdout.splitlines()[-1] == "1 个错误，0 个警告；0 项无法核对（共 1 个文件）"


# --- the per-file function and its rows --------------------------------------------------


def test_process_file_is_picklable_pure_and_never_raises(tmp_path: Path) -> None:
    func = pickle.loads(pickle.dumps(process_file))
    (row,) = func(str(SAMPLE))
    assert list(row) == [c for c in wide_columns("2021") if c in row]
    assert row["applications.received.total"] == SAMPLE_RECEIVED_TOTAL
    assert row["status"] == "ok" and row["template"] == "2021"
    assert row["processing_fee"] == "1200"
    assert set(META_COLUMNS) <= set(row)
    assert func(str(SAMPLE)) == [row]
    (bad,) = process_file(str(tmp_path / "missing.txt"))
    assert bad["status"] == "error" and bad["error_type"] and bad["error_message"]
    long = process_file(str(SAMPLE), long=True)
    assert len(long) == 200 and all(list(r) == list(LONG_COLUMNS) for r in long)
    from gxnianbao import parse_report

    records = parse_report(SAMPLE.read_text(encoding="utf-8")).to_records()
    assert set(records[0]) <= set(RECORD_COLUMNS)  # a new key in to_records() is not dropped
    assert wide_columns()[: len(META_COLUMNS)] == list(META_COLUMNS)
    assert wide_columns() == wide_columns()  # stable
    assert len(set(wide_columns())) == len(wide_columns())


def test_wide_row_values_are_plain() -> None:
    from gxnianbao import parse_report

    row = wide_row(parse_report(SAMPLE.read_text(encoding="utf-8")), file="x")
    assert all(v is None or isinstance(v, (int, str)) for v in row.values())
    assert isinstance(row["active_disclosure.fees.amount_wan_yuan"], str)


def test_wide_columns_hold_the_current_template_first() -> None:
    """Both templates' cells, the current one's first in its own order (TEMPLATES order)."""
    from gxnianbao.templates import TEMPLATES

    current, *older = TEMPLATES
    meta = len(META_COLUMNS)
    both = wide_columns()
    assert both[: len(wide_columns(current))] == wide_columns(current)
    for name in older:
        assert set(wide_columns(name)[meta:]) <= set(both[meta:])


@pytest.mark.slow
def test_process_module_imports_no_process_machinery() -> None:
    """An engine's workers (Dask, Spark) load the per-file function without a process pool."""
    code = (
        "import sys, gxnianbao.batch.process\n"
        "assert 'multiprocessing' not in sys.modules, 'multiprocessing'\n"
        "assert 'concurrent.futures' not in sys.modules, 'concurrent.futures'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# --- batch -------------------------------------------------------------------------------


@pytest.mark.slow
def test_batch_csv_mixed_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    expected = make_folder(folder, 8)
    shutil.copy(SAMPLE, folder / "a" / "sample.txt")
    out = tmp_path / "data.csv"
    proc = run("batch", str(folder), "-o", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    fields, rows = read_csv(out)
    assert fields == wide_columns()
    files = [r["file"] for r in rows]
    assert files == sorted(files) and len(files) == 8 + 1 + 2  # no notes.csv
    by_file = {r["file"]: r for r in rows}
    for path, total in expected.items():
        assert by_file[path]["status"] == "ok"
        assert by_file[path]["applications.received.total"] == str(total)
        assert by_file[path]["year"] == "2022"
    sample = by_file[os.path.normpath(folder / "a" / "sample.txt")]
    assert sample["applications.received.total"] == str(SAMPLE_RECEIVED_TOTAL)
    junk = by_file[os.path.normpath(folder / "junk.txt")]
    assert junk["status"] == "error" and junk["error_type"] == "CorruptDocumentError"
    doc = by_file[os.path.normpath(folder / "old.doc")]
    assert doc["status"] == "error" and doc["error_type"] == "UnsupportedFormatError"
    assert doc["error_message"] and "\n" not in doc["error_message"]
    assert "2 failed" in proc.stderr and "UnsupportedFormatError" in proc.stderr


@pytest.mark.slow
def test_batch_jsonl_long(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    expected = make_folder(folder, 3)
    out = tmp_path / "cells.jsonl"
    proc = run("batch", str(folder), "-o", str(out), "--long", "-j", "2", "-q")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(list(r) == list(LONG_COLUMNS) for r in rows)
    ok = [r for r in rows if r["report_status"] == "ok"]
    assert len(ok) == 3 * 200
    for path, total in expected.items():
        (cell,) = [
            r for r in ok
            if r["file"] == path and (r["table"], r["row"], r["column"])
            == ("applications", "received", "total")
        ]  # fmt: skip
        assert cell["value"] == total and cell["status"] == "reported"
    errors = {r["file"]: r["error_type"] for r in rows if r["report_status"] == "error"}
    assert errors == {
        os.path.normpath(folder / "junk.txt"): "CorruptDocumentError",
        os.path.normpath(folder / "old.doc"): "UnsupportedFormatError",
    }


@pytest.mark.slow
def test_batch_output_identical_whatever_jobs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 24)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("batch", str(folder), "-o", str(one), "-j", "1", "-q").returncode == 0
    assert run("batch", str(folder), "-o", str(two), "-j", "2", "-q").returncode == 0
    assert one.read_bytes() == two.read_bytes()
    # No bounds and one job: parsed in the command's own process, the same bytes.
    here = tmp_path / "here.csv"
    args = ("-j", "1", "--timeout", "0", "--max-memory", "0", "-q")
    assert run("batch", str(folder), "-o", str(here), *args).returncode == 0
    assert here.read_bytes() == one.read_bytes()


@pytest.mark.slow
def test_batch_resume_processes_only_new_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 4, broken=False)
    out = tmp_path / "data.csv"
    build(folder, out)
    _, first = read_csv(out)
    # Break a file that is already in the output: a resumed run must not read it again.
    done = Path(first[0]["file"])
    done.write_bytes(OLE_MAGIC)
    new = make_folder(folder, 3, start=100, broken=False)
    proc = run("batch", str(folder), "-o", str(out), "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "4 already there" in proc.stderr
    _, rows = read_csv(out)
    assert rows[:4] == first
    assert [r["file"] for r in rows[4:]] == sorted(new)
    assert all(r["status"] == "ok" for r in rows)
    # Nothing new: nothing written.
    before = out.read_bytes()
    build(folder, out, resume=True)
    assert out.read_bytes() == before
    # An output of the other shape is refused, not mixed.
    proc = run("batch", str(folder), "-o", str(out), "--resume", "--long")
    assert proc.returncode == 2 and "other columns" in proc.stderr


@pytest.mark.slow
def test_batch_resume_repairs_a_cut_off_tail(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 5, broken=False)
    for name in ("cut.jsonl", "cut.csv"):
        out = tmp_path / name
        reference = tmp_path / f"ref.{name.split('.')[1]}"
        build(folder, reference)
        data = reference.read_bytes()
        header = data.index(b"\n") + 1
        out.write_bytes(data[: header + (len(data) - header) * 3 // 5])  # killed mid-row
        assert run("batch", str(folder), "-o", str(out), "--resume", "-q").returncode == 0
        assert out.read_bytes() == data


@pytest.mark.slow
def test_batch_ctrl_c_leaves_a_valid_prefix(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 100, broken=False)
    out = tmp_path / "data.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gxnianbao", "batch", str(folder), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 6:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    stderr = err.decode("utf-8")
    no_traceback(subprocess.CompletedProcess([], 0, "", stderr))
    all_files = sorted(os.path.normpath(p) for p in folder.rglob("*.txt"))
    fields, rows = read_csv(out)
    assert fields == wide_columns()
    with out.open(encoding="utf-8", newline="") as fh:
        assert all(len(r) == len(fields) for r in csv.reader(fh))
    files = [r["file"] for r in rows]
    assert files == all_files[: len(files)]  # a complete prefix, in order
    if proc.returncode == 130:
        assert len(files) < len(all_files)
        assert "--resume" in stderr
    else:  # the machine was fast enough to finish first
        assert proc.returncode == 0 and len(files) == len(all_files)
    assert run("batch", str(folder), "-o", str(out), "--resume", "-q").returncode == 0
    _, rows = read_csv(out)
    assert [r["file"] for r in rows] == all_files
    assert all(r["status"] == "ok" for r in rows)


@pytest.mark.slow
def test_batch_parquet(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    expected = make_folder(folder, 3)
    out = tmp_path / "data.parquet"
    try:
        import pyarrow.parquet as pq
    except ImportError:
        proc = run("batch", str(folder), "-o", str(out))
        assert proc.returncode == 2 and "pyarrow" in proc.stderr
        return
    build(folder, out)
    table = pq.read_table(out)
    assert table.column_names == wide_columns()
    rows = table.to_pylist()
    assert [r["file"] for r in rows] == sorted(r["file"] for r in rows)
    for r in rows:
        if r["file"] in expected:
            assert r["applications.received.total"] == expected[r["file"]]
            assert isinstance(r["active_disclosure.fees.amount_wan_yuan"], str)
    more = make_folder(folder, 2, start=50, broken=False)
    proc = run("batch", str(folder), "-o", str(out), "--resume", "-q")
    assert proc.returncode == 0, proc.stderr
    files = pq.read_table(out).column("file").to_pylist()
    assert files == [r["file"] for r in rows] + sorted(more)


@pytest.mark.slow
def test_batch_parquet_without_pyarrow_is_a_clear_error(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None\n"
        "from gxnianbao.cli.main import main\n"
        f"sys.exit(main(['batch', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'x.parquet')!r}]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "pyarrow" in proc.stderr and "gxnianbao[parquet]" in proc.stderr
    no_traceback(subprocess.CompletedProcess([], 0, "", proc.stderr))
    assert not (tmp_path / "x.parquet").exists()


def test_batch_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    from gxnianbao.batch.pool import BatchStats
    from gxnianbao.cli.batch import Progress

    stream = io.StringIO()
    progress = Progress(stream, tty=False, interval=0.0)
    stats = BatchStats(total=10, done=4, errors=1)
    progress(stats)
    assert stream.getvalue().startswith("batch: 4/10 files") and "files/s" in stream.getvalue()
    tty = io.StringIO()
    Progress(tty, tty=True)(stats)
    assert tty.getvalue().startswith("\r\x1b[K[") and "ETA" in tty.getvalue()


def test_two_batches_at_once_keep_their_own_shapes(tmp_path: Path) -> None:
    """No settings in module state: a wide CSV and a long JSON-lines batch run at the same
    time in two threads of one process each write what they would write alone."""
    import threading

    folder = tmp_path / "in"
    make_folder(folder, 6)
    alone = {name: tmp_path / f"alone-{name}" for name in ("w.csv", "l.jsonl")}
    build(folder, alone["w.csv"])
    build(folder, alone["l.jsonl"], long=True)
    together = {name: tmp_path / f"together-{name}" for name in alone}
    threads = [
        threading.Thread(target=build, args=(folder, together["w.csv"])),
        threading.Thread(target=build, args=(folder, together["l.jsonl"]), kwargs={"long": True}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in alone:
        assert together[name].read_bytes() == alone[name].read_bytes(), name


def _exit_on_crash_file(path: str, *, long: bool = False) -> list[dict[str, object]]:
    """A per-file function whose worker dies on files named crash*.txt (module-level, so it
    pickles to the workers by reference)."""
    if os.path.basename(path).startswith("crash"):
        os._exit(9)
    return process_file(path, long=long)


@pytest.mark.slow
def test_batch_survives_a_worker_that_dies(tmp_path: Path) -> None:
    """A worker killed mid-chunk (OOM killer, native crash): the batch goes on and names the
    file.  In-process, with a per-file function that kills its worker on one file."""
    from gxnianbao.batch.pool import build_dataset

    folder = tmp_path / "in"
    expected = make_folder(folder, 40, broken=False)
    (folder / "a" / "crash-1.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "data.csv"
    stats = build_dataset([str(folder)], str(out), jobs=2, process=_exit_on_crash_file)
    _, rows = read_csv(out)
    files = [r["file"] for r in rows]
    assert files == sorted([*expected, os.path.normpath(folder / "a" / "crash-1.txt")])
    crashed = [r for r in rows if r["status"] == "error"]
    assert [(Path(r["file"]).name, r["error_type"]) for r in crashed] == [
        ("crash-1.txt", "WorkerCrashed")
    ]
    assert stats.ok == 40 and stats.errors == 1


def test_caret_under_a_number_of_a_long_cjk_line() -> None:
    """A long line is cut around the number, and the caret still sits under it."""
    from gxnianbao.cli.render import Style, source_excerpt
    from gxnianbao.model import Span

    line = "说明" * 60 + "\t12\t" + "x" * 200
    text = "first\n" + line + "\nlast"
    start = text.index("12")
    _, shown, carets = source_excerpt(text, [Span(start, start + 2, 2, 122)], Style(False), "")
    body = shown[shown.index("| ") + 2 :]
    marks = carets[carets.index("| ") + 2 :]
    assert body.startswith("…") and body.endswith("…") and _display(body) <= 112
    at = marks.index("^")
    assert marks.strip() == "^^"
    assert at == _display(body[: body.index("12")])


def test_parse_error_caret_keeps_its_column_rule() -> None:
    """ParseError's caret line and the CLI's carets share common/text.py's widths; the error
    keeps its own rule for combining marks (one column, or two for a wide one such as 〪), so
    that its messages stay byte for byte as they were."""
    from gxnianbao.cli.render import Style, source_excerpt
    from gxnianbao.errors import ParseError
    from gxnianbao.model import Span

    line = "e\u0301\u302a表\t9"
    err = ParseError("bad", line=1, column=line.index("9") + 1, offset=0, line_text=line)
    # indent, then e, its accent, 〪 and 表 (1 + 1 + 2 + 2 columns), then the tab as it is
    assert str(err).splitlines()[-1] == "  " + " " + " " + "  " + "  " + "\t" + "^"
    # On a terminal both marks take no column: e, 表 and the tab (4 columns): 1 + 2 + 4.
    _, _, carets = source_excerpt(line, [Span(5, 6, 1, 6)], Style(False), "")
    assert carets[carets.index("| ") + 2 :] == " " * 7 + "^"
