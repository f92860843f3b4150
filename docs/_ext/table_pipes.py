"""An MkDocs hook: ``\\|`` inside a code span of a table row is shown as ``|`` on the site.

A pipe in a table cell must be escaped for GitHub (`` `str \\| None` ``), while MkDocs'
Markdown already ignores pipes inside code spans and shows the backslash as written.  So the
pages keep the escape (they read right on GitHub) and this hook drops it before MkDocs renders
them.
"""

from __future__ import annotations

import re
from typing import Any

_CODE = re.compile(r"(`+)(.+?)\1")


def _unescape(match: re.Match[str]) -> str:
    return match[1] + match[2].replace("\\|", "|") + match[1]


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Each table row's code spans without the backslash before their pipes."""
    lines = markdown.split("\n")
    fence = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fence = not fence
        elif not fence and line.lstrip().startswith("|") and "\\|" in line:
            lines[i] = _CODE.sub(_unescape, line)
    return "\n".join(lines)
