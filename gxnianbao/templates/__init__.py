"""Template versions as data; see :mod:`gxnianbao.templates.spec` for their shape."""

from .spec import ColumnSpec, GroupSpec, RowSpec, SectionSpec, TableSpec, TemplateSpec
from .t2019 import TEMPLATE_2019
from .t2021 import MARKERS_2019, TEMPLATE_2021

TEMPLATES = {"2021": TEMPLATE_2021, "2019": TEMPLATE_2019}

__all__ = [
    "MARKERS_2019",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "ColumnSpec",
    "GroupSpec",
    "RowSpec",
    "SectionSpec",
    "TableSpec",
    "TemplateSpec",
]
