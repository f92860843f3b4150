"""``gxnianbao codebook``: what every column of a ``batch`` dataset holds, as CSV or JSON.

The records of :func:`gxnianbao.export.codebook.codebook_records` (no pandas needed); the CSV
has the UTF-8 BOM with ``--excel``, like ``batch --excel``, so that Excel shows the Chinese
label paths right.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from ..export.codebook import CODEBOOK_FIELDS, codebook_records
from .inputs import EXIT_OK

__all__ = ["cmd_codebook"]


def cmd_codebook(args: argparse.Namespace) -> int:
    """Print the codebook: one record per wide column, in dataset order."""
    records = codebook_records(args.status_columns)
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    if args.excel:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=list(CODEBOOK_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return EXIT_OK
