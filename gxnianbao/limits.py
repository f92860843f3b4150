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
    # --- text, HTML and DOCX work budgets (issue 16) ---
    max_report_chars: int = 4_000_000
    """Characters of report text ``parse_report`` and ``parse_file`` parse (a document's text
    view too).  Real reports have 10,000 to 300,000; parsing costs about 100 bytes of memory per
    character on the worst layouts (one cell per line), so this keeps a parse under 1 GiB."""
    max_region_cells: int = 20_000
    """Cells of one table region the binder works on (the largest official table has under 300
    cells).  The cells past it are not read, with a ``table-region-truncated`` warning: binding
    and recovery cost grows with a region's cells, and a hostile text can put a million there."""
    max_row_tokens: int = 1_000
    """Numbers of one row kept in its diagnostic and offered to recovery (an official row has
    at most 15 cells); a longer row's further numbers are counted, not listed."""
    max_elements: int = 100_000
    """HTML start tags, or DOCX XML elements in the main part, per document.  A report's page or
    main part has under 30,000 (the 2021 template's three tables: 7,600); the HTML tree builder
    spends about 12 µs on each, so a page of a million unclosed ``<p>`` stops within 1.5 s."""
    max_attributes: int = 200_000
    """HTML attributes read per document (a tag's attributes are read when it is a table cell or
    when it is not plainly formed; a real page has a few per cell)."""


DEFAULT_LIMITS = Limits()
