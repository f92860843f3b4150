"""Reading a scan leaves the process as it found it: warning filters and loggers.

Why: the OCR extra's libraries change the whole process when first used — NumPy adds warning
filters when imported, RapidOCR gives its loggers DEBUG handlers that write to standard error —
and a program that embeds the library keeps its warning filters and its logging as it set them.
Run in a fresh interpreter: the first read of a scan is when those libraries are imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")

from gxnianbao.common.process import state_kept

SCANS = Path(__file__).resolve().parent / "fixtures" / "scans"

_CHILD = r"""
import json, logging, sys, warnings

def state():
    loggers = {
        name: [logger.level, len(logger.handlers), logger.propagate, logger.disabled]
        for name, logger in sorted(logging.root.manager.loggerDict.items())
        if isinstance(logger, logging.Logger)
        and (logger.level or not logger.propagate or logger.disabled
             or any(not isinstance(h, logging.NullHandler) for h in logger.handlers))
    }
    return {"filters": [repr(f) for f in warnings.filters], "loggers": loggers,
            "root": [logging.root.level, len(logging.root.handlers)]}

import gxnianbao
before = state()
report = gxnianbao.parse_file(sys.argv[1])
after = state()
print(json.dumps({"before": before, "after": after,
                  "cells": sum(c.value is not None for c in report.cells()),
                  "modules": [m for m in ("numpy", "rapidocr_onnxruntime") if m in sys.modules]}))
"""


@pytest.mark.slow
def test_reading_a_scan_changes_no_warning_filter_and_no_logger() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(SCANS / "basic-small-p1.png")],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    out = json.loads(done.stdout)
    # The scan was read, by the libraries whose side effects are in question.
    assert out["cells"] > 0
    assert out["modules"] == ["numpy", "rapidocr_onnxruntime"]
    assert out["after"] == out["before"]
    assert "DEBUG" not in done.stderr  # RapidOCR's own handlers wrote nothing


@pytest.mark.slow
def test_importing_the_ocr_modules_directly_changes_no_warning_filter() -> None:
    """The guard sits where NumPy and OpenCV are imported, not on one entry point: importing
    the reader's own modules keeps the filters too."""
    code = (
        "import warnings; before = [repr(f) for f in warnings.filters]\n"
        "import gxnianbao.read.ocr.reader, sys\n"
        "assert 'numpy' in sys.modules and 'cv2' in sys.modules\n"
        "print([repr(f) for f in warnings.filters] == before)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip() == "True"


def test_state_kept_undoes_filters_and_logger_changes() -> None:
    """The guard itself, without the libraries: what a block adds is gone after it."""
    import logging

    logger = logging.getLogger("gxnianbao-test-library")
    filters = list(warnings.filters)
    with state_kept([logger.name]):
        warnings.filterwarnings("ignore", message="some library's warning")
        logger.setLevel(logging.DEBUG)
        logger.addHandler(logging.StreamHandler())
        logger.propagate = False
    assert warnings.filters == filters
    assert (logger.level, logger.handlers, logger.propagate) == (logging.NOTSET, [], True)
