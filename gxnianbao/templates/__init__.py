"""Template versions as data; see :mod:`gxnianbao.templates.spec` for their shape.

Everything the parser knows about a template comes from here: callers name a template or pass
a :class:`TemplateSpec` of their own (a stock one extended with
:meth:`TemplateSpec.with_aliases`), and :func:`resolve` turns either into the spec.
"""

from __future__ import annotations

from .spec import (
    ColumnSpec,
    GroupSpec,
    Identity,
    MarkerSpec,
    RowSpec,
    SectionSpec,
    SubsectionSpec,
    TableSpec,
    TemplateSpec,
    TitleWords,
    Wording,
)
from .t2019 import TEMPLATE_2019
from .t2021 import TEMPLATE_2021

TEMPLATES = {"2021": TEMPLATE_2021, "2019": TEMPLATE_2019}

LATEST = TEMPLATE_2021
"""The template in force: assumed for a report whose template is unknown, and the one whose
words name the cells of rules across years."""

CHRONOLOGICAL = tuple(
    sorted(TEMPLATES.values(), key=lambda t: (t.last_year is None, t.last_year or 0))
)
"""The stock templates, oldest first (the one still in force last)."""


def resolve(template: str | TemplateSpec | None) -> TemplateSpec:
    """The spec a ``template=`` argument names: a stock name, a spec, or None (:data:`LATEST`).

    A spec of one's own must keep a stock template's name: the typed tables and identities of
    the report are that template's.
    """
    if template is None:
        return LATEST
    if isinstance(template, TemplateSpec):
        if template.name not in TEMPLATES:
            raise ValueError(
                f"a TemplateSpec must keep the name of a stock template {sorted(TEMPLATES)} "
                f"(derive it with with_aliases() or attrs.evolve()), not {template.name!r}"
            )
        return template
    if isinstance(template, str) and template in TEMPLATES:
        return TEMPLATES[template]
    raise ValueError(
        f"template must be one of {sorted(TEMPLATES)}, a TemplateSpec or None, not {template!r}"
    )


def for_year(year: int | None) -> TemplateSpec:
    """The template a report on ``year`` was written in, by the templates' years alone."""
    if year is None:
        return LATEST
    for spec in CHRONOLOGICAL:
        if spec.last_year is None or year <= spec.last_year:
            return spec
    return LATEST


__all__ = [
    "CHRONOLOGICAL",
    "LATEST",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "ColumnSpec",
    "GroupSpec",
    "Identity",
    "MarkerSpec",
    "RowSpec",
    "SectionSpec",
    "SubsectionSpec",
    "TableSpec",
    "TemplateSpec",
    "TitleWords",
    "Wording",
    "for_year",
    "resolve",
]
