"""The HTML reader on lxml: the same document as the hand-written tokenizer, and the pages
libxml2 cannot read completely handed to the tokenizer, nothing lost.

Why: ``read_html`` parses pages with ``lxml.html`` (libxml2) for speed, and keeps its own
tokenizer (``engine="tokens"``) for what libxml2 does not do as a reader must: it stops silently
at nesting depth 256, raises on a page it finds empty, keeps line numbers in 16 bits and gives an
element's line as that of the end of its start tag.  Every cell, paragraph and line must be the
same whichever engine read the page.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from htmlgen import html_styles, render_html
from reportgen import GenReport, reports, reports_with_gaps

import gxnianbao.read.html_lxml as html_lxml
from gxnianbao.errors import DocumentTooLargeError, UnreadableDocument
from gxnianbao.limits import DEFAULT_LIMITS, Limits
from gxnianbao.read.document import Document, Grid, Paragraph
from gxnianbao.read.html import decode_html, read_html
from gxnianbao.read.html_lxml import LineTreeBuilder, NotReadHere, walk_page

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
SOME = settings(max_examples=max(10, settings.default.max_examples // 4))


def both(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[Document, Document]:
    return (
        read_html(data, name="p.html", limits=limits),
        read_html(data, name="p.html", limits=limits, engine="tokens"),
    )


def by_lxml(html: str) -> bool:
    """Whether lxml reads the page itself (rather than handing it to the tokenizer)."""
    text = decode_html(html.encode("utf-8"))[0]
    try:
        walk_page(text, LineTreeBuilder(text, "p.html", DEFAULT_LIMITS), DEFAULT_LIMITS)
    except NotReadHere:
        return False
    except DocumentTooLargeError:
        return True  # (a budget ran out on the lxml path)
    return True


def shapes(doc: Document) -> list[object]:
    return [
        (b.text, b.origin.line)
        if isinstance(b, Paragraph)
        else [(c.text, c.row, c.col, c.rowspan, c.colspan, c.origin.line) for c in b.cells]
        for b in doc.blocks
    ]


# --- the same document from both engines -----------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.name)
def test_fixture_pages_are_read_alike(path: Path) -> None:
    data = path.read_bytes()
    assert by_lxml(decode_html(data)[0])
    fast, tokens = both(data)
    assert fast == tokens


@SOME
@given(r=st.one_of(reports(), reports_with_gaps()), page=html_styles())
def test_generated_pages_are_read_alike(r: GenReport, page: object) -> None:
    """Every page style (charsets, Word cells, layout tables, omitted end tags, entities,
    upper-case tags, chrome): the same blocks, cells, spans, lines and diagnostics."""
    data = render_html(r, page=page)  # type: ignore[arg-type]
    fast, tokens = both(data)
    assert fast == tokens


@SOME
@given(
    r=reports_with_gaps(),
    page=html_styles(),
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 400)), max_size=6),
    junk=st.binary(max_size=40),
)
def test_damaged_pages_lose_nothing_either_way(
    r: GenReport, page: object, cuts: list[tuple[int, int]], junk: bytes
) -> None:
    """Slices cut out and junk spliced in: the same text, character for character, in the same
    order, whichever engine reads the page.  (Where junk leaves tag soup, libxml2's tree may
    split it otherwise: a paragraph cut in two, a stray caption in the grid, a line taken
    from the end of a start tag whose quote junk left open.)"""
    data = bytearray(render_html(r, page=page))  # type: ignore[arg-type]
    for at, length in cuts:
        at %= len(data) + 1
        del data[at : at + length]
        data[at:at] = junk
    try:
        fast, tokens = both(bytes(data))
    except UnreadableDocument as err:
        note(repr(err))
        with pytest.raises(type(err)):
            read_html(bytes(data), engine="tokens")
        return
    assert content(fast) == content(tokens)
    assert fast.diagnostics == tokens.diagnostics


def content(doc: Document) -> str:
    """Every character of the document's paragraphs and cells but white space, in order."""
    return "".join(
        "".join((b.text if isinstance(b, Paragraph) else "".join(c.text for c in b.cells)).split())
        for b in doc.blocks
    )


@SOME
@given(
    st.lists(
        st.sampled_from(
            "<p> </p> <div> </div> <td> </td> <tr> </tr> <table> </table> <span> </span> <font> "
            "</font> <br> <li> </li> <ul> </ul> <h1> </h1> <b> </b> <th> <tbody> <caption> "
            "</caption> <center> </center> <a> </a> x y 1 2 \n".split(" ")
        ),
        max_size=30,
    )
)
def test_tag_soup_loses_nothing_either_way(tokens: list[str]) -> None:
    """Any order of the tags reports use: the same text from both engines, in the same order
    (how it is split into paragraphs and cells may differ in soup: about 1 page in 100)."""
    page = ("<p>" + "".join(tokens)).encode()
    fast, slow = both(page)
    assert content(fast) == content(slow)


@pytest.mark.parametrize(
    "page",
    [
        "<p>一</p>\n<table\n border=1>\n<tr><td\n colspan=2\n>a</td><td>b</td></tr></table>",
        "<script>\nvar a = '<p>x</p>';\n\n</script>\n<p>\n\n after script</p>",
        "<p>a<!-- one\ntwo\nthree -->b\n<br>c</p><p\nclass=x>\nd</p>",
        "<p>a\r\nb</p>\r\n<p>c\rd</p>\r<table><tr><td>\r\n1</td></tr></table>",
        "<noscript>\n<p>\n</p>\n</noscript>\n<p>after noscript</p>",
        "<table><tr><td>1<td>2\n<tr><td>3</table>\n\n<p>x</p>",
    ],
    ids=["multi-line-tags", "script", "comments", "carriage-returns", "noscript", "unclosed"],
)
def test_lines_are_those_of_the_source(page: str) -> None:
    """A cell's or grid's line is that of its ``<td``/``<table`` (libxml2 gives that of the
    ``>``), a paragraph's that of its first text, through comments, scripts and CRs."""
    assert by_lxml(page)
    fast, tokens = both(page.encode("utf-8"))
    assert shapes(fast) == shapes(tokens)
    assert fast == tokens


def test_a_multi_line_cell_tag_points_at_its_start() -> None:
    doc = read_html(b"<table>\n<tr><td\n colspan=2\n>a</td></tr></table>")
    (grid,) = [b for b in doc.blocks if isinstance(b, Grid)]
    assert (grid.origin.line, grid.cells[0].origin.line) == (1, 2)


def test_control_characters_are_removed_by_both_engines() -> None:
    page = b"<p>a\x00b\x01c&#1;d&#127;e</p><table><tr><td>\x0b1\x002</td></tr></table>"
    fast, tokens = both(page)
    assert fast == tokens
    assert shapes(fast) == [("abcde", 1), [("12", 0, 0, 1, 1, 1)]]


def test_a_cell_attribute_name_with_a_control_character() -> None:
    """lxml cannot look at such a name; the spans are still read."""
    fast, tokens = both(b"<table><tr><td a\x01b=1 colspan=2>x</td><td>y</td></tr></table>")
    assert fast == tokens
    assert [(c.col, c.colspan) for c in fast.blocks[0].cells] == [(0, 2), (2, 1)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<html><body><p>a</p></body></html>\n<p>after the end</p>", ["a", "after the end"]),
        ("<p>a<br>b</br>c</BR >d</p>", ["a", "b", "c", "d"]),
        ("<p>a</p>b</p>c", ["a", "b", "c"]),
        ("<div>a</p>b</div>", ["a", "b"]),
        ("<font><p>a</font>b</p>", ["ab"]),
        ("<b><font><p>a</font></b>b</p>", ["ab"]),
        ("<table><tr><td><font><p>a</font>b</td></tr></table>", [["ab"]]),
        ("<table><tr><td>1</p>2</td></tr></table>", [["1\n2"]]),
        ("<span><p>a</p></span>b", ["a", "b"]),
    ],
    ids=[
        "after-html",
        "end-br",
        "stray-end-p",
        "stray-end-p-in-div",
        "font-closes-p",
        "font-in-b-closes-p",
        "font-closes-p-in-cell",
        "stray-end-p-in-cell",
        "inline-around-block",
    ],
)
def test_what_libxml2_builds_otherwise_is_read_as_browsers_do(
    page: str, expected: list[object]
) -> None:
    """libxml2 puts what follows ``</html>`` in a second ``<html>``, drops ``</br>`` and a stray
    ``</p>`` (browsers read a line break and an empty paragraph), and ends a block opened inside
    an inline element with it (browsers keep what follows in the block): such pages are read
    as the tokenizer reads them."""
    fast, tokens = both(page.encode("utf-8"))
    assert fast == tokens
    assert [
        b.text if isinstance(b, Paragraph) else [c.text for c in b.cells] for b in fast.blocks
    ] == expected


def test_plaintext_is_the_known_difference() -> None:
    """``<plaintext>``: its content is text to the end of the page (HTML5, libxml2); the
    tokenizer reads markup in it.  lxml is right; no report page uses it."""
    fast, tokens = both(b"<p>a</p><plaintext><p>x</p>")
    assert [b.text for b in fast.blocks] == ["a", "<p>x</p>"]  # type: ignore[union-attr]
    assert [b.text for b in tokens.blocks] == ["a", "x"]  # type: ignore[union-attr]


# --- what libxml2 cannot read goes to the tokenizer, nothing lost ----------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<span>" * 300 + "deep" + "</span>" * 300 + "<p>after</p>",
        "<div><b>" * 130 + "deep" + "</b></div>" * 130 + "<p>after</p>",
    ],
    ids=["inline", "mixed"],
)
def test_deep_pages_lose_nothing(page: str) -> None:
    """libxml2 stops at depth 256 and drops the rest of the page; the tokenizer reads it."""
    assert not by_lxml(page)
    limits = Limits(max_depth=200)
    doc = read_html(page.encode(), limits=limits)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["deep", "after"]


def test_deep_blocks_past_max_depth_are_refused_on_the_lxml_path() -> None:
    page = "<div>" * 150 + "x"
    assert by_lxml(page)
    with pytest.raises(DocumentTooLargeError, match="max_depth"):
        read_html(page.encode())


@pytest.mark.parametrize(
    ("page", "blocks"),
    [
        ("<!--" * 5000, []),
        ("<!-- a comment only -->", []),
        ("<!DOCTYPE html>", []),
        ("<p>" + "x" * 70_000 + "<a " + "b " * 40_000 + "></a></p>", ["x" * 70_000]),
    ],
    ids=["comment-flood", "comment", "doctype", "crowded-tag"],
)
def test_pages_lxml_refuses_are_read_by_the_tokenizer(page: str, blocks: list[str]) -> None:
    assert not by_lxml(page)
    doc = read_html(page.encode())
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == blocks


def test_a_text_past_libxml2s_limit_loses_nothing() -> None:
    """libxml2 stops at a text node of 10,000,000 bytes (``huge_tree`` off, deliberately)."""
    page = "<p>" + "政" * 3_400_000 + "</p><p>end</p>"
    assert not by_lxml(page)
    doc = read_html(page.encode("utf-8"))
    assert [len(b.text) for b in doc.blocks if isinstance(b, Paragraph)] == [3_400_000, 3]


@pytest.mark.parametrize(
    "attributes",
    [
        " ".join(f"a{i}=1" for i in range(3000)),
        "".join(f'a{i}="<>"' for i in range(3000)),
        " ".join(f"a<b{i}" for i in range(3000)),
        "/".join(f"a{i}" for i in range(3000)),
    ],
    ids=["spaced", "unspaced-quoted", "names-with-lt", "slashes"],
)
@pytest.mark.parametrize("name", ["p", "p<1", "td"])
def test_tags_of_many_attributes_go_to_the_tokenizer(name: str, attributes: str) -> None:
    """libxml2's check for repeated attributes takes time in the square of a tag's distinct
    attributes (80,000 in one tag: 14 s); the tokenizer reads them in linear time."""
    page = f"<table><tr><{name} {attributes}>x</{name}></tr></table>"
    assert not by_lxml(page)
    fast, tokens = both(page.encode())
    assert fast == tokens


def test_an_ordinary_tag_of_sixty_attributes_stays_with_lxml() -> None:
    page = "<p " + " ".join(f'data-a{i}="v"' for i in range(60)) + ">x</p>"
    assert by_lxml(page)


def test_pages_of_more_than_65535_lines_keep_their_lines() -> None:
    page = "\n" * 70_000 + "<table><tr><td>1</td></tr></table>\n<p>x</p>"
    assert not by_lxml(page)
    doc = read_html(page.encode())
    assert [b.origin.line for b in doc.blocks] == [70_001, 70_002]


def test_element_budget_sends_the_page_to_the_tokenizer_which_counts() -> None:
    page = "<p>1" * 50
    assert not by_lxml(page) or page.count("<") <= DEFAULT_LIMITS.max_elements
    with pytest.raises(DocumentTooLargeError, match="max_elements"):
        read_html(page.encode(), limits=Limits(max_elements=20))
    assert len(read_html(page.encode(), limits=Limits(max_elements=50)).blocks) == 50


def test_an_old_libxml2_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (FIXTURES / "cms_article.html").read_bytes()
    expected = read_html(page)
    monkeypatch.setattr(html_lxml, "MODERN", False)
    assert not by_lxml(page.decode("utf-8"))
    assert read_html(page) == expected


def test_engine_is_checked() -> None:
    with pytest.raises(ValueError, match="engine"):
        read_html(b"<p>x</p>", engine="html5lib")  # type: ignore[arg-type]


# --- no shared state -----------------------------------------------------------------------


def test_pages_read_in_threads_at_once() -> None:
    """A parser per call: pages read in parallel threads come out as read one by one."""
    pages = [p.read_bytes() for p in sorted(FIXTURES.glob("*.html"))]
    expected = [read_html(p) for p in pages]
    results: dict[int, list[Document]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = [read_html(p) for p in pages for _ in range(3)]
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for docs in results.values():
        assert docs == [e for e in expected for _ in range(3)]
