"""Which files a batch reads: every supported file under the paths given, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..errors import GxnianbaoError
from ..read.fetch import is_url
from ..read.formats import collected_suffixes

__all__ = ["SUPPORTED_SUFFIXES", "DatasetError", "collect_files"]

SUPPORTED_SUFFIXES = collected_suffixes()
"""What ``batch`` picks up when it walks a folder.  ``.doc`` and ``.wps`` (old binary Word and
WPS files) are included on purpose: they cannot be read, and a dataset should say which files
it could not read rather than skip them silently."""


class DatasetError(GxnianbaoError):
    """The dataset cannot be built as asked: a missing path, an output that cannot be resumed,
    Parquet without pyarrow.  (A file that cannot be read is not this: it becomes an error
    row.)"""


def collect_files(paths: Iterable[str]) -> list[str]:
    """Every supported file under ``paths`` (files given by name are always taken), sorted.

    Sorting the whole list makes the dataset's row order the same on every run and for any
    number of workers; paths are normalised so ``--resume`` recognises them.  Nothing is
    opened here: a FIFO, device or socket (named, or with a supported suffix in a folder) is
    listed like a file and becomes an error row (``parse_file`` refuses it unopened).  An
    ``http(s)://`` URL is taken as given (its ``//`` kept) and downloaded by the worker.
    """
    found: set[str] = set()
    for top in paths:
        if is_url(top):
            found.add(top)
            continue
        if os.path.exists(top) and not os.path.isdir(top):
            found.add(os.path.normpath(top))
            continue
        if not os.path.isdir(top):
            raise DatasetError(f"{top}: no such file or directory")
        for root, dirs, names in os.walk(top):
            dirs.sort()
            for name in names:
                if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                    found.add(os.path.normpath(os.path.join(root, name)))
    return sorted(found)
