"""Opening a PDF with pdfminer, its streams decoding within the budgets of ``Limits``.

Why bound decoding here: a bomb (a few KB that inflate, run-length expand or LZW-decode to
gigabytes) must end in DocumentTooLargeError, not exhaust memory.  Rather than replace anything
of pdfminer's (which every other user of pdfminer in the process would see), the parser this
reader hands to pdfminer makes every stream it reads a :class:`BoundedStream`, which decodes
with the budgeted decoders of :mod:`.decode` for this one read."""

from __future__ import annotations

import io
from typing import Any, BinaryIO

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import DecipherCallable, PDFStream
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSKeyword

from ...errors import CorruptDocumentError, EncryptedDocumentError
from .decode import DecodeBudget
from .settings import OverLimit


class BoundedStream(PDFStream):
    """A PDF stream whose filters decode within a :class:`~.decode.DecodeBudget`."""

    def __init__(
        self,
        attrs: dict[str, Any],
        rawdata: bytes,
        decipher: DecipherCallable | None,
        budget: DecodeBudget,
    ) -> None:
        super().__init__(attrs, rawdata, decipher)
        self.budget = budget

    def decode(self) -> None:
        """Decode as pdfminer does, filter by filter, within the budget (see ``decode``)."""
        assert self.data is None and self.rawdata is not None
        data = self.rawdata
        if self.decipher:
            assert self.objid is not None and self.genno is not None
            data = self.decipher(self.objid, self.genno, data, self.attrs)
        self.data = self.budget.decode(self, data)
        self.rawdata = None


class BoundedParser(PDFParser):
    """pdfminer's parser, making each stream it reads a :class:`BoundedStream`."""

    def __init__(self, fp: BinaryIO, budget: DecodeBudget) -> None:
        super().__init__(fp)
        self.budget = budget

    def do_keyword(self, pos: int, token: PSKeyword) -> None:
        super().do_keyword(pos, token)
        if token is self.KEYWORD_STREAM and self.curstack:
            at, obj = self.curstack[-1]
            if type(obj) is PDFStream and obj.rawdata is not None:
                bounded = BoundedStream(obj.attrs, obj.rawdata, obj.decipher, self.budget)
                self.curstack[-1] = (at, bounded)


def open_pdf(data: bytes, name: str, budget: DecodeBudget) -> PDFDocument:
    """The pdfminer document, or the typed error saying why it cannot be opened."""
    if b"%PDF" not in data[:1024]:
        raise CorruptDocumentError(name, "not a PDF file: no %PDF header", kind="pdf")
    try:
        parser = BoundedParser(io.BytesIO(data), budget)
        doc = PDFDocument(parser, password="")
    except PDFPasswordIncorrect:
        raise EncryptedDocumentError(
            name, "the PDF is encrypted and needs a password to open", kind="pdf"
        ) from None
    except PDFEncryptionError as err:
        raise EncryptedDocumentError(
            name, f"the PDF is encrypted in a way that cannot be read ({err})", kind="pdf"
        ) from None
    except OverLimit:
        raise  # a bomb in the cross-reference or object streams: too large, not damaged
    except PSException as err:
        raise CorruptDocumentError(
            name, f"the PDF is damaged or truncated ({type(err).__name__}: {err})", kind="pdf"
        ) from None
    except Exception as err:  # pdfminer raises plain KeyError/TypeError/... on junk
        raise CorruptDocumentError(
            name, f"the PDF cannot be read ({type(err).__name__}: {err})", kind="pdf"
        ) from None
    return doc
