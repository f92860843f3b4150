"""Stage 9, the command line: parse, check, batch and demo."""
