"""Generated reports with known numbers, rendered in the text layouts of real ones.

Both templates: 2021 (国办公开办函〔2021〕30号, :func:`reports`) and the 2019 trial template
(〔2019〕60号, :func:`reports_2019`), whose tables 2 and 3 differ (``GenReport.template``).

Why: the parser binds cells by label whatever the layout, and a report whose every number,
blank and ``/`` is known lets round-trip and fuzz tests state exact expectations.  Reports are
plain data (:class:`GenReport`); renderers turn them into whole report texts shaped like the
seed reports (tab rows, Word cell-per-line, web scrape, markdown), optionally perturbed the way
real reports are (spaced or variant labels, split labels, full-width digits, ``2、`` headings...).

The keys and labels here are written out from keys.md / template.md on purpose, independently of
``gxnianbao.templates``, so that the tests are an oracle for the library and not a copy of it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

if TYPE_CHECKING:  # only for annotations: the generator stays independent of the library
    import gxnianbao

CellKey = tuple[str, str, str]
Number = int | Decimal
Gap = Literal["blank", "na"]
Layout = Literal["tab_rows", "word_cells", "scrape", "markdown"]

LAYOUTS: tuple[Layout, ...] = ("tab_rows", "word_cells", "scrape", "markdown")
GAP_LAYOUTS: tuple[Layout, ...] = ("tab_rows", "word_cells", "markdown")
"""Layouts that can show empty and ``/`` cells (a scrape drops empty cells)."""

# --- keys (keys.md) ------------------------------------------------------------------------

DOC_COLUMNS = ("issued", "repealed", "in_force")
TABLE2_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("regulations", DOC_COLUMNS),
    ("normative_documents", DOC_COLUMNS),
    ("licensing", ("decisions",)),
    ("punishment", ("decisions",)),
    ("coercion", ("decisions",)),
    ("fees", ("amount_wan_yuan",)),
)
FEE_KEY: CellKey = ("active_disclosure", "fees", "amount_wan_yuan")

APPLICANTS = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
)  # fmt: skip
APP_COLUMNS = (*APPLICANTS, "total")
WITHHELD = (
    "state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
    "internal_affairs", "process_information", "enforcement_files", "inquiry_matters",
)  # fmt: skip
UNAVAILABLE = ("not_held", "needs_creation", "unclear_after_correction")
NOT_PROCESSED = (
    "petition_complaint", "duplicate", "publication", "mass_repetitive", "confirmation",
)  # fmt: skip
OTHER = ("overdue_correction", "unpaid_fee", "other")
RESULT_ROWS: tuple[str, ...] = (
    "granted",
    "partially_granted",
    *(f"withheld.{k}" for k in WITHHELD),
    *(f"unavailable.{k}" for k in UNAVAILABLE),
    *(f"not_processed.{k}" for k in NOT_PROCESSED),
    *(f"other.{k}" for k in OTHER),
)
"""Table 3 rows whose sum per column is （七）总计."""
APP_ROWS: tuple[str, ...] = ("received", "carried_over", *RESULT_ROWS, "total", "carried_forward")

OUTCOME_GROUPS = ("review", "litigation_direct", "litigation_after_review")
OUTCOME_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

ALL_KEYS: tuple[CellKey, ...] = (
    *(("active_disclosure", row, col) for row, cols in TABLE2_ROWS for col in cols),
    *(("applications", row, col) for row in APP_ROWS for col in APP_COLUMNS),
    *(("review_litigation", grp, col) for grp in OUTCOME_GROUPS for col in OUTCOME_COLUMNS),
)
"""Every cell of tables 2, 3 and 4 of the 2021 template, in template order (200 cells)."""

# The 2019 trial template: table 2 counts items on lists and adds 政府集中采购; table 3's
# （六）其他处理 is a single row; table 4 is the 2021 one.
DOC_COLUMNS_2019 = ("made", "published", "total_published")
ITEM_COLUMNS = ("previous_items", "change", "decisions")
TABLE2_ROWS_2019: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("regulations", DOC_COLUMNS_2019),
    ("normative_documents", DOC_COLUMNS_2019),
    ("licensing", ITEM_COLUMNS),
    ("other_services", ITEM_COLUMNS),
    ("punishment", ITEM_COLUMNS),
    ("coercion", ITEM_COLUMNS),
    ("fees", ITEM_COLUMNS[:2]),
    ("procurement", ("projects", "amount")),
)
AMOUNT_KEY: CellKey = ("active_disclosure", "procurement", "amount")
"""采购总金额: a Decimal as written, its unit (``GenReport.amount_unit``) inside the cell."""
CHANGE_KEYS: frozenset[CellKey] = frozenset(
    ("active_disclosure", row, "change") for row, cols in TABLE2_ROWS_2019 if "change" in cols
)
"""本年增/减: signed counts (``-8``, ``+1036``)."""
RESULT_ROWS_2019: tuple[str, ...] = (
    *(row for row in RESULT_ROWS if not row.startswith("other.")),
    "other",
)
APP_ROWS_2019: tuple[str, ...] = (
    "received", "carried_over", *RESULT_ROWS_2019, "total", "carried_forward",
)  # fmt: skip
ALL_KEYS_2019: tuple[CellKey, ...] = (
    *(("active_disclosure", row, col) for row, cols in TABLE2_ROWS_2019 for col in cols),
    *(("applications", row, col) for row in APP_ROWS_2019 for col in APP_COLUMNS),
    *(("review_litigation", grp, col) for grp in OUTCOME_GROUPS for col in OUTCOME_COLUMNS),
)
"""Every cell of the 2019 template, in template order (22 + 23 × 7 + 15 = 198 cells)."""

Template = Literal["2021", "2019"]
TEMPLATES: tuple[Template, ...] = ("2021", "2019")

# --- labels (template.md) -------------------------------------------------------------------

Label = tuple[str, str, tuple[str, ...]]
"""(numbering prefix, body, variant bodies seen in real reports)."""

T2_ROW_LABELS: dict[str, Label] = {
    "regulations": ("", "规章", ()),
    "normative_documents": ("", "行政规范性文件", ("规范性文件",)),
    "licensing": ("", "行政许可", ()),
    "punishment": ("", "行政处罚", ()),
    "coercion": ("", "行政强制", ()),
    "fees": ("", "行政事业性收费", ()),
}
T2_BLOCKS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "一",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        ("regulations", "normative_documents"),
    ),
    ("五", ("本年处理决定数量",), ("licensing",)),
    ("六", ("本年处理决定数量",), ("punishment", "coercion")),
    ("八", ("本年收费金额（单位：万元）",), ("fees",)),
)

T2_ROW_LABELS_2019: dict[str, Label] = {
    "regulations": ("", "规章", ()),
    "normative_documents": ("", "规范性文件", ("行政规范性文件",)),
    "licensing": ("", "行政许可", ()),
    "other_services": ("", "其他对外管理服务事项", ()),
    "punishment": ("", "行政处罚", ()),
    "coercion": ("", "行政强制", ()),
    "fees": ("", "行政事业性收费", ()),
    "procurement": ("", "政府集中采购", ()),
}
_ITEM_HEADERS = ("上一年项目数量", "本年增/减", "处理决定数量")
T2_BLOCKS_2019: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("一", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
     ("regulations", "normative_documents")),
    ("五", _ITEM_HEADERS, ("licensing", "other_services")),
    ("六", _ITEM_HEADERS, ("punishment", "coercion")),
    ("八", _ITEM_HEADERS[:2], ("fees",)),
    ("九", ("采购项目数量", "采购总金额"), ("procurement",)),
)  # fmt: skip
T2_HEADER_VARIANTS_2019: dict[str, tuple[str, ...]] = {"本年增/减": ("本年增减",)}

APP_ROW_LABELS: dict[str, Label] = {
    "received": ("一、", "本年新收政府信息公开申请数量", ()),
    "carried_over": ("二、", "上年结转政府信息公开申请数量", ()),
    "granted": ("（一）", "予以公开", ()),
    "partially_granted": (
        "（二）",
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("部分公开(区分处理的, 只计这一情形, 不计其他情形)", "部分公开"),
    ),
    "withheld.state_secret": ("1.", "属于国家秘密", ()),
    "withheld.prohibited_by_law": ("2.", "其他法律行政法规禁止公开", ("其他法律法规禁止公开",)),
    "withheld.security_stability": ("3.", "危及“三安全一稳定”", ('危及"三安全一稳定"',)),
    "withheld.third_party_rights": ("4.", "保护第三方合法权益", ()),
    "withheld.internal_affairs": ("5.", "属于三类内部事务信息", ()),
    "withheld.process_information": ("6.", "属于四类过程性信息", ()),
    "withheld.enforcement_files": ("7.", "属于行政执法案卷", ()),
    "withheld.inquiry_matters": ("8.", "属于行政查询事项", ()),
    "unavailable.not_held": ("1.", "本机关不掌握相关政府信息", ()),
    "unavailable.needs_creation": ("2.", "没有现成信息需要另行制作", ()),
    "unavailable.unclear_after_correction": ("3.", "补正后申请内容仍不明确", ()),
    "not_processed.petition_complaint": ("1.", "信访举报投诉类申请", ()),
    "not_processed.duplicate": ("2.", "重复申请", ()),
    "not_processed.publication": ("3.", "要求提供公开出版物", ()),
    "not_processed.mass_repetitive": ("4.", "无正当理由大量反复申请", ()),
    "not_processed.confirmation": ("5.", "要求行政机关确认或重新出具已获取信息", ()),
    "other.overdue_correction": (
        "1.", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", (),
    ),
    "other.unpaid_fee": (
        "2.", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", (),
    ),
    "other.other": ("3.", "其他", ()),
    "total": ("（七）", "总计", ()),
    "carried_forward": ("四、", "结转下年度继续办理", ("结转下一年度继续办理",)),
}  # fmt: skip
APP_GROUP_LABELS: dict[str, Label] = {
    "results": ("三、", "本年度办理结果", ()),
    "withheld": ("（三）", "不予公开", ()),
    "unavailable": ("（四）", "无法提供", ()),
    "not_processed": ("（五）", "不予处理", ()),
    "other": ("（六）", "其他处理", ()),
}
APP_ROW_LABELS_2019: dict[str, Label] = {
    **{row: label for row, label in APP_ROW_LABELS.items() if not row.startswith("other.")},
    "other": ("（六）", "其他处理", ()),
}
"""2019: （六）其他处理 is itself the data row."""
APP_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
APP_HEADERS: dict[str, tuple[str, ...]] = {
    "natural_person": ("自然人",),
    "commercial": ("商业企业",),
    "research": ("科研机构",),
    "social_welfare": ("社会公益组织", "社会组织"),
    "legal_service": ("法律服务机构",),
    "other_org": ("其他",),
    "total": ("总计",),
}
OUTCOME_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

SECTION_TITLES: dict[int, tuple[str, ...]] = {
    1: ("总体情况",),
    2: ("主动公开政府信息情况", "行政机关主动公开政府信息情况"),
    3: ("收到和处理政府信息公开申请情况",),
    4: (
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    ),
    5: (
        "存在的主要问题及改进情况",
        "存在的问题和下一步工作打算",
        "政府信息公开工作存在的主要问题及改进情况",
    ),
    6: ("其他需要报告的事项", "其他需要报告事项"),
}  # fmt: skip
CN_NUMERALS = "〇一二三四五六七八九"

SUBSECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("一", "active_disclosure", ("主动公开情况",)),
    ("二", "applications", ("依申请公开情况",)),
    ("三", "information_management", ("政府信息管理情况",)),
    ("四", "platforms", ("政府信息公开平台建设情况", "平台建设情况")),
    ("五", "oversight", ("监督保障情况", "监督考核保障情况")),
)
"""Part 一's sub-heads: numeral, the ``Subsection.key`` the parser should give, titles."""


@attrs.frozen
class Shape:
    """What differs between the templates: keys, blocks and labels of tables 2 and 3."""

    template: Template
    table2_rows: tuple[tuple[str, tuple[str, ...]], ...]
    t2_blocks: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    t2_row_labels: Mapping[str, Label]
    result_rows: tuple[str, ...]
    app_rows: tuple[str, ...]
    app_row_labels: Mapping[str, Label]
    all_keys: tuple[CellKey, ...]
    money_key: CellKey
    """The one Decimal cell: the 万元 fee (2021) or 采购总金额 (2019)."""
    signed_keys: frozenset[CellKey]


SHAPES: dict[str, Shape] = {
    "2021": Shape("2021", TABLE2_ROWS, T2_BLOCKS, T2_ROW_LABELS, RESULT_ROWS, APP_ROWS,
                  APP_ROW_LABELS, ALL_KEYS, FEE_KEY, frozenset()),
    "2019": Shape("2019", TABLE2_ROWS_2019, T2_BLOCKS_2019, T2_ROW_LABELS_2019, RESULT_ROWS_2019,
                  APP_ROWS_2019, APP_ROW_LABELS_2019, ALL_KEYS_2019, AMOUNT_KEY, CHANGE_KEYS),
}  # fmt: skip


def all_keys(template: str = "2021") -> tuple[CellKey, ...]:
    """Every cell key of ``template``, in template order."""
    return SHAPES[template].all_keys


NA_MARKERS = ("/", "／", "—", "-", "--", "无", "不适用")
BOOKMARK = "[bookmark: _GoBack]"

# --- the report as data --------------------------------------------------------------------


@attrs.frozen(repr=False)
class GenReport:
    """A valid generated report: every cell's number, plus optional blank / ``/`` cells."""

    issuer: str
    year: int
    fee: Decimal | None
    """信息处理费 in yuan as part 六 states it; None when part 六 says nothing about it."""
    cells: Mapping[CellKey, Number]
    gaps: Mapping[CellKey, Gap] = attrs.field(factory=dict)
    """Cells written empty (``blank``) or as a not-applicable marker (``na``)."""
    published: datetime.date | None = None
    template: Template = "2021"
    """Which template's tables the report has; ``cells`` holds exactly its keys."""
    amount_unit: str | None = None
    """2019: the unit written after 采购总金额 in its cell (``元`` or ``万元``), None for none."""
    extra_rows: tuple[tuple[str, tuple[Number, ...]], ...] = ()
    """Local rows the template lacks (``其他主动公开文件``), rendered last in table 2's block
    （一） as (label, values); they must not change any template cell."""

    @property
    def shape(self) -> Shape:
        return SHAPES[self.template]

    def keys(self) -> tuple[CellKey, ...]:
        """Every cell key of the report's template, in template order."""
        return self.shape.all_keys

    def __repr__(self) -> str:
        # Only what differs from an all-zero report, so that Hypothesis' minimal examples read.
        nonzero = {".".join(k): v for k, v in self.cells.items() if v}
        gaps = {".".join(k): g for k, g in self.gaps.items()}
        extra = ""
        if self.template != "2021":
            extra = f", template={self.template!r}, amount_unit={self.amount_unit!r}"
        if self.extra_rows:
            extra += f", extra_rows={self.extra_rows!r}"
        return (
            f"GenReport(issuer={self.issuer!r}, year={self.year}, fee={self.fee!r}, "
            f"published={self.published!r}, nonzero={nonzero!r}, gaps={gaps!r}{extra})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints falsifying examples with this (IPython protocol), not with repr.
        printer.text(repr(self))

    def expected(self, key: CellKey) -> tuple[str, Number | None]:
        """The status and value the parser must give this cell."""
        gap = self.gaps.get(key)
        if gap == "blank":
            return "blank", None
        if gap == "na":
            return "not_applicable", None
        return "reported", self.cells[key]

    def row_has_gap(self, table: str, row: str) -> bool:
        return any(k[0] == table and k[1] == row for k in self.gaps)


def value_text(value: Number) -> str:
    """The canonical text of a value: what a span's text normalises to."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


_TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.", ",，")
_SIGNS = str.maketrans("－＋", "-+")


def normalise_number_text(text: str, *, signed: bool = False) -> str:
    """Full-width digits to ASCII, thousands separators removed (to compare with value_text).

    ``signed`` (a 2019 本年增/减 cell): full-width signs too, and a leading ``+`` dropped, as
    ``+12`` means 12."""
    text = text.translate(_TO_ASCII)
    if signed:
        text = text.translate(_SIGNS).removeprefix("+")
    return text


def identity_violations(r: GenReport) -> list[str]:
    """Every template identity the report's numbers break (gaps are not skipped: a gap keeps
    the number it hides).  Also: the cells are exactly the template's, counts are non-negative
    ints except 2019's signed 本年增/减, and the money cell is a non-negative Decimal."""
    out: list[str] = []
    c = r.cells
    shape = r.shape
    if set(c) != set(shape.all_keys):
        out.append(f"cells are not the {r.template} template's cells")
        return out

    def a(row: str, col: str) -> Number:
        return c[("applications", row, col)]

    for col in APP_COLUMNS:
        results = sum(a(row, col) for row in shape.result_rows)
        if a("total", col) != results:
            out.append(f"（七）总计[{col}] {a('total', col)} != sum of results {results}")
        lhs = a("received", col) + a("carried_over", col)
        rhs = a("total", col) + a("carried_forward", col)
        if lhs != rhs:
            out.append(f"一+二 != （七）+四 in {col}: {lhs} != {rhs}")
    for row in shape.app_rows:
        s = sum(a(row, col) for col in APPLICANTS)
        if a(row, "total") != s:
            out.append(f"row {row}: total {a(row, 'total')} != {s}")
    for grp in OUTCOME_GROUPS:
        parts = sum(c[("review_litigation", grp, col)] for col in OUTCOME_COLUMNS[:4])
        if c[("review_litigation", grp, "total")] != parts:
            out.append(f"table 4 {grp}: total != {parts}")
    money = shape.money_key
    for key, value in c.items():
        if key in shape.signed_keys:
            if not isinstance(value, int):
                out.append(f"{key}: {value!r} is not an int")
        elif key != money and (not isinstance(value, int) or value < 0):
            out.append(f"{key}: {value!r} is not a non-negative int")
    if not isinstance(c[money], Decimal) or c[money] < 0:
        label = "fee amount" if money == FEE_KEY else "procurement amount"
        out.append(f"{label} {c[money]!r} is not a non-negative Decimal")
    if r.template == "2019" and r.amount_unit not in (None, "元", "万元"):
        out.append(f"procurement unit {r.amount_unit!r} is not 元 or 万元")
    return out


# --- strategies ----------------------------------------------------------------------------

CITIES = (
    "重庆市", "佳木斯市", "包头市", "淮安市", "孝感市", "武汉市", "成都市", "杭州市", "济源市",
)  # fmt: skip
DISTRICTS = ("綦江区", "前进区", "江岸区", "武侯区", "西湖区", "孝南区", "清江浦区", "东河区")
COUNTIES = ("土默特右旗", "涟水县", "大悟县", "淳安县")
DEPARTMENTS = (
    "司法局", "财政局", "教育局", "民政局", "卫生健康委员会", "市场监督管理局", "交通运输局",
    "自然资源和规划局", "人力资源和社会保障局", "人民政府", "人民政府办公室", "生态环境局",
)  # fmt: skip


@st.composite
def issuers(draw: st.DrawFn) -> str:
    """Realistic issuing bodies: city / district / county names with a department, or bare."""
    form = draw(st.sampled_from(["city_district_dept", "city_dept", "county_dept", "city_district",
                                 "district_dept"]))  # fmt: skip
    city = draw(st.sampled_from(CITIES))
    district = draw(st.sampled_from(DISTRICTS))
    county = draw(st.sampled_from(COUNTIES))
    dept = draw(st.sampled_from(DEPARTMENTS))
    return {
        "city_district_dept": city + district + dept,
        "city_dept": city + dept,
        "county_dept": county + dept,
        "city_district": city + district,
        "district_dept": district + dept,
    }[form]


_SMALL = st.integers(0, 209)
_LARGE = st.integers(10_000, 999_999)


def _count(draw: st.DrawFn, big: bool) -> int:
    """Mostly zeros and small numbers, like real reports; 5–6 digit ones when ``big``.

    One integer draw per cell (``one_of`` per cell made generation several times slower);
    it shrinks towards 0.
    """
    n = draw(_SMALL)
    if n < 110:
        return 0
    if n < 190:
        return n - 109 if n < 170 else (n - 160) * 10  # 1–60, or 100–290
    return draw(_LARGE) if big else n - 189


@st.composite
def wan_yuan(draw: st.DrawFn) -> Decimal:
    """Table 2's fee amount (万元): a Decimal with 0–2 decimals, sometimes 4."""
    places = draw(st.sampled_from([0, 1, 2, 2, 4]))
    unscaled = draw(st.one_of(st.just(0), st.integers(0, 999), st.integers(0, 99_999_999)))
    return Decimal(unscaled).scaleb(-places)


@st.composite
def processing_fees(draw: st.DrawFn) -> Decimal | None:
    """Part 六's 信息处理费 in yuan: unsaid, zero, whole yuan or with fen."""
    kind = draw(st.sampled_from(["none", "zero", "zero", "yuan", "fen"]))
    if kind == "none":
        return None
    if kind == "zero":
        return Decimal(0)
    if kind == "yuan":
        return Decimal(draw(st.integers(1, 50_000)))
    return Decimal(draw(st.integers(1, 500_000))).scaleb(-2)


@st.composite
def reports(draw: st.DrawFn) -> GenReport:
    """A valid report: numbers satisfy every identity of template.md, no gaps."""
    issuer = draw(issuers())
    year = draw(st.integers(2021, 2025))
    fee = draw(processing_fees())
    published = datetime.date(year + 1, 1, 1) + datetime.timedelta(days=draw(st.integers(4, 89)))
    big = draw(st.booleans())
    cells: dict[CellKey, Number] = {}

    for row, cols in TABLE2_ROWS:
        for col in cols:
            key = ("active_disclosure", row, col)
            cells[key] = draw(wan_yuan()) if key == FEE_KEY else _count(draw, big)

    _draw_tables_3_4(draw, SHAPES["2021"], big, cells)
    return GenReport(issuer, year, fee, cells, {}, published)


def _draw_tables_3_4(
    draw: st.DrawFn, shape: Shape, big: bool, cells: dict[CellKey, Number]
) -> None:
    """Tables 3 and 4 of ``shape``'s template, every identity holding, into ``cells``."""
    # Table 3, per applicant column: results first, then 总计, 结转 and 一 derived from them.
    app: dict[tuple[str, str], int] = {}
    for col in APPLICANTS:
        active = draw(st.booleans())
        for row in shape.result_rows:
            app[(row, col)] = _count(draw, big) if active else 0
        total = sum(app[(row, col)] for row in shape.result_rows)
        forward = _count(draw, False) if active else 0
        over = min(_count(draw, False), total + forward) if active else 0
        app[("total", col)] = total
        app[("carried_forward", col)] = forward
        app[("carried_over", col)] = over
        app[("received", col)] = total + forward - over
    for row in shape.app_rows:
        for col in APPLICANTS:
            cells[("applications", row, col)] = app[(row, col)]
        cells[("applications", row, "total")] = sum(app[(row, col)] for col in APPLICANTS)

    for grp in OUTCOME_GROUPS:
        parts = [_count(draw, False) for _ in range(4)]
        for col, value in zip(OUTCOME_COLUMNS, [*parts, sum(parts)], strict=True):
            cells[("review_litigation", grp, col)] = value


@st.composite
def procurement_amounts(draw: st.DrawFn) -> tuple[Decimal, str]:
    """2019's 采购总金额 and its unit: ``251000元``, ``2792220.8元``, ``12.5万元``."""
    unit = draw(st.sampled_from(["元", "元", "万元"]))
    if unit == "元":
        places = draw(st.sampled_from([0, 0, 1, 2]))
        unscaled = draw(st.one_of(st.just(0), st.integers(1000, 99_999_999)))
    else:
        places = draw(st.sampled_from([0, 1, 2, 4]))
        unscaled = draw(st.one_of(st.just(0), st.integers(1, 99_999)))
    return Decimal(unscaled).scaleb(-places), unit


def _change(draw: st.DrawFn, previous: int, big: bool) -> int:
    """本年增/减: an increase, no change, or a decrease of at most the previous year's items."""
    size = _count(draw, big)
    if size and draw(st.booleans()):
        return -min(size, previous) if previous else size
    return size


@st.composite
def reports_2019(draw: st.DrawFn) -> GenReport:
    """A valid 2019-template report (years 2019–2020): identities hold, no gaps.

    Table 2 has signed 本年增/减 cells (sometimes negative) and a procurement amount with its
    unit; table 3 has the single （六）其他处理 row.
    """
    issuer = draw(issuers())
    year = draw(st.integers(2019, 2020))
    fee = draw(processing_fees())
    published = datetime.date(year + 1, 1, 1) + datetime.timedelta(days=draw(st.integers(4, 89)))
    big = draw(st.booleans())
    cells: dict[CellKey, Number] = {}
    for row, cols in TABLE2_ROWS_2019:
        for col in cols:
            key = ("active_disclosure", row, col)
            if key == AMOUNT_KEY:
                continue
            if col == "change":
                previous = int(cells[("active_disclosure", row, "previous_items")])
                cells[key] = _change(draw, previous, big)
            else:
                cells[key] = _count(draw, big)
    amount, unit = draw(procurement_amounts())
    cells[AMOUNT_KEY] = amount
    _draw_tables_3_4(draw, SHAPES["2019"], big, cells)
    ordered = {key: cells[key] for key in ALL_KEYS_2019}
    return GenReport(issuer, year, fee, ordered, {}, published, "2019", unit)


def reports_of(template: str) -> st.SearchStrategy[GenReport]:
    """:func:`reports` or :func:`reports_2019`."""
    return reports_2019() if template == "2019" else reports()


def derived_keys(template: Template = "2021") -> frozenset[CellKey]:
    """The cells :func:`build_report` derives from the others (totals, 一 and （七）总计)."""
    shape = SHAPES[template]
    return frozenset(
        {("applications", "received", c) for c in APP_COLUMNS}
        | {("applications", row, "total") for row in shape.app_rows}
        | {("applications", "total", c) for c in APP_COLUMNS}
        | {("review_litigation", g, "total") for g in OUTCOME_GROUPS}
    )


def seeded_report(
    seed: int, issuer: str, *, max_count: int = 40, max_money: int = 999_999, max_fee: int = 5000
) -> GenReport:
    """A valid 2021 report whose numbers come from ``random.Random(seed)``: the same report
    for the same seed, for benchmarks and CLI tests that need many distinct files without
    Hypothesis.  ``max_money`` is the 万元 fee cell in hundredths."""
    rng = random.Random(seed)
    shape = SHAPES["2021"]
    derived = derived_keys()
    values: dict[CellKey, Number] = {}
    for key in shape.all_keys:
        if key not in derived:
            top = 3 if key[1] == "carried_over" else max_count
            values[key] = rng.randint(0, top)
    values[shape.money_key] = Decimal(rng.randint(0, max_money)) / 100
    return build_report(issuer, 2022, Decimal(rng.randint(0, max_fee)), values)


def build_report(
    issuer: str,
    year: int,
    fee: Decimal | None,
    values: Mapping[CellKey, Number],
    *,
    gaps: Mapping[CellKey, Gap] | None = None,
    published: datetime.date | None = None,
    template: Template = "2021",
    amount_unit: str | None = None,
    extra_rows: Sequence[tuple[str, Sequence[Number]]] = (),
) -> GenReport:
    """A report from hand-picked numbers: every total, （七）总计 and 一 derived from them.

    ``values`` gives table 2, table 3's result rows, 二 and 四 per applicant column, and table
    4's first four columns; anything not given is 0.  Derived cells must not be given.
    ``template="2019"`` takes the 2019 keys (``amount_unit`` defaults to ``元`` there).
    """
    shape = SHAPES[template]
    if bad := sorted(set(values) & derived_keys(template)):
        raise ValueError(f"derived cells given: {bad}")
    if unknown := sorted(set(values) - set(shape.all_keys)):
        raise ValueError(f"unknown cells: {unknown}")
    cells: dict[CellKey, Number] = {key: values.get(key, 0) for key in shape.all_keys}
    money = shape.money_key
    if not isinstance(cells[money], Decimal):
        cells[money] = Decimal(cells[money])
    if template == "2019" and amount_unit is None:
        amount_unit = "元"
    for col in APPLICANTS:
        total = sum(int(cells[("applications", row, col)]) for row in shape.result_rows)
        cells[("applications", "total", col)] = total
        received = (
            total
            + int(cells[("applications", "carried_forward", col)])
            - int(cells[("applications", "carried_over", col)])
        )
        if received < 0:
            raise ValueError(f"一 would be negative in column {col}")
        cells[("applications", "received", col)] = received
    for row in shape.app_rows:
        cells[("applications", row, "total")] = sum(
            int(cells[("applications", row, col)]) for col in APPLICANTS
        )
    for g in OUTCOME_GROUPS:
        cells[("review_litigation", g, "total")] = sum(
            int(cells[("review_litigation", g, c)]) for c in OUTCOME_COLUMNS[:4]
        )
    if published is None:
        published = datetime.date(year + 1, 3, 28)
    extra = tuple((label, tuple(vals)) for label, vals in extra_rows)
    return GenReport(
        issuer, year, fee, cells, dict(gaps or {}), published, template, amount_unit, extra
    )


_NO_LEADING_BLANK: frozenset[CellKey] = frozenset({("review_litigation", "review", "upheld")})
"""Table 4's data row has no label, so an empty first cell would read as a merge artefact."""


@st.composite
def reports_with_gaps(
    draw: st.DrawFn, *, max_gaps: int = 24, template: Template = "2021"
) -> GenReport:
    """A valid report in which some cells (sometimes whole rows) are blank or ``/``.

    2019 reports also, as real ones do, often leave their zero cells blank, and sometimes the
    whole 总计 column of table 3 (and table 4's 总计 cells).
    """
    r = draw(reports_of(template))
    shape = r.shape
    keys = set(draw(st.lists(st.sampled_from(shape.all_keys), min_size=1, max_size=max_gaps)))
    whole_rows = draw(st.lists(st.sampled_from(shape.app_rows), max_size=2))
    keys |= {("applications", row, col) for row in whole_rows for col in APP_COLUMNS}
    if draw(st.booleans()):
        row = draw(st.sampled_from([row for row, _ in shape.table2_rows]))
        keys |= {k for k in shape.all_keys if k[0] == "active_disclosure" and k[1] == row}
    forced_blank: set[CellKey] = set()
    if template == "2019":
        if draw(st.booleans()):  # zeros left blank
            forced_blank |= {k for k, v in r.cells.items() if v == 0}
        if draw(st.booleans()):  # the 总计 column not filled in
            forced_blank |= {("applications", row, "total") for row in shape.app_rows}
            if draw(st.booleans()):
                forced_blank |= {("review_litigation", g, "total") for g in OUTCOME_GROUPS}
    gaps: dict[CellKey, Gap] = {}
    for key in sorted(keys | forced_blank, key=shape.all_keys.index):
        kind: Gap = "blank" if key in forced_blank else draw(st.sampled_from(["blank", "na"]))
        gaps[key] = "na" if key in _NO_LEADING_BLANK else kind
    return attrs.evolve(r, gaps=gaps)


# --- rendering options ---------------------------------------------------------------------


@attrs.frozen
class Style:
    """How to render: a seed for the layout's own seed-faithful choices, plus perturbations."""

    seed: int = 0
    spaced_labels: bool = False
    """Whitespace inside labels: ASCII, \\u3000, \\u2002 or letter-spacing (本 年 度…)."""
    variant_labels: bool = False
    """社会组织, 其他法律法规禁止公开, 规范性文件, ``1、``, ``(一)``, 结转下一年度继续办理…"""
    split_labels: bool = False
    """Labels broken over two lines (Word) or two cells (tab rows, scrape)."""
    fullwidth_digits: bool = False
    padded_values: bool = False
    """Spaces (ASCII, ideographic, en) around values."""
    thousands: bool = False
    """``75,458`` for numbers of four digits or more."""
    units: bool = False
    """``16197.02万元`` in the fee cell, ``3件`` in document counts."""
    arabic_headings: bool = False
    """``2、主动公开政府信息情况`` instead of ``二、``."""
    bookmark: bool = False
    """``[bookmark: _GoBack]`` at the start of a paragraph."""
    stray_blank_lines: bool = False
    """Blank lines inside a tab-row table (page breaks)."""
    na_marker: str = "/"


PERTURBATIONS = (
    "spaced_labels", "variant_labels", "split_labels", "fullwidth_digits", "padded_values",
    "thousands", "units", "arabic_headings", "bookmark", "stray_blank_lines",
)  # fmt: skip


@st.composite
def styles(draw: st.DrawFn, layout: Layout | None = None, *, perturbed: bool = False) -> Style:
    """Rendering options; ``perturbed`` switches on a random set of perturbations."""
    seed = draw(st.integers(0, 2**32 - 1))
    if not perturbed:
        return Style(seed=seed)
    flags = {name: draw(st.booleans()) for name in PERTURBATIONS}
    markers = [m for m in NA_MARKERS if not (layout == "markdown" and m in ("-", "--"))]
    return Style(seed=seed, na_marker=draw(st.sampled_from(markers)), **flags)


# --- rendering -----------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_SPACES = (" ", "\u3000", "\u2002")


class _Ctx:
    """One rendering: the report, the style, and a seeded RNG for per-label choices."""

    def __init__(self, r: GenReport, style: Style, layout: Layout) -> None:
        self.r = r
        self.s = style
        self.layout = layout
        self.shape = r.shape
        self.rng = random.Random(style.seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: Sequence[str]) -> str:
        return options[0] if len(options) == 1 else self.rng.choice(list(options))

    # labels

    def spaced(self, body: str) -> str:
        """Whitespace inside a label as real reports have it."""
        if len(body) < 2:
            return body
        mode = self.rng.choice(["ascii", "ideographic", "en", "letter"])
        if mode == "letter":
            return " ".join(body)
        ws = {"ascii": " ", "ideographic": "\u3000", "en": "\u2002"}[mode]
        at = self.rng.randrange(1, len(body))
        return body[:at] + ws + body[at:]

    def prefix(self, prefix: str) -> str:
        if not (self.s.variant_labels and prefix and self.chance(0.5)):
            return prefix
        if prefix.startswith("（"):
            return "(" + prefix[1:-1] + ")"
        if prefix.endswith("."):
            return prefix[:-1] + self.rng.choice(["、", "．"])
        return prefix

    def label(self, label: Label) -> str:
        prefix, body, variants = label
        if self.s.variant_labels and variants and self.chance(0.5):
            body = self.rng.choice(list(variants))
        prefix = self.prefix(prefix)
        sep = ""
        if self.s.spaced_labels and self.chance(0.5):
            body = self.spaced(body)
            sep = self.rng.choice(["", " ", "\u3000"]) if prefix else ""
        return prefix + sep + body

    def header(self, text: str) -> str:
        return self.spaced(text) if self.s.spaced_labels and self.chance(0.4) else text

    def split(self, text: str) -> list[str]:
        """A label broken in two (second part long enough not to read as a unit or number)."""
        if not self.s.split_labels or len(text) < 6 or not self.chance(0.35):
            return [text]
        at = self.rng.randrange(3, len(text) - 2)
        first, second = text[:at], text[at:]
        if not first.strip() or len(second.strip()) < 3 or any(ch.isdigit() for ch in second):
            return [text]
        return [first.rstrip(), second.strip()]

    # values

    def value(self, key: CellKey) -> str:
        gap = self.r.gaps.get(key)
        if gap == "blank":
            return ""
        if gap == "na":
            return self.s.na_marker
        v = self.r.cells[key]
        text = value_text(v)
        if self.s.thousands and abs(v) >= 1000 and self.chance(0.7):
            text = format(v, ",f") if isinstance(v, Decimal) else f"{v:,}"
        if self.s.fullwidth_digits and self.chance(0.5):
            text = text.translate(_FULLWIDTH)
            if self.chance(0.3):
                text = text.replace(".", "．").replace(",", "，").replace("-", "－")
        if self.r.template == "2019":
            return self._value_2019(key, v, text)
        if self.s.units:
            if key == FEE_KEY and self.chance(0.6):
                text += self.rng.choice(["万元", " 万元"])
            elif key[0] == "active_disclosure" and key[2] in DOC_COLUMNS and self.chance(0.3):
                text += "件"
        if self.s.padded_values and self.chance(0.4):
            text = self.pad() + text + self.pad()
        return text

    def _value_2019(self, key: CellKey, v: Number, text: str) -> str:
        """Signs on 本年增/减 (``+12`` sometimes), the unit inside the 采购总金额 cell."""
        if key in CHANGE_KEYS and v > 0 and self.chance(0.35):
            text = ("＋" if self.s.fullwidth_digits and self.chance(0.3) else "+") + text
        if key == AMOUNT_KEY and self.r.amount_unit:
            space = " " if self.s.units and self.chance(0.4) else ""
            text += space + self.r.amount_unit
        elif self.s.units and key[0] == "active_disclosure" and self.chance(0.3):
            if key[2] in DOC_COLUMNS_2019:
                text += "件"
            elif key[2] in ("previous_items", "projects"):
                text += "项"
        if self.s.padded_values and self.chance(0.4):
            text = self.pad() + text + self.pad()
        return text

    def pad(self) -> str:
        return self.rng.choice(["", *_SPACES, "  "])

    # narrative

    def heading(self, n: int) -> str:
        title = SECTION_TITLES[n][0] if self.chance(0.6) else self.pick(SECTION_TITLES[n])
        if self.s.arabic_headings and self.chance(0.6):
            return f"{n}、" + self.rng.choice(["", " "]) + title
        return f"{CN_NUMERALS[n]}、{title}"

    def bookmark(self) -> str:
        return BOOKMARK if self.s.bookmark and self.chance(0.7) else ""


# Narrative text.  Written for these tests; numbers in it are deliberate distractions.


def _short(r: GenReport) -> str:
    return "我局" if r.issuer.endswith("局") else "本机关"


def _title_lines(ctx: _Ctx) -> list[str]:
    r = ctx.r
    year = ctx.rng.choice([f"{r.year}年", f"{r.year}年", f"{r.year} 年", f"{r.year}年度"])
    name = "政府信息公开工作年度报告" if ctx.chance(0.85) else "政府信息公开年度报告"
    form = ctx.rng.choice(["one", "one", "issuer_above", "year_split"])
    if form == "one":
        return [f"{r.issuer}{year}{name}"]
    if form == "issuer_above":
        return [r.issuer, f"{year}{name}"]
    return [f"{r.issuer}{year}", name]


def _intro(ctx: _Ctx) -> str:
    r = ctx.r
    if ctx.chance(0.5):
        phone = f"0{ctx.rng.randrange(10, 999)}-{ctx.rng.randrange(1_000_000, 99_999_999)}"
        form = (
            "格式（试行）》（国办公开办函〔2019〕60号）"
            if r.template == "2019"
            else "格式》（国办公开办函〔2021〕30号）"
        )
        return (
            "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度"
            f"报告{form}要求编制。本报告中所列数据的统计期限自"
            f"{r.year}年1月1日起至{r.year}年12月31日止。如对本报告有疑问，请与{_short(r)}联系"
            f"（电话：{phone}）。"
        )
    return (
        f"依据《中华人民共和国政府信息公开条例》第五十条规定，现公布{r.issuer}{r.year}年度政府"
        "信息公开工作年度报告。全文包括总体情况，主动公开政府信息情况，收到和处理政府信息公开申请"
        "情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进情况，其他需要报告的事项。"
    )


def _overview(ctx: _Ctx) -> tuple[str, list[tuple[str, str]]]:
    """Part 一: an opening paragraph and the five (sub-head, sentence) pairs."""
    r, rng = ctx.r, ctx.rng
    short = _short(r)
    received = r.cells[("applications", "received", "total")]
    opening = (
        f"{r.year}年，{short}坚持以公开为常态、不公开为例外，认真落实《中华人民共和国政府信息公开"
        f"条例》，与{r.year - 1}年相比，公开质量和实效进一步提升。"
    )
    sentences = (
        f"全年通过门户网站主动公开政府信息{rng.randrange(20, 900)}条，其中政策文件"
        f"{rng.randrange(1, 20)}条、重点领域信息{rng.randrange(1, 60)}条。",
        "全年未收到政府信息公开申请。"
        if received == 0
        else f"全年共收到政府信息公开申请{received}件，均在法定期限内予以答复。",
        "严格落实公文公开属性源头认定和保密审查制度，动态调整主动公开基本目录。",
        f"持续优化政府网站信息公开专栏，政务新媒体关注人数达{rng.randrange(100, 9000)}人。",
        f"将政务公开工作纳入年度绩效考核，全年开展业务培训{rng.randrange(1, 6)}次。",
    )
    subs = [
        (f"（{num}）{ctx.pick(titles)}", sentence)
        for (num, _, titles), sentence in zip(SUBSECTIONS, sentences, strict=True)
    ]
    return opening, subs


def _problems(ctx: _Ctx) -> list[str]:
    short = _short(ctx.r)
    return [
        f"{short}政府信息公开工作仍存在一些不足：公开内容的深度和广度有待拓展，政策解读形式还不够"
        "丰富，工作人员业务能力有待提升。",
        "下一步，将加强业务培训，完善工作机制，持续提升政务公开工作质量。",
    ]


def _fee_amount_text(ctx: _Ctx, fee: Decimal) -> str:
    text = str(int(fee)) if fee == fee.to_integral_value() else format(fee, "f")
    if ctx.s.thousands and fee >= 1000 and ctx.chance(0.5):
        text = f"{int(fee):,}" if fee == fee.to_integral_value() else format(fee, ",f")
    return text


def _other_matters(ctx: _Ctx) -> list[str]:
    """Part 六 paragraphs; the fee sentence says exactly ``r.fee`` (or nothing for None)."""
    r, short = ctx.r, _short(ctx.r)
    if r.fee is None:
        return [ctx.rng.choice(["无。", "本年度无其他需要报告的事项。",
                                f"{short}将继续做好政务公开各项工作。"])]  # fmt: skip
    if r.fee == 0:
        sentence = ctx.rng.choice([
            "本年度未收取信息处理费。",
            f"按照《政府信息公开信息处理费管理办法》，{r.year}年度{short}未收取信息处理费。",
            f"本年度，{short}无收取政府信息公开信息处理费情况。",
        ])  # fmt: skip
    else:
        amount = _fee_amount_text(ctx, r.fee)
        sentence = ctx.rng.choice([
            f"本年度共收取信息处理费{amount}元。",
            f"{r.year}年，{short}收取信息处理费{amount}元。",
            f"按照《政府信息公开信息处理费管理办法》，本年度收取信息处理费 {amount} 元。",
        ])  # fmt: skip
    if ctx.chance(0.4):
        return ["（一）信息处理费收取情况", sentence, "（二）其他需要通过年度报告予以报告的事项",
                "本年度无其他需要报告的事项。"]  # fmt: skip
    return [sentence]


# --- table rows as label cells + value cells -----------------------------------------------

_GROUP_OF_FIRST = {
    "granted": "results",
    "withheld.state_secret": "withheld",
    "unavailable.not_held": "unavailable",
    "not_processed.petition_complaint": "not_processed",
    "other.overdue_correction": "other",
}
_START = {"received": 0, "carried_over": 0, "carried_forward": 0, "granted": 0,
          "partially_granted": 1, "total": 1, "other": 1}  # fmt: skip
"""Of three label columns, the one a table 3 row's first label sits in (items: column 2).
``other`` is 2019's single （六）其他处理 row."""


def _app_values(ctx: _Ctx, row: str) -> list[str]:
    return [ctx.value(("applications", row, col)) for col in APP_COLUMNS]


def _t2_values(ctx: _Ctx, row: str, cols: Sequence[str]) -> list[str]:
    return [ctx.value(("active_disclosure", row, col)) for col in cols]


def _outcome_values(ctx: _Ctx) -> list[str]:
    return [ctx.value(("review_litigation", g, c)) for g in OUTCOME_GROUPS for c in OUTCOME_COLUMNS]


def _block_title(ctx: _Ctx, numeral: str) -> str:
    if ctx.s.variant_labels and ctx.chance(0.5):
        return f"第二十条第({numeral})项"
    return f"第二十条第（{numeral}）项"


def _fee_header(ctx: _Ctx, text: str) -> str:
    """A table 2 column header (the fee one and 2019's 本年增/减 have variants)."""
    if text.startswith("本年收费金额") and ctx.s.variant_labels and ctx.chance(0.5):
        return "本年收费金额（单位：万元，保留4位小数）"
    variants = T2_HEADER_VARIANTS_2019.get(text)
    if variants and ctx.s.variant_labels and ctx.chance(0.4):
        return ctx.pick(variants)
    return ctx.header(text)


def _extra_rows(ctx: _Ctx, numeral: str) -> list[tuple[str, list[str]]]:
    """The report's local extra rows (label, values as written), at the end of block （一）."""
    if numeral != "一":
        return []
    return [(label, [value_text(v) for v in values]) for label, values in ctx.r.extra_rows]


def _note(ctx: _Ctx) -> str:
    return f"({APP_NOTE})" if ctx.chance(0.4) else f"（{APP_NOTE}）"


def _applicant_header(ctx: _Ctx, col: str) -> str:
    names = APP_HEADERS[col]
    name = names[0]
    if ctx.s.variant_labels and len(names) > 1 and ctx.chance(0.5):
        name = names[1]
    return ctx.header(name)


# --- layout: tab rows (seeds 001/002) -------------------------------------------------------


def render_tab_rows(r: GenReport, *, style: Style | None = None) -> str:
    """One physical row per line, tab-separated cells, merged cells as empty fields."""
    ctx = _Ctx(r, style or Style(), "tab_rows")
    out: list[str] = ["", ""]
    title = _title_lines(ctx)
    for line in title:
        out += [line, ""]
    out += [_intro(ctx), ""]
    opening, subs = _overview(ctx)
    out += [ctx.heading(1), "", ctx.bookmark() + opening, ""]
    for head, sentence in subs:
        out += [head, "", sentence, ""]

    out += [ctx.heading(2), ""]
    rows: list[list[str]] = []
    for numeral, headers, row_keys in ctx.shape.t2_blocks:
        width_pad = [""] * (3 - len(headers))
        rows.append([_block_title(ctx, numeral), "", "", ""])
        rows.append(["信息内容", *(_fee_header(ctx, h) for h in headers), *width_pad])
        for row in row_keys:
            cols = dict(ctx.shape.table2_rows)[row]
            label = ctx.label(ctx.shape.t2_row_labels[row])
            rows.append([label, *_t2_values(ctx, row, cols), *width_pad])
        for label, values in _extra_rows(ctx, numeral):
            rows.append([label, *values, *width_pad])
    out += [*_tab_lines(ctx, rows), ""]

    out += [ctx.heading(3), ""]
    rows = [
        [_note(ctx), "", ctx.header("申请人情况"), "", "", "", "", "", ctx.header("总计"), ""],
        ["", "", _applicant_header(ctx, "natural_person"), ctx.header("法人或其他组织"),
         "", "", "", "", "", ""],
        ["", "", "", *(_applicant_header(ctx, c) for c in APPLICANTS[1:]), "", ""],
    ]  # fmt: skip
    split_group = ctx.s.split_labels and ctx.chance(0.5)
    for row in ctx.shape.app_rows:
        rows.append(_tab_app_row(ctx, row, split_group))
    out += [*_tab_lines(ctx, rows), ""]

    out += [ctx.heading(4), ""]
    split_header = ctx.chance(0.5)
    g = ["", "", "", ""]
    if split_header:
        rows = [
            ["行政复议", *g, "行政诉讼", *g, "", *g],
            ["结果", "结果", "其他", "尚未", "总计",
             "未经复议直接起诉", *g, "复议后起诉", *g[:3], ""],
            ["", *g, "结果", "结果", "其他", "尚未", "总计",
             "结果", "结果", "其他", "尚未", "总计"],
            ["维持", "纠正", "结果", "审结", "", "维持", "纠正", "结果", "审结", "",
             "维持", "纠正", "结果", "审结", ""],
        ]  # fmt: skip
    else:
        heads = [ctx.header(h) for h in OUTCOME_HEADERS]
        rows = [
            ["行政复议", *g, "行政诉讼", *g, "", *g],
            [*heads, "未经复议直接起诉", *g, "复议后起诉", *g[:3], ""],
            ["", *g, *heads, *heads],
        ]
    rows.append(_outcome_values(ctx))
    out += [*_tab_lines(ctx, rows, stray=False), ""]

    out += [ctx.heading(5), ""]
    for i, para in enumerate(_problems(ctx)):
        out += [(ctx.bookmark() if i == 0 else "") + para, ""]
    out += [ctx.heading(6), ""]
    for para in _other_matters(ctx):
        out += [para, ""]
    return "\n".join(out)


def _tab_lines(ctx: _Ctx, rows: list[list[str]], *, stray: bool = True) -> list[str]:
    lines: list[str] = []
    for i, row in enumerate(rows):
        if stray and ctx.s.stray_blank_lines and i > 3 and ctx.chance(0.1):
            lines.append("")
        lines.append("\t".join(row))
    return lines


def _tab_app_row(ctx: _Ctx, row: str, split_group: bool) -> list[str]:
    """A table 3 row as seed 001 writes it; exactly seven value cells where a cell is a gap."""
    values = _app_values(ctx, row)
    exact = ctx.r.row_has_gap("applications", row)
    label = ctx.label(ctx.shape.app_row_labels[row])
    group = _GROUP_OF_FIRST.get(row)
    glabel = ctx.label(APP_GROUP_LABELS[group]) if group else ""
    if row in ("received", "carried_over"):
        return [label, *values] if exact else [label, "", *values, ""]
    if row == "carried_forward":
        return [label, *values] if exact else [label, "", *values]
    if row == "total":
        return [label, *values] if exact else [label, *values, ""]
    if row == "granted":
        if split_group:
            glabel = "三、本年度办理"
        return [glabel, label, *values] if exact else [glabel, label, *values, ""]
    if row == "partially_granted":
        lead = "结果" if split_group else ""
        return [lead, label, *values] if exact else [lead, label, *values, ""]
    if row == "other":  # 2019: （六）其他处理 is one row, in the column of （一）（二）
        return ["", label, *values] if exact else ["", label, *values, ""]
    if row == "withheld.state_secret":
        return ["", glabel, label, *values]
    if group:  # first item of （四）（五）（六）: the group label in the first column
        return [glabel, label, *values]
    leads = ["", ""] if row.startswith("withheld.") and ctx.chance(0.7) else [""]
    return [*leads, label, *values]


# --- layout: Word cells (seeds 000/003) -----------------------------------------------------


def render_word_cells(r: GenReport, *, style: Style | None = None) -> str:
    """Every cell on its own tab-led line, a blank line between rows (Word copy-paste)."""
    ctx = _Ctx(r, style or Style(), "word_cells")
    out: list[str] = []
    out += _title_lines(ctx)
    out += ["", "    " + _intro(ctx)]
    opening, subs = _overview(ctx)
    trail = "    " if ctx.chance(0.3) else ""
    out += [ctx.heading(1) + trail, ctx.bookmark() + ("    " if ctx.chance(0.5) else "") + opening]
    for head, sentence in subs:
        out.append(f"{head}。{sentence}")

    def cells(labels: Sequence[str], values: Sequence[str] = ()) -> None:
        for cell in labels:
            parts = ctx.split(cell) if cell else [cell]
            out.append("\t" + parts[0])
            out.extend(parts[1:])
        out.extend("\t" + v for v in values)
        out.append("")

    out.append(ctx.heading(2))
    if ctx.chance(0.3):
        out.append("")
    for numeral, headers, row_keys in ctx.shape.t2_blocks:
        cells([_block_title(ctx, numeral)])
        cells(["信息内容", *(_fee_header(ctx, h) for h in headers)])
        for row in row_keys:
            cols = dict(ctx.shape.table2_rows)[row]
            cells([ctx.label(ctx.shape.t2_row_labels[row])], _t2_values(ctx, row, cols))
        for label, values in _extra_rows(ctx, numeral):
            cells([label], values)
    out.append("")

    out.append(ctx.heading(3))
    cells([_note(ctx), ctx.header("申请人情况")])
    cells(["", _applicant_header(ctx, "natural_person"), ctx.header("法人或其他组织"),
           ctx.header("总计")])  # fmt: skip
    header3 = [_applicant_header(ctx, c) for c in APPLICANTS[1:]]
    # Seed 000 breaks 商业企业 and 科研机构 over two lines inside their cells.
    for i in (0, 1):
        if header3[i] in ("商业企业", "科研机构") and ctx.chance(0.7):
            header3[i] = header3[i][:2] + "\n" + header3[i][2:]
    out.append("\t")
    out.append("\t")
    for h in header3:
        out.append("\t" + h)
    out += ["\t", ""]
    repeat_results = ctx.chance(0.3)  # seed 003 repeats 三、本年度办理结果 on the （三） row
    for row in ctx.shape.app_rows:
        label = ctx.label(ctx.shape.app_row_labels[row])
        group = _GROUP_OF_FIRST.get(row)
        values = _app_values(ctx, row)
        if row in ("received", "carried_over", "carried_forward"):
            cells([label], values)
        elif row == "granted":
            cells([ctx.label(APP_GROUP_LABELS["results"]), label], values)
        elif row in ("partially_granted", "total", "other"):  # other: 2019's single （六）
            cells(["", label], values)
        elif group:
            lead = ""
            if group == "withheld" and repeat_results:
                lead = ctx.label(APP_GROUP_LABELS["results"])
            cells([lead, ctx.label(APP_GROUP_LABELS[group]), label], values)
        else:
            cells(["", "", label], values)
    out.append("")

    out.append(ctx.heading(4))
    if ctx.chance(0.5):
        out.append("")
    cells(["行政复议", "行政诉讼"])
    split_words = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    first = ["结果维持", *split_words[1:]] if ctx.chance(0.7) else OUTCOME_HEADERS
    for h in first:
        out.append("\t" + h)
    out += ["\t未经复议直接起诉", "\t复议后起诉", ""]
    out += ["\t"] * 5
    for h in (*split_words, *split_words):
        out.append("\t" + h)
    out.append("")
    cells([], _outcome_values(ctx))
    out.append("")

    out.append(ctx.heading(5) + ("    " if ctx.chance(0.3) else ""))
    for i, para in enumerate(_problems(ctx)):
        out.append((ctx.bookmark() if i == 0 else "") + para)
    out.append(ctx.heading(6))
    for para in _other_matters(ctx):
        out.append(("\u3000\u3000" if ctx.chance(0.3) else "") + para)
    out += ["", "", ""]
    return "\n".join(out)


# --- layout: web scrape (seed 004) ----------------------------------------------------------

_CHROME_BEFORE = (
    "首页 > 政务公开 > 政府信息公开年报 > 部门政府信息公开年报",
    "您当前的位置：首页>政务公开>政府信息公开年报",
)
_CHROME_AFTER = (
    "扫一扫在手机上查看当前页面", "打印本页", "关闭窗口", "网站地图 | 联系我们 | 使用帮助",
    "网站标识码5001100023", "政务服务 政民互动 数据开放",
)  # fmt: skip


def render_scrape(r: GenReport, *, style: Style | None = None) -> str:
    """One cell per line and a blank line after each; no empty cells; page chrome around."""
    if r.gaps:
        raise ValueError("a scrape drops empty cells: render_scrape() takes reports without gaps")
    ctx = _Ctx(r, style or Style(), "scrape")
    city = next((c for c in CITIES if r.issuer.startswith(c)), "")
    out: list[str] = [f"中国政府网|{city or '本市'}人民政府网", "", ctx.pick(_CHROME_BEFORE), ""]
    title = _title_lines(ctx)
    for line in title:
        out += [line, ""]
    assert r.published is not None
    out += [("日期:" if ctx.chance(0.7) else "日期：") + r.published.isoformat(), "", ""]
    out += [_intro(ctx), ""]
    opening, subs = _overview(ctx)
    indent = "     " if ctx.chance(0.5) else ""
    out += [indent + ctx.heading(1), "", opening, ""]
    for head, sentence in subs:
        head = head.replace("（", "(").replace("）", ")")
        out += [head + sentence, ""]

    def cells(items: Sequence[str]) -> None:
        for item in items:
            out.extend([item, ""])

    out += [ctx.heading(2), ""]
    for numeral, headers, row_keys in ctx.shape.t2_blocks:
        heads = [_fee_header(ctx, h).replace("（", "(").replace("）", ")").replace("：", ":")
                 for h in headers]  # fmt: skip
        if heads[0] == "本年制发件数":
            heads = ["本年", "制发件数", *heads[1:]]
        cells([_half(_block_title(ctx, numeral)), "信息内容", *heads])
        for row in row_keys:
            cols = dict(ctx.shape.table2_rows)[row]
            label = ctx.label(ctx.shape.t2_row_labels[row])
            if row == "fees" and ctx.s.split_labels and ctx.chance(0.6):
                cells(["行政事业性", "收费"])
            else:
                cells([label])
            cells(_t2_values(ctx, row, cols))
        for label, values in _extra_rows(ctx, numeral):
            cells([label, *values])

    out += [ctx.heading(3), "", "", "", ""]
    cells([_note(ctx).replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ","),
           "申请人情况", "自然人", "法人或其他组织", "总计", "商业", "企业", "科研", "机构",
           _applicant_header(ctx, "social_welfare"), "法律服务机构", "其他"])  # fmt: skip
    for row in ctx.shape.app_rows:
        group = _GROUP_OF_FIRST.get(row)
        if group:
            cells([_half(ctx.label(APP_GROUP_LABELS[group]))])
        cells([_half(ctx.label(ctx.shape.app_row_labels[row])), *_app_values(ctx, row)])

    out += ["    " + ctx.heading(4), ""]
    cells(["行政复议", "行政诉讼", *OUTCOME_HEADERS, "未经复议直接起诉", "复议后起诉",
           *OUTCOME_HEADERS, *OUTCOME_HEADERS])  # fmt: skip
    cells(_outcome_values(ctx))

    out += [ctx.heading(5), ""]
    out += [" ".join(_problems(ctx)), ""]
    out += [ctx.heading(6), ""]
    out += ["".join(p for p in _other_matters(ctx) if not p.startswith("（")), ""]
    for line in _CHROME_AFTER[: ctx.rng.randrange(2, len(_CHROME_AFTER) + 1)]:
        out += [line, ""]
    return "\n".join(out)


def _half(label: str) -> str:
    """Seed 004 writes brackets half-width: ``(一)予以公开``."""
    return label.replace("（", "(").replace("）", ")")


# --- layout: markdown ----------------------------------------------------------------------


def render_markdown(r: GenReport, *, style: Style | None = None) -> str:
    """``#`` headings and GitHub pipe tables; merged cells as empty pipe cells."""
    ctx = _Ctx(r, style or Style(), "markdown")
    out: list[str] = []
    title = _title_lines(ctx)
    if len(title) == 2 and ctx.chance(0.5):
        title = ["".join(title)]
    for line in title:
        out += [f"# {line}", ""]
    out += [_intro(ctx), ""]
    opening, subs = _overview(ctx)
    out += [f"## {ctx.heading(1)}", "", ctx.bookmark() + opening, ""]
    for head, sentence in subs:
        out += [f"### {head}", "", sentence, ""]

    def table(rows: list[list[str]]) -> None:
        width = len(rows[0])
        for i, row in enumerate(rows):
            assert len(row) == width, row
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
            if i == 0:
                out.append("|" + "|".join(["---"] * width) + "|")
        out.append("")

    level = "####" if ctx.chance(0.3) else "##"
    out += [f"## {ctx.heading(2)}", ""]
    rows: list[list[str]] = []
    for numeral, headers, row_keys in ctx.shape.t2_blocks:
        pad = [""] * (3 - len(headers))
        rows.append([_block_title(ctx, numeral), "", "", ""])
        rows.append(["信息内容", *(_fee_header(ctx, h) for h in headers), *pad])
        for row in row_keys:
            cols = dict(ctx.shape.table2_rows)[row]
            label = ctx.label(ctx.shape.t2_row_labels[row])
            rows.append([label, *_t2_values(ctx, row, cols), *pad])
        for label, values in _extra_rows(ctx, numeral):
            rows.append([label, *values, *pad])
    table(rows)

    out += [f"## {ctx.heading(3)}", ""]
    # The note carries an escaped pipe: a pipe inside a header cell must not split it.
    note = f"（{APP_NOTE[:-12]}|{APP_NOTE[-12:]}）"
    rows = [
        [note, "", "", ctx.header("申请人情况"), "", "", "", "", "", ""],
        ["", "", "", _applicant_header(ctx, "natural_person"), ctx.header("法人或其他组织"),
         "", "", "", "", ctx.header("总计")],
        ["", "", "", "", *(_applicant_header(ctx, c) for c in APPLICANTS[1:]), ""],
    ]  # fmt: skip
    for row in ctx.shape.app_rows:
        group = _GROUP_OF_FIRST.get(row)
        labels = [ctx.label(APP_GROUP_LABELS[group])] if group else []
        labels.append(ctx.label(ctx.shape.app_row_labels[row]))
        if ctx.r.row_has_gap("applications", row):
            start = 3 - len(labels)  # labels right against the values: no empty cell between
        else:
            start = _START[row] if row in _START else (1 if group else 2)
        cells = [""] * start + labels
        cells += [""] * (3 - len(cells))
        rows.append([*cells, *_app_values(ctx, row)])
    table(rows)

    out += [f"{level} {ctx.heading(4)}", ""]
    g = ["", "", "", ""]
    rows = [
        ["行政复议", *g, "行政诉讼", *g, "", *g],
        [*OUTCOME_HEADERS, "未经复议直接起诉", *g, "复议后起诉", *g],
        ["", *g, *OUTCOME_HEADERS, *OUTCOME_HEADERS],
        _outcome_values(ctx),
    ]
    table(rows)

    out += [f"{level} {ctx.heading(5)}", ""]
    for i, para in enumerate(_problems(ctx)):
        out += [(ctx.bookmark() if i == 0 else "") + para, ""]
    out += [f"{level} {ctx.heading(6)}", ""]
    for para in _other_matters(ctx):
        out += [para, ""]
    return "\n".join(out)


RENDERERS: dict[Layout, Callable[..., str]] = {
    "tab_rows": render_tab_rows,
    "word_cells": render_word_cells,
    "scrape": render_scrape,
    "markdown": render_markdown,
}


def render(layout: Layout, r: GenReport, style: Style | None = None) -> str:
    """Render ``r`` in ``layout``."""
    return RENDERERS[layout](r, style=style)


# --- mutations for fuzzing -----------------------------------------------------------------

Op = tuple[Literal["delete", "duplicate", "swap"], int, int]


def mutate_lines(text: str, ops: Sequence[Op], truncate_at: int | None = None) -> str:
    """Delete, duplicate or swap lines (indices taken modulo the line count), then truncate."""
    lines = text.split("\n")
    for op, i, j in ops:
        if not lines:
            break
        i %= len(lines)
        j %= len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    out = "\n".join(lines)
    if truncate_at is not None:
        out = out[: truncate_at % (len(out) + 1)]
    return out


@st.composite
def rendered(
    draw: st.DrawFn, *, perturbed: bool | None = None, template: Template = "2021"
) -> tuple[Layout, GenReport, str]:
    """Any layout, report (with gaps where the layout can show them) and style, rendered."""
    layout = draw(st.sampled_from(LAYOUTS))
    plain = reports_of(template)
    gen = plain if layout == "scrape" else st.one_of(plain, reports_with_gaps(template=template))
    r = draw(gen)
    p = draw(st.booleans()) if perturbed is None else perturbed
    style = draw(styles(layout, perturbed=p))
    return layout, r, render(layout, r, style)


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A rendered report with lines deleted, duplicated or swapped, maybe cut short."""
    _, _, text = draw(rendered())
    big = st.integers(0, 10**6)
    ops: list[Op] = draw(
        st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "swap"]), big, big), max_size=8)
    )
    cut = draw(st.one_of(st.none(), big))
    return mutate_lines(text, ops, cut)


def iter_cells(r: GenReport) -> Iterator[tuple[CellKey, str, Number | None]]:
    """Every cell with its expected status and value."""
    for key in r.keys():
        status, value = r.expected(key)
        yield key, status, value


# --- checking a parse against the generated report -----------------------------------------

ROUNDTRIP = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Round-trip tests' settings; each test file sets its own ``max_examples`` on top."""
BINDING_WARNINGS = frozenset(
    {"row-count-mismatch", "unknown-row", "unplaced-number", "duplicate-row"}
)
"""Diagnostics of guessed binding: none on a layout that gives every row exactly its cells."""
STRUCTURE_WARNINGS = frozenset({"missing-table", "missing-section", "not-a-report"})
"""Diagnostics of a missing part: none on a complete report."""


def uncertain_end_rows(r: GenReport) -> frozenset[tuple[str, str]]:
    """Rows with an empty or ``/`` cell in their first or last column.

    In tab rows as seed 001 writes them, merged cells leave empty fields at both ends of some
    rows, so an empty cell at a row's end cannot be told from a lost cell unless rows laid out
    alike vouch for it: such a row's cells may come back ``ambiguous`` or ``inferred`` (never a
    different number)."""
    rows: set[tuple[str, str]] = set()
    by_row: dict[tuple[str, str], list[str]] = {}
    for table, row, col in r.keys():
        by_row.setdefault((table, row), []).append(col)
    for (table, row), cols in by_row.items():
        if (table, row, cols[0]) in r.gaps or (table, row, cols[-1]) in r.gaps:
            rows.add((table, row))
    return frozenset(rows)


def cell_mismatches(
    report: gxnianbao.Report, r: GenReport, text: str, *, uncertain_ends: bool = False
) -> list[str]:
    """Every way the parsed cells differ from the generated ones, either template (empty when
    all agree).

    ``report.cells()`` lists ``r.keys()`` in template order; each cell has its expected status
    and value, an ``int`` (a ``Decimal`` for ``r.shape.money_key``); a reported cell has a span
    and ``text[span.start:span.end]`` is its number as written (``text``: the text parsed, or a
    document's text view)."""
    shape = r.shape
    problems: list[str] = []
    lenient = uncertain_end_rows(r) if uncertain_ends else frozenset()
    if [(c.table, c.row, c.column) for c in report.cells()] != list(r.keys()):
        problems.append(
            f"report.cells() does not list the {len(r.keys())} cells of the {shape.template} "
            "template in template order"
        )
    for key in r.keys():
        name = ".".join(key)
        try:
            rec = report.cell(*key)
        except KeyError as err:
            problems.append(f"{name}: no such cell in the report ({err})")
            continue
        status, value = r.expected(key)
        got = str(rec.status)
        if key[:2] in lenient and (
            got == "ambiguous" or (got == "inferred" and (value is None or rec.value == value))
        ):
            continue
        if got != status or (value is None) != (rec.value is None) or rec.value != value:
            problems.append(
                f"{name}: expected {status} {value!r}, got {got} {rec.value!r} (raw={rec.raw!r})"
            )
            continue
        if status != "reported":
            continue
        assert value is not None
        want_type = Decimal if key == shape.money_key else int
        if type(rec.value) is not want_type:
            problems.append(f"{name}: value {rec.value!r} is not {want_type.__name__}")
        span = rec.span
        if span is None:
            problems.append(f"{name}: reported cell without span")
            continue
        written = text[span.start : span.end]
        if normalise_number_text(written, signed=key in shape.signed_keys) != value_text(value):
            problems.append(
                f"{name}: span text {written!r} is not the number {value_text(value)!r}"
            )
    return problems


def _where(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def reported_spans(
    report: gxnianbao.Report, r: GenReport
) -> Iterator[tuple[CellKey, gxnianbao.CellRecord, gxnianbao.Span]]:
    """Cells the generated report has as reported that the parse gives with a span (a missing
    cell or span is :func:`cell_mismatches`' to name), with their records and spans."""
    for key in r.keys():
        if r.expected(key)[0] != "reported":
            continue
        try:
            rec = report.cell(*key)
        except KeyError:
            continue
        if rec.span is not None:
            yield key, rec, rec.span


def span_position_mismatches(report: gxnianbao.Report, r: GenReport, text: str) -> list[str]:
    """Reported cells whose span's line and column are not where its offset is in ``text``
    (for text parsed as it is; a document's text view gives no such promise)."""
    problems: list[str] = []
    for key, _, span in reported_spans(report, r):
        if (span.line, span.column) != _where(text, span.start):
            problems.append(
                f"{'.'.join(key)}: span line/column {(span.line, span.column)} but offset "
                f"{span.start} is at {_where(text, span.start)}"
            )
    return problems


def diagnostic_problems(report: gxnianbao.Report, *, exact: bool) -> list[str]:
    """Error or structure diagnostics on a valid, complete report; with ``exact`` (a layout
    that gives every row exactly its cells, so nothing needs guessing), binding ones too."""
    problems: list[str] = []
    if errors := [d for d in report.diagnostics if d.severity == "error"]:
        problems.append(f"error diagnostics on a valid report: {errors}")
    if structural := [d for d in report.diagnostics if d.code in STRUCTURE_WARNINGS]:
        problems.append(f"structure diagnostics on a complete report: {structural}")
    if exact and (binding := [d for d in report.diagnostics if d.code in BINDING_WARNINGS]):
        problems.append(f"binding diagnostics on an exact layout: {binding}")
    return problems
