"""The shape of the package, read from its source with :mod:`ast` (nothing is imported).

- **Stages in pipeline order.** A module may import modules of its own stage or of an earlier
  one, never of a later one, at the top or inside a function (``docs/architecture.md``).
  ``gxnianbao/__init__.py`` (the public API) and ``__main__.py`` may import anything.
- **No import cycle** between modules.
- **No module over** :data:`MAX_LINES` lines (the goal is 500).
- **Template names only in** ``gxnianbao/templates/``: no other module holds "2019" or "2021" in
  a string literal (docstrings aside); what differs between templates is data of the template.

Each rule is first shown to catch what it should on a small made-up package, then run on the
real one; a failure names the file, the line and the rule.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs
import regex

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "gxnianbao"

STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "limits"),
    ("templates",),
    ("model",),
    ("common",),
    ("read",),
    ("locate",),
    ("bind",),
    ("recover",),
    ("parse",),
    ("check",),
    ("export",),
    ("batch",),
    ("cli",),
)
"""The pipeline, earliest first; each entry names top-level modules or folders of the package.
A new top-level module or folder must be added here, in its place."""

FREE = ("__init__", "__main__")
"""Top-level modules that may import any stage: the public API and ``python -m``."""

LEAVES = ("gxnianbao.common.text",)
"""Shared facts that import nothing of the package (nor do their parent packages), so that any
stage may use them, ``errors`` included (its caret line measures CJK width with them)."""

MAX_LINES = 600
TEMPLATE_HOME = "templates"
TEMPLATE_NAME = regex.compile(r"(?<!\d)(?:2019|2021)(?!\d)")


@attrs.frozen(slots=True)
class Module:
    """One source file of the package, parsed."""

    name: str  # dotted, "gxnianbao.read.pdf"; a package's __init__ is the package's name
    where: str  # the path from the project root, "gxnianbao/read/pdf.py"
    is_package: bool
    tree: ast.Module
    line_count: int


@attrs.frozen(slots=True)
class Import:
    """One import statement's target inside the package, and the line that makes it."""

    source: Module
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source.where}:{self.line} imports {self.target}"


def load_package(root: Path, package: str = PACKAGE) -> dict[str, Module]:
    """Every ``.py`` file under ``root/package``, parsed, by dotted module name."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        text = path.read_text(encoding="utf-8")
        name = ".".join(parts)
        where = path.relative_to(root).as_posix()
        tree = ast.parse(text, where)
        modules[name] = Module(name, where, is_package, tree, len(text.splitlines()))
    return modules


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The dotted name a ``from ... import`` statement imports from."""
    if node.level == 0:
        return node.module or ""
    parts = module.name.split(".")
    base = parts if module.is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _inside(name: str, modules: Mapping[str, Module]) -> str | None:
    """The longest prefix of ``name`` that is a module of the package, if any."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in modules:
            return prefix
    return None


def imports(module: Module, modules: Mapping[str, Module]) -> Iterator[Import]:
    """Every module of the package that ``module`` imports, wherever the statement stands
    (top level, a function, an ``if TYPE_CHECKING:`` block), and the line that imports it."""
    seen: set[tuple[str, int]] = set()
    for node in ast.walk(module.tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            names = [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"] or [base]
        for name in names:
            target = _inside(name, modules)
            if target is not None and target != module.name and (target, node.lineno) not in seen:
                seen.add((target, node.lineno))
                yield Import(module, target, node.lineno)


def stage_of(name: str) -> int | None:
    """The stage a module belongs to (its top-level module or folder); the package itself, the
    public API, counts as the last stage; None for a top-level name :data:`STAGES` lacks."""
    parts = name.split(".")
    if len(parts) == 1:
        return len(STAGES) - 1
    for index, members in enumerate(STAGES):
        if parts[1] in members:
            return index
    return None


def stage_errors(modules: Mapping[str, Module]) -> list[str]:
    """Imports of a later stage, and modules outside every stage."""
    errors = []
    for module in modules.values():
        parts = module.name.split(".")
        if len(parts) == 1 or (len(parts) == 2 and parts[1] in FREE):
            continue
        own = stage_of(module.name)
        if own is None:
            errors.append(
                f"{module.where}: {parts[1]!r} is in no stage; add it to STAGES in "
                f"tests/test_architecture.py and docs/architecture.md (rule: stages)"
            )
            continue
        for found in imports(module, modules):
            theirs = stage_of(found.target)
            if theirs is not None and theirs > own and found.target not in LEAVES:
                errors.append(
                    f"{found}: stage {'/'.join(STAGES[own])} imports the later stage "
                    f"{'/'.join(STAGES[theirs])} (rule: import only the same or an earlier stage)"
                )
    for leaf in LEAVES:
        parts = leaf.split(".")
        for name in (".".join(parts[:end]) for end in range(2, len(parts) + 1)):
            if name in modules:
                errors.extend(
                    f"{found}: {leaf} is a shared leaf, so {name} imports nothing of the "
                    f"package (rule: leaves import nothing)"
                    for found in imports(modules[name], modules)
                )
    return errors


def cycle_errors(modules: Mapping[str, Module]) -> list[str]:
    """One message per import cycle (a strongly connected set of modules), with each import
    of the cycle and its line."""
    edges: dict[str, dict[str, Import]] = {name: {} for name in modules}
    for module in modules.values():
        for found in imports(module, modules):
            edges[module.name].setdefault(found.target, found)
    errors = []
    for component in strongly_connected(edges):
        if len(component) > 1:
            inside = sorted(
                str(found)
                for name in component
                for target, found in edges[name].items()
                if target in component
            )
            errors.append(
                f"import cycle between {', '.join(sorted(component))}: "
                + "; ".join(inside)
                + " (rule: no import cycles)"
            )
    return errors


def strongly_connected(edges: Mapping[str, Mapping[str, object]]) -> list[set[str]]:
    """Tarjan's strongly connected components of a directed graph (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in edges:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(edges[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def length_errors(modules: Mapping[str, Module], limit: int = MAX_LINES) -> list[str]:
    return [
        f"{m.where}:{m.line_count}: {m.line_count} lines (rule: no module over {limit} lines)"
        for m in modules.values()
        if m.line_count > limit
    ]


def _not_template_names(tree: ast.Module) -> set[ast.AST]:
    """Strings that do not name a template whatever they hold: those that stand alone as a
    statement (module, class, function and attribute docstrings) and the object names listed
    in ``__all__`` (``"ActiveDisclosure2019"`` names a class)."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(node.value)
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AnnAssign, ast.AugAssign))
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value:
            skipped.update(ast.walk(node.value))
    return skipped


def template_name_errors(modules: Mapping[str, Module]) -> list[str]:
    errors = []
    for module in modules.values():
        parts = module.name.split(".")
        if len(parts) > 1 and parts[1] == TEMPLATE_HOME:
            continue
        skipped = _not_template_names(module.tree)
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node not in skipped
                and TEMPLATE_NAME.search(node.value)
            ):
                errors.append(
                    f"{module.where}:{node.lineno}: string {node.value[:40]!r} names a template "
                    f"(rule: template names only in {PACKAGE}/{TEMPLATE_HOME}/)"
                )
    return errors


def report(errors: Sequence[str]) -> str:
    return f"{len(errors)} violation(s):\n" + "\n".join(sorted(errors))


# --- the checks on a made-up package -------------------------------------------------------


def make_package(root: Path, files: Mapping[str, str]) -> dict[str, Module]:
    for relative, text in files.items():
        path = root / PACKAGE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_package(root)


def test_the_checks_catch_a_later_stage_import_in_a_function(tmp_path: Path) -> None:
    modules = make_package(
        tmp_path,
        {
            "__init__.py": "from .read import pdf\n",
            "errors.py": "from .common.text import width\n",
            "model/__init__.py": "",
            "common/__init__.py": "",
            "common/text.py": "from ..model import Span\n",
            "read/__init__.py": "",
            "read/pdf.py": "from ..errors import x\ndef f():\n    from ..check import rules\n",
            "check/__init__.py": "",
            "check/rules.py": "from ..read import pdf\nimport gxnianbao.errors\n",
            "cli.py": "from . import __version__\n",
            "grid/__init__.py": "",
        },
    )
    errors = stage_errors(modules)
    assert any(
        e.startswith("gxnianbao/read/pdf.py:3 imports gxnianbao.check.rules") for e in errors
    )
    assert any(e.startswith("gxnianbao/grid/__init__.py: 'grid' is in no stage") for e in errors)
    assert any(
        e.startswith("gxnianbao/common/text.py:1 imports gxnianbao.model: gxnianbao.common.text")
        and e.endswith("(rule: leaves import nothing)")
        for e in errors
    )
    assert len(errors) == 3, errors  # errors.py may import the leaf common.text
    [cycle] = cycle_errors(modules)
    assert "gxnianbao.check.rules, gxnianbao.read.pdf" in cycle
    assert "gxnianbao/check/rules.py:1 imports gxnianbao.read.pdf" in cycle


def test_the_checks_catch_long_modules_and_template_names(tmp_path: Path) -> None:
    modules = make_package(
        tmp_path,
        {
            "templates/t2019.py": "NAME = '2019'\n",
            "parse.py": (
                '"""Says 2019."""\nX = "2021"\n"""About X: 2021."""\nY = f"{X}2019x"\nZ = "20210"\n'
                '__all__ = ["Table2019"]\n__all__ += ["Row2021"]\n'
            ),
            "long.py": "x = 1\n" * 601,
        },
    )
    assert report(template_name_errors(modules)).splitlines()[1:] == [
        "gxnianbao/parse.py:2: string '2021' names a template "
        "(rule: template names only in gxnianbao/templates/)",
        "gxnianbao/parse.py:4: string '2019x' names a template "
        "(rule: template names only in gxnianbao/templates/)",
    ]
    assert length_errors(modules) == [
        "gxnianbao/long.py:601: 601 lines (rule: no module over 600 lines)"
    ]


# --- the checks on the package --------------------------------------------------------------

MODULES = load_package(ROOT)


def test_the_architecture_page_lists_the_same_stages() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    [order] = [" ".join(p.split()) for p in page.split("\n\n") if "→" in p]
    listed = tuple(tuple(regex.findall(r"`(\w+)`", stage)) for stage in order.split("→"))
    assert listed == STAGES


def test_every_stage_is_a_module_or_folder_of_the_package() -> None:
    tops = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    assert {member for members in STAGES for member in members} <= tops


def test_no_module_imports_a_later_stage() -> None:
    errors = stage_errors(MODULES)
    assert not errors, report(errors)


def test_no_import_cycle() -> None:
    errors = cycle_errors(MODULES)
    assert not errors, report(errors)


def test_no_module_is_too_long() -> None:
    errors = length_errors(MODULES)
    assert not errors, report(errors)


def test_template_names_only_in_templates() -> None:
    errors = template_name_errors(MODULES)
    assert not errors, report(errors)
