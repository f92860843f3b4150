"""pdfminer's page interpreter, counting what it does against the budgets of ``Limits``.

Why count here: a page's cost is not its size.  A 4 KB file whose form XObjects draw each
other ten times over nine levels asks for 10⁹ draws; a 50 KB file whose 200 pages share one
content stream of 15 MB of no-ops interprets 3 GB.  Neither shows in the bytes of a page, so
the interpreter counts as it goes: every token it reads from a content stream (an operator,
an operand, a bracket) and every glyph the device draws is one operation, inside forms too and
each time a form is drawn; so are the bytes of every content stream it runs; forms nest at
most ``max_xobject_depth`` deep.  Past a budget the read ends in DocumentTooLargeError naming it.

The loop is pdfminer's ``PDFPageInterpreter.execute`` with the count added (and its guard
against a form that draws itself kept, so that it holds with every pdfminer version).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pdfminer import settings as pdfminer_settings
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfinterp import (
    PDFContentParser,
    PDFInterpreterError,
    PDFPageInterpreter,
    PDFResourceManager,
)
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psexceptions import PSEOF
from pdfminer.psparser import PSKeyword, keyword_name

from ...limits import Limits
from .settings import OverLimit

if TYPE_CHECKING:
    from pdfminer.psparser import PSBaseParserToken


FORM_COST = 5
"""Operations a form XObject drawn counts for beyond its own tokens: setting up its resources,
state and parser costs about five tokens' time."""


class WorkBudget:
    """Operations and content bytes one read may still interpret (one per read, never shared).

    ``ops`` counts the document's operations; an operation past ``stop`` (the end of the
    page's or the document's budget, whichever comes first) calls :meth:`over`.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.ops = 0
        self.stop = min(limits.max_operations_per_page, limits.max_operations)
        self.page_start = 0
        self.content = 0
        self.page_content = 0

    def start_page(self) -> None:
        """A new page: its own operation and content budgets start."""
        lim = self.limits
        self.page_start = self.ops
        self.stop = min(self.ops + lim.max_operations_per_page, lim.max_operations)
        self.page_content = 0

    def over(self) -> None:
        """Raise for the operation budget that ran out."""
        if self.stop >= self.limits.max_operations:
            raise OverLimit(
                f"the PDF interprets more than {self.limits.max_operations} operations "
                "(max_operations)"
            )
        raise OverLimit(
            f"a page interprets more than {self.limits.max_operations_per_page} operations "
            "(max_operations_per_page)"
        )

    def add_content(self, size: int) -> None:
        """``size`` more bytes of content streams interpreted."""
        lim = self.limits
        self.content += size
        self.page_content += size
        if self.page_content > lim.max_content_per_page:
            raise OverLimit(
                f"a page has more than {lim.max_content_per_page} bytes of content "
                "(max_content_per_page)"
            )
        if self.content > lim.max_content:
            raise OverLimit(
                f"the PDF interprets more than {lim.max_content} bytes of content (max_content)"
            )


class CountingParser(PDFContentParser):
    """pdfminer's content parser, each token it reads one operation: a token that makes no
    object (``<<``, ``}``) costs as much time as one that does."""

    def __init__(self, streams: Sequence[object], budget: WorkBudget) -> None:
        self.budget = budget
        super().__init__(streams)

    def nexttoken(self) -> tuple[int, PSBaseParserToken]:
        budget = self.budget
        budget.ops += 1
        if budget.ops > budget.stop:
            budget.over()
        return super().nexttoken()


class BoundedInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter counting operations and content against a :class:`WorkBudget`;
    ``depth`` is how many forms deep it runs, ``drawing`` the streams it is inside."""

    def __init__(
        self,
        rsrcmgr: PDFResourceManager,
        device: PDFDevice,
        budget: WorkBudget,
        depth: int = 0,
        drawing: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(rsrcmgr, device)
        self.budget = budget
        self.depth = depth
        self.drawing = drawing
        self.running: frozenset[int] = frozenset()

    def dup(self) -> BoundedInterpreter:
        """The interpreter for a form drawn from this one (pdfminer calls it only there)."""
        budget = self.budget
        budget.ops += FORM_COST
        if budget.ops > budget.stop:
            budget.over()
        depth = self.depth + 1
        limit = budget.limits.max_xobject_depth
        if depth > limit:
            raise OverLimit(
                f"the PDF draws form XObjects more than {limit} deep (max_xobject_depth)"
            )
        return BoundedInterpreter(
            self.rsrcmgr, self.device, budget, depth, self.drawing | self.running
        )

    def execute(self, streams: Sequence[object]) -> None:
        budget = self.budget
        valid: list[PDFStream] = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.drawing:
                continue  # inline, or a form that draws itself: pdfminer skips both
            valid.append(stream)
        self.running = frozenset(s.objid for s in valid if s.objid is not None)
        budget.add_content(sum(len(s.get_data()) for s in valid))
        try:
            parser = CountingParser(valid, budget)
        except PSEOF:
            return  # an empty page
        while True:
            try:
                _, obj = parser.nextobject()
            except PSEOF:
                break
            if not isinstance(obj, PSKeyword):
                self.push(obj)
                continue
            name = keyword_name(obj)
            method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
            func = getattr(self, method, None)
            if func is None:
                if pdfminer_settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {name!r}")
                continue
            nargs = func.__code__.co_argcount - 1
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()
