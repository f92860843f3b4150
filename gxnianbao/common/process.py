"""Other libraries' process-wide changes, undone: a call of ours leaves the process as it was.

Some libraries change the whole process when imported or first used: NumPy adds warning
filters at import, RapidOCR gives its loggers DEBUG handlers that write to standard error.
An embedding program's warning filters and logging are its own, so such imports and calls run
inside :func:`state_kept`, which puts the warning filters and the named loggers back as they
were.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import warnings
from collections.abc import Iterator, Sequence

_LOCK = threading.RLock()
"""One guarded import at a time: the warning filters are one list for the whole process, and
two threads restoring it in the wrong order would keep a library's filters."""


@contextlib.contextmanager
def state_kept(loggers: Sequence[str] = ()) -> Iterator[None]:
    """Run the block, then restore the warning filters and the named loggers (level,
    handlers, propagation, whether disabled) to what they were before it."""
    with _LOCK, warnings.catch_warnings():
        saved = []
        for name in loggers:
            logger = logging.getLogger(name)
            saved.append(
                (logger, logger.level, list(logger.handlers), logger.propagate, logger.disabled)
            )
        try:
            yield
        finally:
            for logger, level, handlers, propagate, disabled in saved:
                logger.setLevel(level)
                logger.handlers[:] = handlers
                logger.propagate = propagate
                logger.disabled = disabled
