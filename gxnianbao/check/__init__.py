"""Stage 6, checking: rules over a parsed report (identities, structure, narrative, series)."""
