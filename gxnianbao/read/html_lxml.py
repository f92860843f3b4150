"""An HTML page's text -> the tree builder's tokens, parsed by ``lxml.html`` (libxml2).

Why lxml: libxml2's HTML parser (its tokenizer follows HTML5 since 2.14) parses a page in C,
in linear time, several times faster than the hand-written tokenizer of :mod:`.html_tokens`.
Its tree is walked here (``etree.HTMLParser``: the same parser as ``lxml.html``'s, without the
Python class lookup for each element) and handed to the same :class:`~.html_tree.TreeBuilder`
as the tokenizer's tokens, so both give the same paragraphs and grids.

What libxml2 does not do the way a reader must, and how it is handled:

- it stops silently at nesting depth 256 (and on other resource limits, such as a text node of
  10 MB), losing the rest of the page: such a page is refused here (:class:`NotReadHere`) and
  read by the hand-written tokenizer, which holds every bound of :mod:`gxnianbao.limits`;
- it raises on a page with no content (a flood of ``<!--``): read by the tokenizer too;
- it gives an element's line as that of the ``>`` ending its start tag, a line number of at
  most 65535, and no line for text: the start tags that run over several lines are found in
  the source (one linear search), pages of more lines go to the tokenizer, and a text's line is
  counted from the line where it starts;
- it builds some trees otherwise than browsers (and the tokenizer) do: it drops a stray
  ``</p>`` (a paragraph break) and ``</br>`` (a line break; rewritten ``<br>`` before parsing),
  puts what follows ``</html>`` in a second ``<html>`` (walked too), and ends a block opened
  inside an inline element with it (``<font><p>a</font>b``): the pages with a stray ``</p>``
  or such a block are read by the tokenizer;
- it has no budget for elements or attributes, and its check for repeated attributes takes
  time in the square of a tag's attributes: a page with more ``<`` than
  ``limits.max_elements`` or a start tag of 64 attributes or more goes to the tokenizer, which
  counts them in linear time; cells' attributes are counted here against
  ``limits.max_attributes``.

A parser object is made per call: lxml's parsers may not be shared between threads.
"""

from __future__ import annotations

import re

from lxml import etree  # type: ignore[import-untyped]

from ..limits import Limits
from .html_tokens import RAW_TEXT
from .html_tree import BLOCKS, CELLS, STRUCTURAL, TreeBuilder

__all__ = ["LineTreeBuilder", "NotReadHere", "walk_page"]

MODERN = etree.LIBXML_VERSION >= (2, 14)
"""libxml2 tokenizes HTML as HTML5 does since 2.14 (comments, raw text, character references,
attributes), as the hand-written tokenizer does; an older one is not used."""
_MAX_LINES = 65535
"""libxml2 keeps an element's line in 16 bits."""
_CROWDED_TAG = re.compile(
    r"""<[A-Za-z][^\t\n\f\r /><]*+(?:<(?![A-Za-z])[^\t\n\f\r /><]*+)*+"""
    r"""(?:(?:[\t\n\f\r /]++|(?<=["']))[^\t\n\f\r />=][^\t\n\f\r />=]*+"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]++))?+){64}"""
)
"""A start tag of 64 attributes or more, read as HTML5 reads them (quoted values may hold
``<`` and ``>``).  libxml2 checks each attribute against the tag's others: a tag of 40,000
distinct attributes (350 KB) costs it 2.5 s, 80,000 take 14 s.  (Possessive throughout, and a
tag name read up to a ``<`` and a letter, where the next try starts: each try reads at most 64
attributes, so the search is linear.)"""
_TAG_REST = re.compile(r"\n[^<>\n]*+>")
"""The last line feed of a start tag running over lines (Word writes its long ``style``
attributes so) and the rest of the tag."""
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*+")
_END_BR = re.compile(r"</br(?=[\t\f /])[^>\n]*>|</br>", re.IGNORECASE)
"""``</br>``, a line break for browsers and the tokenizer, which libxml2 drops."""
_TAG_MISMATCH = etree.ErrorTypes.ERR_TAG_NAME_MISMATCH
_STRAY_P = re.compile(r"Unexpected end tag : p\b")
_SKIPPED = RAW_TEXT | {"noscript"}
"""Elements whose content is dropped (libxml2 parses ``<noscript>``'s content as markup)."""
_SPANS = frozenset(("rowspan", "colspan"))
"""The attributes the builder reads."""
_NO_ATTRIBUTES: dict[str, str] = {}


class NotReadHere(Exception):
    """libxml2 cannot read this page completely: the hand-written tokenizer reads it."""


class LineTreeBuilder(TreeBuilder):
    """The tree builder fed by the walk: positions are source lines, text is already decoded."""

    escaped = False

    def line_at(self, pos: int) -> int:
        return pos

    def text_line(self, pos: int, chunk: str, lead: int) -> int:
        return pos + chunk.count("\n", 0, lead)


def _parser() -> etree.HTMLParser:
    """A fresh parser (not shareable between threads): no network, no huge trees, comments kept
    (their lines keep the count of lines right), processing instructions dropped."""
    return etree.HTMLParser(
        encoding="utf-8",
        recover=True,
        no_network=True,
        huge_tree=False,
        remove_comments=False,
        remove_pis=True,
        remove_blank_text=False,
        collect_ids=False,
        default_doctype=False,
    )


def _start_lines(text: str) -> dict[int, tuple[str, int]]:
    """Start tags running over lines: the line of their ``>`` -> (name, line of their ``<``).

    At most one such tag ends on a line (any later tag ending there starts on it too).  Only
    the last line feed of each such tag is looked at (a line feed followed by the rest of a
    tag up to its ``>``), so the search costs next to nothing on a page without them."""
    out: dict[int, tuple[str, int]] = {}
    count = text.count
    pos = 0
    line = 1
    for m in _TAG_REST.finditer(text):
        lf = m.start()
        lt = text.rfind("<", 0, lf)
        if lt < 0 or text.find(">", lt, lf) >= 0:
            continue  # a line feed in text, before a stray ">"
        name = _TAG_NAME.match(text, lt + 1)
        if name is None:
            continue  # an end tag, a comment or a "<" in text
        line += count("\n", pos, lt)
        pos = lt
        out[line + count("\n", lt, m.end())] = (name[0].lower(), line)
    return out


def walk_page(text: str, builder: LineTreeBuilder, limits: Limits) -> None:
    """Parse ``text`` with lxml and hand its tree to ``builder``; raises :class:`NotReadHere`
    for a page libxml2 cannot read completely."""
    if (
        not MODERN
        or text.count("<") > limits.max_elements
        or text.count("\n") >= _MAX_LINES
        or _CROWDED_TAG.search(text) is not None
    ):
        raise NotReadHere
    parser = _parser()
    source = _END_BR.sub("<br>", text) if "</" in text else text
    try:
        root = etree.fromstring(source.encode("utf-8"), parser)
    except (etree.LxmlError, UnicodeError) as err:
        raise NotReadHere from err
    if root is None or any(_lost(e) for e in parser.error_log):
        raise NotReadHere
    starts = _start_lines(text)
    for top in (root, *root.itersiblings()):  # (what follows ``</html>`` is another ``<html>``)
        if isinstance(top.tag, str):
            _walk(top, builder, starts, limits.max_attributes)


def _ends_with_block(inline: etree._Element) -> bool:
    """Whether the last thing inside ``inline`` is a block (through inline elements that end
    it, as in ``<b><font><p>a</font></b>``)."""
    last = inline[-1]
    while last.tag not in BLOCKS:
        tail = last.tail
        if not isinstance(last.tag, str) or not len(last) or (tail and not tail.isspace()):
            return False
        last = last[-1]
    return True


def _check_misnested(inline: etree._Element) -> None:
    """Raise :class:`NotReadHere` for an inline element that ends with a block, content after it
    (``<font><p>a</font>b``): libxml2 closes the block with the inline element, where browsers
    and the tokenizer keep ``b`` in the block.  A page written so (``<font><p>a</p></font>b``)
    is read by the tokenizer too, alike."""
    tail = inline.tail
    if tail and not tail.isspace():
        raise NotReadHere
    after = inline.getnext()
    if after is not None and isinstance(after.tag, str) and after.tag not in STRUCTURAL:
        raise NotReadHere


def _lost(error: etree._LogEntry) -> bool:
    """Whether libxml2 lost content or structure: a resource limit (it stops there), or a stray
    ``</p>`` (a paragraph break for browsers and the tokenizer, dropped by libxml2)."""
    return bool(
        error.level >= etree.ErrorLevels.FATAL
        or (error.type == _TAG_MISMATCH and _STRAY_P.match(error.message) is not None)
    )


def _walk(
    root: etree._Element,
    builder: LineTreeBuilder,
    starts: dict[int, tuple[str, int]],
    attributes_left: int,
) -> None:
    """Hand the tree to the builder in document order, keeping the source line reached.

    One pass of ``etree.iterwalk`` (iterating an element's children from Python costs lxml ten
    times more); the content of skipped elements is not walked, only its line feeds counted."""
    add_text, start, end = builder.add_text, builder.start, builder.end
    line = 1
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            line = el.sourceline or line
            if tag in _SKIPPED:
                walker.skip_subtree()
                line += sum(text.count("\n") for text in el.itertext())
                continue
            if tag in STRUCTURAL:
                first = line
                if starts:
                    found = starts.get(line)
                    if found is not None and found[0] == tag:
                        first = found[1]
                        del starts[line]
                attributes = _NO_ATTRIBUTES
                if tag in CELLS:
                    items = el.items()
                    if items:
                        attributes_left -= len(items)
                        if attributes_left < 0:
                            raise builder.too_large(
                                f"more than {builder.limits.max_attributes:,} attributes "
                                "(limits.max_attributes)"
                            )
                        attributes = {key: value for key, value in items if key in _SPANS}
                start(tag, attributes, first)
            text = el.text
        else:
            if event == "end":
                tag = el.tag
                if tag in STRUCTURAL:
                    end(tag)
                elif len(el) and tag not in _SKIPPED and _ends_with_block(el):
                    _check_misnested(el)
                if el is root:
                    return
            else:  # a comment: its line is that of its end
                line = el.sourceline or line
            text = el.tail
        if text:
            add_text(line, text)
            line += text.count("\n")
