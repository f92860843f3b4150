"""Stage 4, recovery: cells a layout dropped, placed only where the identities prove it."""
