"""Stage 1, reading: bytes of a file (text, HTML, DOCX, PDF) to the common document form."""
