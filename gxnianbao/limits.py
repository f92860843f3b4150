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
    cells), counted as they are read and again as long cells are cut into labels and numbers
    (one line can hold a whole flattened table, or a million of them).  The cells past it are
    not read, with a ``table-region-truncated`` warning: binding and recovery cost grows with a
    region's cells, and a hostile text can put a million there."""
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

    # --- PDF: what interpreting a page and decoding a stream may cost (read/pdf) -----------
    max_operations_per_page: int = 100_000
    """PDF: operations interpreted for one page (see ``max_operations``); the densest page of
    the real reports and fixtures takes 11,300."""
    max_operations: int = 400_000
    """PDF: operations interpreted for the whole document: each token read from a content
    stream (operator, operand, bracket) counts one, each glyph drawn three and each form XObject
    drawn five more than its tokens (what they cost in time), inside forms too, each time the
    form is drawn (a form drawn 10 times counts 10 times: this bounds fan-out).  pdfminer reads
    60,000 to 130,000 tokens a second, so this bounds a read to about 3 to 7 s; a real 6-page
    report takes 52,000 (8,700 a page): some 46 such pages fit (raise it for longer ones)."""
    max_xobject_depth: int = 12
    """PDF: form XObjects drawn inside form XObjects."""
    max_content_per_page: int = 1024 * 1024
    """PDF: bytes of content streams interpreted for one page, forms included (the densest
    page of the real reports has 35 KB).  Some junk costs pdfminer 2 µs a byte without making
    a single token, so bytes need a budget of their own beside the operations."""
    max_content: int = 1536 * 1024
    """PDF: bytes of content streams interpreted for the document, each time interpreted (a
    stream shared by 200 pages counts 200 times); a real 6-page report has 160 KB."""
    max_stream_bytes: int = 32 * 1024 * 1024
    """PDF: bytes one stream decodes to, checked while decoding, for every filter (a report's
    streams are content and fonts of well under 1 MB; its images are never decoded)."""
    max_predicted_bytes: int = 4 * 1024 * 1024
    """PDF: bytes of one stream under a PNG or TIFF predictor, undone in Python at about
    0.3 s a MB; predictors serve cross-reference streams (7 bytes an object)."""
    max_chars_per_page: int = 20_000
    """PDF: characters drawn on one page (a dense A4 page of CJK text holds under 3,000; each
    costs about 30 µs to draw and place)."""
    max_rules_per_page: int = 10_000
    """PDF: ruling segments kept from one page; beyond this the page's tables are read from the
    first ones only (a ``pdf-too-many-rules`` warning says so)."""
    max_lattice: int = 100_000
    """PDF: lattice rectangles of one table (a report's largest table has 28 x 15); beyond this
    the drawing is read as text."""

    # --- URLs (read/fetch.py): a download is bounded like a file, by max_bytes too ----------
    fetch_timeout: float = 30.0
    """URLs: seconds a download may take, waiting for the server and reading its body."""
    max_redirects: int = 5
    """URLs: redirects followed before the download fails."""


DEFAULT_LIMITS = Limits()
