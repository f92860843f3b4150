"""Mutations of real files, for fuzzing the readers: a broken download or a bad copy.

Why: random bytes stop at a reader's first check; a real PDF, DOCX, HTML or text file cut
short, with a byte flipped, a chunk written twice or another file spliced in reaches deep into
the readers.  Used by ``tests/test_fuzz.py`` (a short run in CI) and
``benchmarks/fuzz_readers.py`` (a long local run).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SEED_FILES = (
    *(
        FIXTURES / "pdf" / name
        for name in (
            "basic-small.pdf",
            "gaps.pdf",
            "owner-password.pdf",
            "no-tounicode-all.pdf",
            "scanned.pdf",
        )
    ),
    *(
        FIXTURES / "docx" / name
        for name in ("libreoffice-gaps-2021.docx", "libreoffice-plain-2022.docx")
    ),
    FIXTURES / "html" / "cms_article.html",
    FIXTURES / "html" / "word_export_gbk.html",
    FIXTURES / "word_cells.txt",
    FIXTURES / "markdown.txt",
    FIXTURES / "template2019_tab_rows.txt",
)
"""Real files of every kind the readers take, small enough to mutate by the thousand."""

MUTATIONS = ("flip", "flip", "flip", "duplicate", "duplicate", "truncate", "splice")
"""The edits, weighted: most damage leaves a file its reader gets far into."""
KINDS = (None, None, "own", "own", "pdf", "docx", "html", "text")
"""``parse_file``'s ``kind=``, weighted: recognised from the content, forced to the file's own
kind (``"own"``, see :func:`kind_of`), or forced to any kind (a wrong one too)."""


def kind_of(name: str, kind: str | None) -> str | None:
    """The ``kind=`` to pass for a seed file named ``name``: ``"own"`` is its suffix's kind."""
    if kind != "own":
        return kind
    suffix = name.rsplit(".", 1)[-1]
    return {"txt": "text"}.get(suffix, suffix)


Mutation = tuple[str, int, int]
"""One edit: its name and two numbers that place and size it (taken modulo the length)."""


def mutate(data: bytes, other: bytes, edits: Sequence[Mutation]) -> bytes:
    """``data`` after ``edits``: cut short, a byte flipped, a chunk written twice, or the tail
    replaced by ``other``'s from some point (two files spliced): a broken download or a bad
    copy, not random noise, so that the readers get past their first checks."""
    out = bytearray(data)
    for name, a, b in edits:
        at = a % (len(out) + 1)
        if name == "truncate":
            del out[at:]
        elif name == "flip" and out:
            out[a % len(out)] ^= 1 + b % 255
        elif name == "duplicate":
            chunk = out[at : at + 1 + b % 4096]
            out[at:at] = chunk
        elif name == "splice":
            out[at:] = other[b % (len(other) + 1) :]
    return bytes(out)


def random_edits(rng: random.Random) -> list[Mutation]:
    """One to four edits, as :func:`mutate` takes them (for loops without Hypothesis)."""
    return [
        (rng.choice(MUTATIONS), rng.randrange(2**32), rng.randrange(2**32))
        for _ in range(rng.randint(1, 4))
    ]
