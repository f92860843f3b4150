"""Limits on what a file may cost to read, with safe defaults.

Why: reports are downloaded from thousands of sites; a zip bomb, a 200 MB scan or an HTML page of
10,000 nested tables must end in a typed error within bounded time and memory, not hang.
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class Limits:
    """What one file may cost.  Pass ``Limits(max_pages=500)`` etc. to ``parse_file``."""

    max_bytes: int = 64 * 1024 * 1024
    """The file's size (a published report is rarely over 10 MB)."""
    max_pages: int = 200
    """PDF pages read."""
    max_decompressed: int = 128 * 1024 * 1024
    """DOCX: the sum of the uncompressed sizes of its zip members; PDF: of its decoded streams."""
    max_ratio: int = 200
    """DOCX: a zip member's uncompressed size over its compressed size."""
    max_zip_members: int = 2000
    max_cells: int = 200_000
    """Table cells in the whole document (HTML: a merged cell counts once per grid position it
    covers, so spans cannot blow a small page up into a huge grid)."""
    max_depth: int = 100
    """HTML element nesting (and tables inside tables)."""
    max_text_chars: int = 20_000_000
    """Characters of text extracted or decoded."""
    max_tree_bytes: int = 8 * 1024 * 1024
    """DOCX: the largest main part parsed whole (faster); a larger one is streamed block by block,
    so that memory stays that of one block."""


DEFAULT_LIMITS = Limits()
