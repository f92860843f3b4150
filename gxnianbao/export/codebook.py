"""The codebook of the wide dataset: what every column holds, in the template's own words.

One record per wide column (:func:`gxnianbao.export.rows.wide_columns`), in the same order,
generated from the template specs (:mod:`gxnianbao.templates`) so that it can never drift from
the dataset: a cell column names its table, row and column keys, the template's label path
(``表三 / 三、本年度办理结果 / （一）予以公开 / 自然人``), its unit, its type, and which
templates have it; a metadata column says what it holds.  Pure data (lists of dicts): pandas
is needed only by :func:`gxnianbao.codebook` when a DataFrame is asked for.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from ..model.cells import STATUS_ZH
from ..templates import TEMPLATES, TableSpec, TemplateSpec
from ..templates.names import without_note
from .rows import META_COLUMNS, status_column, wide_columns

__all__ = ["CODEBOOK_FIELDS", "SEPARATOR", "codebook_records"]

SEPARATOR = " / "
"""Between the parts of a label path."""

CODEBOOK_FIELDS: tuple[str, ...] = (
    "key",
    "group",
    "label_path",
    "table",
    "row",
    "column",
    "unit",
    "type",
    "kind",
    "templates",
    *(f"label_path.{name}" for name in TEMPLATES),
)
"""The fields of a codebook record, in order:

- ``key``: the wide column's name, as in the dataset;
- ``group``: ``meta`` (about the file and the report), ``cell`` (a template cell's value) or
  ``status`` (a cell's status, with ``--status-columns``);
- ``label_path``: the template's words for the cell, table first (the newest template that
  has it), or what a metadata column holds, in Chinese;
- ``table``, ``row``, ``column``: the cell's keys (empty for metadata);
- ``unit``: the unit of the value (``万元``, ``元``; several when the report writes it in the
  cell; empty for counts);
- ``type``: how the value is stored: ``integer``, ``decimal`` (exact, never a float),
  ``date`` (ISO ``YYYY-MM-DD``) or ``text``;
- ``kind``: for cells, ``count`` (≥ 0), ``signed`` (may be negative) or ``amount`` (money);
  ``status`` for a status column (``reported``, ``blank``, ``not_applicable``, ``missing``,
  ``inferred`` or ``ambiguous``; empty when the report's template lacks the cell);
- ``templates``: the templates that have the column, space-separated (empty: every report);
- ``label_path.<template>``: the label path in that template's words (empty when it lacks
  the cell): the same key may be worded differently in two templates.
"""

_STATUS_WORDS = STATUS_ZH

_FINDING_WORDS = {
    "error": "未通过的检查数（严重程度：错误）",
    "warning": "未通过的检查数（严重程度：警告）",
    "info": "未通过的检查数（严重程度：提示）",
    "not_assessable": "无法核对的检查数（按原因计）",
}


def _meta_words() -> dict[str, tuple[str, str, str]]:
    """``(label, type, unit)`` of every metadata column."""
    formats = "、".join(f"{name}（{spec.document}）" for name, spec in TEMPLATES.items())
    words: dict[str, tuple[str, str, str]] = {
        "file": ("文件：读入的路径", "text", ""),
        "status": ("读取结果：ok（已读取）或 error（无法读取，见 error_type）", "text", ""),
        "error_type": ("无法读取时的错误类型", "text", ""),
        "error_message": ("无法读取时的原因", "text", ""),
        "issuer": ("发布机关（标题所列）", "text", ""),
        "year": ("报告年度", "integer", ""),
        "title": ("报告标题", "text", ""),
        "published": ("发布日期", "date", ""),
        "template": (f"报告所用格式：{formats}", "text", ""),
        "processing_fee": ("第六部分所述本年度信息处理费（未收取为0）", "decimal", "元"),
        "diagnostics": ("解析诊断信息条数", "integer", ""),
        "extra_rows": ("格式以外的表格行数", "integer", ""),
    }
    for outcome, text in _FINDING_WORDS.items():
        words[f"findings.{outcome}"] = (text, "integer", "")
    for status, text in _STATUS_WORDS.items():
        label = f"状态为“{text}”（{status.value}）的单元格数"
        words[f"cells.{status.value}"] = (label, "integer", "")
    return words


def _group_chains(table: TableSpec) -> dict[str, tuple[str, ...]]:
    """The group labels above each row, outermost first.

    A group holds the rows from its first to its last; a group whose rows lie inside another's
    sits under it (（三）不予公开 under 三、本年度办理结果), as the template's merged cells do.
    """
    spans: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(table.rows):
        if row.group is not None:
            first, _ = spans.get(row.group, (i, i))
            spans[row.group] = (first, i)
    labels = {g.key: g.label for g in table.groups}
    chains: dict[str, tuple[str, ...]] = {}
    for i, row in enumerate(table.rows):
        holding = [
            (last - first, key)
            for key, (first, last) in spans.items()
            if first <= i <= last and key in labels
        ]
        chains[row.key] = tuple(labels[key] for _, key in sorted(holding, reverse=True))
    return chains


def _unit(label: str, yuan_per_unit: tuple[str, ...]) -> str:
    """The unit a column's label states (``（单位：万元）``), or the units written in the cell."""
    if yuan_per_unit:
        return "、".join(yuan_per_unit)
    head, sep, tail = label.rpartition("单位：")
    return tail.rstrip("）)").strip() if sep and head else ""


def _cells(spec: TemplateSpec) -> dict[str, dict[str, str]]:
    """Every cell of ``spec``: its keys, label path, unit and kind, by wide column."""
    out: dict[str, dict[str, str]] = {}
    for table in spec.tables:
        chains = _group_chains(table)
        for row in table.rows:
            row_label = row.name or without_note(row.label)
            for col in row.columns:
                kind = col.kind or row.kind
                path = (table.words, *chains[row.key], row_label, without_note(col.label))
                out[f"{table.key}.{row.key}.{col.key}"] = {
                    "label_path": SEPARATOR.join(path),
                    "table": table.key,
                    "row": row.key,
                    "column": col.key,
                    "unit": _unit(col.label, tuple(u for u, _ in col.yuan_per_unit)),
                    "type": "decimal" if kind == "amount" else "integer",
                    "kind": kind,
                }
    return out


@functools.cache
def _records(status_columns: bool) -> tuple[Mapping[str, str], ...]:
    cells_by_template = {name: _cells(spec) for name, spec in TEMPLATES.items()}
    meta = _meta_words()
    blank = dict.fromkeys(CODEBOOK_FIELDS, "")
    records: list[dict[str, str]] = []
    for column in META_COLUMNS:
        label, kind, unit = meta[column]
        record = {**blank, "key": column, "group": "meta", "label_path": label}
        record.update(type=kind, unit=unit)
        records.append(record)
    by_key: dict[str, dict[str, str]] = {}
    for column in wide_columns(None):
        if column in meta:
            continue
        having = [name for name, cells in cells_by_template.items() if column in cells]
        record = {**blank, **cells_by_template[having[0]][column]}
        record.update(key=column, group="cell", templates=" ".join(having))
        for name in having:
            record[f"label_path.{name}"] = cells_by_template[name][column]["label_path"]
        by_key[column] = record
        records.append(record)
    if status_columns:
        for key, cell in by_key.items():
            record = {**cell, "key": status_column(key), "group": "status"}
            record.update(type="text", unit="", kind="status")
            for field in ("label_path", *(f"label_path.{name}" for name in TEMPLATES)):
                if record[field]:
                    record[field] += f"{SEPARATOR}状态"
            records.append(record)
    return tuple(records)


def codebook_records(status_columns: bool = False) -> list[dict[str, str]]:
    """The codebook: one record (:data:`CODEBOOK_FIELDS`) per wide column, in dataset order.

    ``status_columns``: also the cells' status columns of ``batch --status-columns``.  Values
    are strings (empty where a field does not apply), so that CSV, JSON and a DataFrame hold
    the same thing.
    """
    return [dict(record) for record in _records(status_columns)]
