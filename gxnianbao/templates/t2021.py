"""The 2021 template (国办公开办函〔2021〕30号): every label, and variants seen in real reports."""

from __future__ import annotations

from .spec import (
    ColumnSpec,
    GroupSpec,
    Identity,
    RowSpec,
    SectionSpec,
    TableSpec,
    TemplateSpec,
    Wording,
)

SECTIONS = (
    SectionSpec(1, "一、总体情况", (("总体情况",), ("基本情况",), ("概述",))),
    SectionSpec(2, "二、主动公开政府信息情况", (("主动公开", "政府信息"),)),
    SectionSpec(
        3,
        "三、收到和处理政府信息公开申请情况",
        (("收到和处理",), ("收到", "处理", "申请"), ("依申请公开", "情况")),
    ),
    SectionSpec(4, "四、政府信息公开行政复议、行政诉讼情况", (("行政复议", "行政诉讼"),)),
    SectionSpec(
        5,
        "五、存在的主要问题及改进情况",
        (("存在", "问题"), ("主要问题",), ("问题", "改进"), ("问题", "打算")),
    ),
    SectionSpec(6, "六、其他需要报告的事项", (("其他", "需要", "报告"), ("其他", "事项"))),
)

# --- table 2 -------------------------------------------------------------------------------

_ISSUED = (
    ColumnSpec("issued", "本年制发件数", ("本年制发",)),
    ColumnSpec("repealed", "本年废止件数", ("本年废止",)),
    ColumnSpec("in_force", "现行有效件数", ("现行有效",)),
)
_DECISIONS = (ColumnSpec("decisions", "本年处理决定数量", ("处理决定数量",)),)
_FEE = (ColumnSpec("amount_wan_yuan", "本年收费金额（单位：万元）", ("本年收费金额", "收费金额")),)

ACTIVE_DISCLOSURE = TableSpec(
    key="active_disclosure",
    title="主动公开政府信息情况",
    rows=(
        RowSpec("regulations", "规章", _ISSUED),
        RowSpec("normative_documents", "行政规范性文件", _ISSUED, aliases=("规范性文件",)),
        RowSpec("licensing", "行政许可", _DECISIONS),
        RowSpec("punishment", "行政处罚", _DECISIONS),
        RowSpec("coercion", "行政强制", _DECISIONS),
        RowSpec("fees", "行政事业性收费", _FEE, aliases=("事业性收费",), kind="amount"),
    ),
    header_labels=(
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额（单位：万元）",
    ),
    number=2,
)

# --- table 3 -------------------------------------------------------------------------------

APPLICANT_COLUMNS = (
    ColumnSpec("natural_person", "自然人"),
    ColumnSpec("commercial", "商业企业"),
    ColumnSpec("research", "科研机构"),
    ColumnSpec("social_welfare", "社会公益组织", ("社会组织", "公益组织")),
    ColumnSpec("legal_service", "法律服务机构"),
    ColumnSpec("other_org", "其他"),
    ColumnSpec("total", "总计", ("合计",)),
)


def _app(key: str, label: str, *aliases: str, group: str | None = None) -> RowSpec:
    return RowSpec(key, label, APPLICANT_COLUMNS, aliases=aliases, group=group)


APPLICATIONS = TableSpec(
    key="applications",
    title="收到和处理政府信息公开申请情况",
    rows=(
        _app("received", "一、本年新收政府信息公开申请数量", "本年新收"),
        _app("carried_over", "二、上年结转政府信息公开申请数量", "上年结转"),
        _app("granted", "（一）予以公开", group="results"),
        _app(
            "partially_granted",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "部分公开",
            group="results",
        ),
        _app("withheld.state_secret", "1.属于国家秘密", "国家秘密", group="withheld"),
        _app(
            "withheld.prohibited_by_law",
            "2.其他法律行政法规禁止公开",
            "其他法律法规禁止公开",
            "法律行政法规禁止公开",
            "法律法规禁止公开",
            group="withheld",
        ),
        _app(
            "withheld.security_stability",
            "3.危及“三安全一稳定”",
            "危及三安全一稳定",
            group="withheld",
        ),
        _app(
            "withheld.third_party_rights",
            "4.保护第三方合法权益",
            "第三方合法权益",
            group="withheld",
        ),
        _app(
            "withheld.internal_affairs", "5.属于三类内部事务信息", "三类内部事务", group="withheld"
        ),
        _app(
            "withheld.process_information",
            "6.属于四类过程性信息",
            "四类过程性信息",
            group="withheld",
        ),
        _app("withheld.enforcement_files", "7.属于行政执法案卷", "行政执法案卷", group="withheld"),
        _app("withheld.inquiry_matters", "8.属于行政查询事项", "行政查询事项", group="withheld"),
        _app(
            "unavailable.not_held",
            "1.本机关不掌握相关政府信息",
            "不掌握相关政府信息",
            group="unavailable",
        ),
        _app(
            "unavailable.needs_creation",
            "2.没有现成信息需要另行制作",
            "没有现成信息",
            group="unavailable",
        ),
        _app(
            "unavailable.unclear_after_correction",
            "3.补正后申请内容仍不明确",
            "补正后申请内容仍不明确",
            group="unavailable",
        ),
        _app(
            "not_processed.petition_complaint",
            "1.信访举报投诉类申请",
            "信访举报投诉",
            group="not_processed",
        ),
        _app("not_processed.duplicate", "2.重复申请", group="not_processed"),
        _app(
            "not_processed.publication", "3.要求提供公开出版物", "公开出版物", group="not_processed"
        ),
        _app(
            "not_processed.mass_repetitive",
            "4.无正当理由大量反复申请",
            "大量反复申请",
            group="not_processed",
        ),
        _app(
            "not_processed.confirmation",
            "5.要求行政机关确认或重新出具已获取信息",
            "要求行政机关确认",
            "重新出具已获取信息",
            group="not_processed",
        ),
        _app(
            "other.overdue_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "逾期不补正",
            group="other",
        ),
        _app(
            "other.unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "逾期未按收费通知要求缴纳费用",
            "未按收费通知",
            group="other",
        ),
        _app("other.other", "3.其他", group="other"),
        _app("total", "（七）总计", "总计", "合计", group="results"),
        _app(
            "carried_forward",
            "四、结转下年度继续办理",
            "结转下一年度继续办理",
            "结转下年度",
            "结转下一年度",
        ),
    ),
    groups=(
        GroupSpec("results", "三、本年度办理结果", ("本年度办理结果", "办理结果")),
        GroupSpec("withheld", "（三）不予公开", prefix=True),
        GroupSpec("unavailable", "（四）无法提供", prefix=True),
        GroupSpec("not_processed", "（五）不予处理", prefix=True),
        GroupSpec("other", "（六）其他处理", prefix=True),
    ),
    header_labels=(
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "申请人情况",
        "法人或其他组织",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ),
    number=3,
)

# --- table 4 -------------------------------------------------------------------------------

OUTCOME_COLUMNS = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计", ("合计",)),
)

REVIEW_LITIGATION = TableSpec(
    key="review_litigation",
    title="政府信息公开行政复议、行政诉讼情况",
    rows=(
        RowSpec("review", "行政复议", OUTCOME_COLUMNS),
        RowSpec(
            "litigation_direct",
            "未经复议直接起诉",
            OUTCOME_COLUMNS,
            name="行政诉讼（未经复议直接起诉）",
        ),
        RowSpec(
            "litigation_after_review",
            "复议后起诉",
            OUTCOME_COLUMNS,
            name="行政诉讼（复议后起诉）",
        ),
    ),
    header_labels=(
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "结果",
        "维持",
        "纠正",
        "其他",
        "尚未",
        "审结",
    ),
    unlabelled_row="all",
    number=4,
)

# --- identities (勾稽关系) --------------------------------------------------------------------


def result_rows(table: TableSpec) -> tuple[str, ...]:
    """The rows of 三、本年度办理结果 that （七）总计 sums: every grouped row but the total."""
    return tuple(r.key for r in table.rows if r.group is not None and r.key != "total")


IDENTITIES = (
    Identity(
        "t3-balance",
        "applications",
        "第一项加第二项之和，等于第三项加第四项之和（一、本年新收 + 二、上年结转 = 三（七）总计 + "
        "四、结转下年度继续办理）",
        ("received", "carried_over"),
        ("total", "carried_forward"),
        "columns",
        printed=True,
        wording=Wording('表三"{scope}"列', "第一项与第二项之和", "第三项与第四项之和"),
    ),
    Identity(
        "t3-results-total",
        "applications",
        "（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）1–3",
        ("total",),
        result_rows(APPLICATIONS),
        "columns",
        wording=Wording('表三"{scope}"列', "（七）总计", "（一）至（六）各项办理结果之和"),
    ),
    Identity(
        "t3-row-total",
        "applications",
        "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
        ("total",),
        tuple(c.key for c in APPLICANT_COLUMNS if c.key != "total"),
        "rows",
        wording=Wording(
            '表三"{scope}"行',
            "总计",
            "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他各列之和",
        ),
    ),
    Identity(
        "t4-group-total",
        "review_litigation",
        "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        ("total",),
        tuple(c.key for c in OUTCOME_COLUMNS if c.key != "total"),
        "rows",
        wording=Wording('表四"{scope}"', "总计", "结果维持、结果纠正、其他结果、尚未审结之和"),
    ),
)

TEMPLATE_2021 = TemplateSpec(
    name="2021",
    tables=(ACTIVE_DISCLOSURE, APPLICATIONS, REVIEW_LITIGATION),
    sections=SECTIONS,
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    first_year=2021,
    document="国办公开办函〔2021〕30号",
    identities=IDENTITIES,
)

# Header words that only the 2019 trial template has (国办公开办函〔2019〕60号).  Until the 2019
# template is described here in full, these let the parser say so instead of binding it wrongly.
MARKERS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "政府集中采购",
    "采购总金额",
    "第二十条第（九）项",
)
