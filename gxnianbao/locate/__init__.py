"""Stage 2, locating: the six parts, the title, the sub-headings and the fee sentence."""
