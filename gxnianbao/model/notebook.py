"""A report as a notebook shows it: a one-line ``repr`` and a compact HTML drawing.

Why here, in the model: ``Report.__repr__`` and ``Report._repr_html_`` may not import later
stages (the visual report of ``gxnianbao check --html`` lives in ``export/``), so this draws
from the template's own table specs (labels and row order) and the cells' statuses only.  The
HTML is self-contained (one ``<style>`` scoped to its own class) and escapes every text.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence

from ..templates import RowSpec, TableSpec
from .cells import CellRecord, Diagnostic, Status
from .tables import AnyTable, default_spec

__all__ = ["report_html", "status_counts", "summary_line"]

_ISSUER_CHARS = 40
"""An issuer's name longer than this is cut in the one-line summary (a few are 60 long)."""
_SHOWN: dict[Status, str] = {
    Status.BLANK: "",
    Status.NOT_APPLICABLE: "/",
    Status.MISSING: "–",
    Status.AMBIGUOUS: "?",
}
"""What a cell without a number shows; a reported or inferred cell shows its value."""
_STYLE = (
    ".gxnb{font-size:12px;line-height:1.3}"
    ".gxnb table{border-collapse:collapse;margin:2px 0 8px}"
    ".gxnb th,.gxnb td{border:1px solid #bbb;padding:1px 5px}"
    ".gxnb th{background:#f3f3f3;font-weight:normal;text-align:center}"
    ".gxnb th.row{text-align:left}.gxnb td{text-align:right;min-width:2em}"
    ".gxnb th.grp{text-align:left;font-weight:bold}"
    ".gxnb .blank,.gxnb .not_applicable{color:#888}"
    ".gxnb .missing{background:#eee;color:#888}"
    ".gxnb .inferred{background:#e3edfb;font-style:italic}"
    ".gxnb .ambiguous{background:#fbe3e3;color:#a00;font-weight:bold}"
    ".gxnb summary{cursor:pointer;font-weight:bold}"
)


def status_counts(cells: Iterable[CellRecord]) -> dict[Status, int]:
    """How many cells have each status, in :class:`Status` order, zeros left out."""
    counts = Counter(cell.status for cell in cells)
    return {status: counts[status] for status in Status if counts[status]}


def _counts_text(counts: dict[Status, int]) -> str:
    return ", ".join(f"{n} {status.value}" for status, n in counts.items()) or "no cells"


def summary_line(
    issuer: str | None,
    year: int | None,
    template: str | None,
    counts: dict[Status, int],
    diagnostics: int,
) -> str:
    """``<Report 某县司法局 2023 template 2021: 190 reported, 10 blank; 1 diagnostic>``."""
    name = " ".join((issuer or "").split()) or "(issuer unknown)"  # one line, whatever it holds
    if len(name) > _ISSUER_CHARS:
        name = name[: _ISSUER_CHARS - 1] + "…"
    when = str(year) if year is not None else "(year unknown)"
    plural = "" if diagnostics == 1 else "s"
    return (
        f"<Report {name} {when} template {template or 'unknown'}: {_counts_text(counts)}; "
        f"{diagnostics} diagnostic{plural}>"
    )


def report_html(head: str, tables: Sequence[AnyTable], diagnostics: Sequence[Diagnostic]) -> str:
    """The report's tables, each cell coloured by its status, under a one-line head."""
    out = [f'<div class="gxnb"><style>{_STYLE}</style><div>{_esc(head)}</div>']
    for table in tables:
        out.append(_table_html(table))
    if diagnostics:
        codes = Counter(d.code for d in diagnostics)
        listed = ", ".join(f"{code} ×{n}" if n > 1 else code for code, n in codes.items())
        out.append(f"<div>diagnostics: {_esc(listed)}</div>")
    legend = " ".join(
        f'<span class="{s.value}">{_esc(_SHOWN.get(s, "12")) or "&nbsp;"}</span>&nbsp;{s.value}'
        for s in Status
    )
    out.append(f"<div>{legend}</div></div>")
    return "".join(out)


def _table_html(table: AnyTable) -> str:
    spec = default_spec(type(table))
    counts = _counts_text(status_counts(table.cells()))
    out = [
        f"<details open><summary>{_esc(spec.words)} {_esc(spec.title)}"
        f' <span style="font-weight:normal">({_esc(counts)})</span></summary><table>'
    ]
    groups = {group.key: group.label for group in spec.groups}
    columns: tuple[str, ...] | None = None
    group: str | None = None
    for row_spec in spec.rows:
        keys = tuple(col.key for col in row_spec.columns)
        if keys != columns:
            columns = keys
            out.append(_header(spec, row_spec))
        if row_spec.group != group:
            group = row_spec.group
            if group is not None:
                out.append(
                    f'<tr><th class="grp" colspan="{len(keys) + 1}">'
                    f"{_esc(groups.get(group, group))}</th></tr>"
                )
        row = table.row(row_spec.key)
        cells = "".join(_cell_html(row.cell(key)) for key in keys)
        out.append(f'<tr><th class="row">{_esc(row_spec.label)}</th>{cells}</tr>')
    out.append("</table></details>")
    return "".join(out)


def _header(spec: TableSpec, row: RowSpec) -> str:
    labels = "".join(f"<th>{_esc(col.label)}</th>" for col in row.columns)
    return f"<tr><th></th>{labels}</tr>"


def _cell_html(cell: CellRecord) -> str:
    status = cell.status
    shown = _SHOWN.get(status, "") if cell.value is None else str(cell.value)
    title = f"{cell.row}.{cell.column}"
    if status is not Status.REPORTED:
        title += f": {status.value}"
    if cell.identity:
        title += f" (from {cell.identity})"
    if cell.raw and cell.raw != shown:
        title += f"; written {cell.raw!r}"
    return f'<td class="{status.value}" title="{_esc(title)}">{_esc(shown)}</td>'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
