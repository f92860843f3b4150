"""The 2019 trial template (国办公开办函〔2019〕60号), used for reports on 2019 and 2020.

Tables 2 and 3 differ from 2021; table 4 is the same.  Table 2 counts items on lists (上一年项目
数量, a signed 本年增/减) and adds 政府集中采购; table 3's （六）其他处理 is one row.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from .spec import ColumnSpec, RowSpec, TableSpec, TemplateSpec
from .t2021 import (
    APPLICANT_COLUMNS,
    APPLICATIONS,
    IDENTITIES,
    REVIEW_LITIGATION,
    SECTIONS,
    result_rows,
)

_DOCUMENTS = (
    ColumnSpec("made", "本年新制作数量", ("本年新制作", "新制作数量")),
    ColumnSpec("published", "本年新公开数量", ("本年新公开", "新公开数量")),
    ColumnSpec("total_published", "对外公开总数量", ("对外公开总数",)),
)
_ITEMS = (
    ColumnSpec("previous_items", "上一年项目数量", ("上年项目数量", "上一年项目数")),
    ColumnSpec("change", "本年增/减", ("本年增减", "增/减", "增减"), kind="signed"),
    ColumnSpec("decisions", "处理决定数量", ("本年处理决定数量",)),
)
_FEE_ITEMS = _ITEMS[:2]
_PROCUREMENT = (
    ColumnSpec("projects", "采购项目数量", ("采购项目数",)),
    ColumnSpec(
        "amount",
        "采购总金额",
        ("采购金额",),
        kind="amount",
        yuan_per_unit=(("元", Decimal(1)), ("万元", Decimal(10000)), ("亿元", Decimal(100000000))),
    ),
)

ACTIVE_DISCLOSURE_2019 = TableSpec(
    key="active_disclosure",
    title="主动公开政府信息情况",
    rows=(
        RowSpec("regulations", "规章", _DOCUMENTS),
        RowSpec("normative_documents", "规范性文件", _DOCUMENTS, aliases=("行政规范性文件",)),
        RowSpec("licensing", "行政许可", _ITEMS),
        RowSpec("other_services", "其他对外管理服务事项", _ITEMS, aliases=("其他对外管理服务",)),
        RowSpec("punishment", "行政处罚", _ITEMS),
        RowSpec("coercion", "行政强制", _ITEMS),
        RowSpec("fees", "行政事业性收费", _FEE_ITEMS, aliases=("事业性收费",)),
        RowSpec("procurement", "政府集中采购", _PROCUREMENT, aliases=("集中采购",)),
    ),
    header_labels=(
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "第二十条第（九）项",
        "信息内容",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "采购项目数量",
        "采购总金额",
    ),
    number=2,
)

_OTHER_2021 = {"other.overdue_correction", "other.unpaid_fee", "other.other"}

APPLICATIONS_2019 = TableSpec(
    key="applications",
    title=APPLICATIONS.title,
    rows=tuple(
        RowSpec(
            "other", "（六）其他处理", APPLICANT_COLUMNS, aliases=("其他处理",), group="results"
        )
        if row.key == "other.overdue_correction"
        else row
        for row in APPLICATIONS.rows
        if row.key not in _OTHER_2021 - {"other.overdue_correction"}
    ),
    groups=tuple(g for g in APPLICATIONS.groups if g.key != "other"),
    header_labels=APPLICATIONS.header_labels,
    number=APPLICATIONS.number,
)

# Table 3's （六）其他处理 is one row here, so （七）总计 sums it instead of three.
IDENTITIES_2019 = tuple(
    attrs.evolve(
        ident,
        words="（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）其他处理",
        right=result_rows(APPLICATIONS_2019),
    )
    if ident.id == "t3-results-total"
    else ident
    for ident in IDENTITIES
)

TEMPLATE_2019 = TemplateSpec(
    name="2019",
    tables=(ACTIVE_DISCLOSURE_2019, APPLICATIONS_2019, REVIEW_LITIGATION),
    sections=SECTIONS,
    markers=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
        "第二十条第（九）项",
    ),
    last_year=2020,
    first_year=2019,
    document="国办公开办函〔2019〕60号",
    identities=IDENTITIES_2019,
    fee_statement=False,
)
