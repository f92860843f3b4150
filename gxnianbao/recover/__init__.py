"""Stage 4, recovery: cells a layout dropped, placed only where the identities prove it.

:func:`recover_table` works on one bound table, within :class:`RecoverySettings`, and returns a
:class:`Recovery` that says what it cost.  Modules: ``system`` (identities as a linear system),
``agreement`` (what consistent placements agree on), ``placements`` (their enumeration within a
budget), ``table`` (the driver and its diagnostics), and for rows whose digits were run
together ``splits`` (the ways to cut them), ``joint`` (deciding between them across rows) and
``glued`` (its driver).
"""

from .placements import BUDGET, RecoverySettings
from .table import DEFAULT_SETTINGS, Recovery, recover_table

__all__ = ["BUDGET", "DEFAULT_SETTINGS", "Recovery", "RecoverySettings", "recover_table"]
