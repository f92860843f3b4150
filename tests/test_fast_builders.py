"""The hot path's record builders make the very objects the attrs constructors make."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from gxnianbao.model import CellRecord, Origin, SourceLabel, Span, Status
from gxnianbao.model.cells import new_record, new_span
from gxnianbao.model.report import new_source_label

origins = st.none() | st.builds(Origin, st.sampled_from(["pdf", "docx", "html"]), st.integers(1, 9))
ints = st.integers(0, 10**6)


@given(ints, ints, ints, ints, origins)
def test_new_span_is_span(
    start: int, end: int, line: int, column: int, origin: Origin | None
) -> None:
    fast = new_span(start, end, line, column, origin)
    slow = Span(start, end, line, column, origin)
    assert fast == slow and type(fast) is Span and hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)


@given(
    st.text(max_size=5),
    st.integers(-5, 10**6) | st.none(),
    st.sampled_from(list(Status)),
    st.text(max_size=5) | st.none(),
    st.none() | st.builds(Span, ints, ints, ints, ints),
    st.sampled_from([None, "元", "万元"]),
)
def test_new_record_is_cell_record(
    key: str,
    value: int | None,
    status: Status,
    raw: str | None,
    span: Span | None,
    unit: str | None,
) -> None:
    fast = new_record("applications", key, "total", value, status, raw, span, unit)
    slow = CellRecord("applications", key, "total", value, status, raw, span, unit)
    assert fast == slow and type(fast) is CellRecord
    assert attrs.asdict(fast, recurse=False) == attrs.asdict(slow, recurse=False)
    assert repr(fast) == repr(slow)


def test_the_builders_know_every_field() -> None:
    # A field added to either class must be added to its builder too.
    assert [f.name for f in attrs.fields(Span)] == ["start", "end", "line", "column", "origin"]
    assert [f.name for f in attrs.fields(CellRecord)] == [
        "table", "row", "column", "value", "status", "raw", "span", "unit", "identity",
        "evidence",
    ]  # fmt: skip


@given(
    st.sampled_from(["row", "column", "group", "header"]),
    st.text(max_size=6),
    st.builds(Span, ints, ints, ints, ints, origins),
)
def test_new_source_label_is_source_label(kind: str, text: str, span: Span) -> None:
    fast = new_source_label("applications", kind, "received", text, "一、本年新收", span)  # type: ignore[arg-type]
    slow = SourceLabel("applications", kind, "received", text, "一、本年新收", span)  # type: ignore[arg-type]
    assert fast == slow and type(fast) is SourceLabel and repr(fast) == repr(slow)
    assert [f.name for f in attrs.fields(SourceLabel)] == [
        "table", "kind", "key", "text", "official", "span",
    ]  # fmt: skip
