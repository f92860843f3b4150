"""The behaviour snapshot stays byte-identical (see ``tests/snapshot.py``)."""

from __future__ import annotations

import hashlib
import json

import pytest
import snapshot
from conftest import SHARED


def test_every_case_matches_the_snapshot() -> None:
    expected: dict[str, str] = json.loads(snapshot.SNAPSHOT.read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    changed: list[str] = []
    for name, make in snapshot.cases():
        digest = hashlib.sha256(snapshot.outcome(make).encode("utf-8")).hexdigest()
        seen[name] = digest
        if name in expected and expected[name] != digest:
            changed.append(name)
    if not (SHARED / "seeds").is_dir():
        expected = {k: v for k, v in expected.items() if not k.startswith("shared/")}
    assert not changed, f"output changed for {len(changed)} cases, e.g. {changed[:5]}"
    assert sorted(seen) == sorted(expected), "the set of snapshot cases changed"


def test_the_snapshot_covers_every_kind_of_input() -> None:
    names = json.loads(snapshot.SNAPSHOT.read_text(encoding="utf-8"))
    for part in ("fixture/pdf/", "fixture/docx/", "fixture/html/", "shared/seeds/", "/html",
                 "/docx", "gen-2019-", "-perturbed", "-gaps/"):
        assert any(part in name for name in names), part
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"shared material not found at {SHARED}")
