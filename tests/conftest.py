"""Shared test set-up: where ``../shared`` is, and how to skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared")).resolve()
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


def shared_path(*parts: str) -> Path:
    """A path inside ``../shared`` (or $GXNIANBAO_SHARED); skips the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"shared material not found at {path} "
            "(set GXNIANBAO_SHARED to the folder holding seeds/, corpus/ and reference/)"
        )
    return path
