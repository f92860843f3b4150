"""The harness for hostile inputs measures what it claims (a test that cannot fail is a defect)."""

from __future__ import annotations

import pytest
from bounded import bounded, within

pytestmark = pytest.mark.slow


def test_a_quick_child_keeps_its_bounds() -> None:
    out = bounded("report(ok=True)", seconds=5, memory_mib=256)
    assert out.result == {"ok": True}
    assert within(out, seconds=5, memory_mib=256) == []
    assert 1 < out.peak_mib < 256


def test_memory_over_the_bound_is_caught() -> None:
    out = bounded("b = bytearray(300 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
                  "report(ok=True)", seconds=5, memory_mib=128)
    assert any("peak RSS" in p for p in within(out, seconds=5, memory_mib=128))


def test_a_hang_is_killed_and_said() -> None:
    out = bounded("import time; time.sleep(60)", seconds=0.5)
    assert out.killed
    assert within(out, seconds=0.5)[0].startswith("still running")
