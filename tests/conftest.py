"""Shared test set-up: the Hypothesis profiles, where ``../shared`` is, and how to skip when it
is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

DEV_EXAMPLES = 50
"""Examples per property test on a developer's machine: the whole suite in a few minutes."""
CI_EXAMPLES = 4 * DEV_EXAMPLES
"""Examples per property test in CI, where time is cheaper than a missed counterexample."""

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
"""Parsing a generated report takes milliseconds to seconds with the machine's load, so no
per-example deadline; generating reports is slow by design, which is not a fault of the test."""

settings.register_profile("dev", max_examples=DEV_EXAMPLES, **_COMMON)
settings.register_profile(
    "ci", max_examples=CI_EXAMPLES, derandomize=False, print_blob=True, **_COMMON
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
# Tests whose examples cost much more or much less than most set their budget relative to the
# profile, e.g. ``@settings(max_examples=settings.default.max_examples // 4)``; ``pytest
# --hypothesis-profile=ci`` picks a profile by hand.

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
