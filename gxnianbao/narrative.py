"""Counts stated in part 一、总体情况 checked against tables 2–4 (placeholder; being written)."""

from __future__ import annotations

from .findings import Finding
from .model import Report


def check_narrative(report: Report) -> list[Finding]:
    """Findings comparing counts stated in the overview with the tables."""
    return []
