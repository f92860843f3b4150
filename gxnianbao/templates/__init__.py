"""Template versions as data; see :mod:`gxnianbao.templates.spec` for their shape."""

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
from .t2019 import TEMPLATE_2019
from .t2021 import MARKERS_2019, TEMPLATE_2021

TEMPLATES = {"2021": TEMPLATE_2021, "2019": TEMPLATE_2019}

LATEST = TEMPLATE_2021
"""The template in force: assumed for a report whose template is unknown, and the one whose
words name the cells of rules across years."""

__all__ = [
    "LATEST",
    "MARKERS_2019",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "ColumnSpec",
    "GroupSpec",
    "Identity",
    "RowSpec",
    "SectionSpec",
    "TableSpec",
    "TemplateSpec",
    "Wording",
]
