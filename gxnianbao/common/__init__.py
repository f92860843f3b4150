"""Text primitives every stage shares: cell values, label folding and matching."""
