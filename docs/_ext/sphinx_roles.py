"""A griffe extension for the API reference: Sphinx roles in docstrings become links.

The docstrings cross-reference with Sphinx roles (``:class:`~gxnianbao.ParseError```,
``:meth:`as_2019```), which Markdown shows as they are written.  This turns each into an
mkdocs-autorefs reference to the object's canonical path, marked optional: it links where the
object is rendered in the reference and stays plain code elsewhere (so ``mkdocs build
--strict`` never fails on an object the reference does not show).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`(~?)([\w.]+)`")


class SphinxRoles(griffe.Extension):
    """Rewrites the roles of every docstring once the package is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            if obj.docstring is not None:
                doc = obj.docstring
                doc.value = _ROLE.sub(lambda m, o=obj: _link(m, o, pkg), doc.value)


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            yield from _walk(member)


def _link(match: re.Match[str], owner: griffe.Object, pkg: griffe.Module) -> str:
    short, name = match[1] == "~", match[2]
    title = name.rsplit(".", 1)[-1] if short else name
    path = _resolve(name, owner, pkg)
    code = f"<code>{html.escape(title)}</code>"
    if path is None:
        return code
    return f'<autoref identifier="{html.escape(path)}" optional>{code}</autoref>'


def _resolve(name: str, owner: griffe.Object, pkg: griffe.Module) -> str | None:
    """The canonical path of ``name`` as seen from ``owner`` (itself, its parents, the root)."""
    scopes: list[griffe.Object] = []
    scope: griffe.Object | None = owner
    while scope is not None:
        scopes.append(scope)
        scope = scope.parent
    for base in scopes:
        candidate = name if name.startswith(pkg.name + ".") else f"{base.path}.{name}"
        relative = candidate.removeprefix(pkg.name + ".") if candidate != pkg.name else ""
        try:
            found = pkg[relative] if relative else pkg
            path = found.final_target.path if found.is_alias else found.path
        except Exception:  # not found, or an alias to something not loaded
            continue
        return str(path)
    return None
