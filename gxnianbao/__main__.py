"""``python -m gxnianbao``: the command line (see :mod:`gxnianbao.cli` and ``docs/cli.md``)."""

from __future__ import annotations

import sys

from .cli.demo import sample_text, summary
from .cli.main import main

__all__ = ["main", "sample_text", "summary"]

if __name__ == "__main__":
    sys.exit(main())
