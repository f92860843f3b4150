"""Opening a PDF with pdfminer, its streams inflating within ``Limits.max_decompressed``.

Why bound inflation here: a flate bomb (a few KB that inflate to gigabytes) must end in
DocumentTooLargeError, not exhaust memory.  pdfminer inflates a stream with a plain
``zlib.decompress`` inside ``PDFStream.decode``; rather than replace anything of pdfminer's
(which every other user of pdfminer in the process would see), the parser this reader hands to
pdfminer makes every stream it reads a :class:`BoundedStream`, which inflates within the
budget of this one read and leaves every other filter to pdfminer.  A damaged flate stream
gives what inflated before the damage (pdfminer's own fallback inflates byte by byte, in
quadratic time).
"""

from __future__ import annotations

import io
import zlib
from typing import Any, BinaryIO

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, DecipherCallable, PDFStream
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSKeyword

from ...errors import CorruptDocumentError, EncryptedDocumentError
from .settings import OverLimit

_CHUNK = 1 << 16
"""Compressed bytes inflated at a time, so that a bomb is caught after one chunk's output."""


class InflateBudget:
    """Bytes the streams of one PDF may still inflate to (one per read, never shared)."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def inflate(self, data: bytes) -> bytes:
        """``data`` inflated (zlib format), at most the bytes left; what inflated before a
        damaged part when the stream is damaged."""
        d = zlib.decompressobj(zlib.MAX_WBITS)
        out = bytearray()
        for i in range(0, len(data), _CHUNK):
            try:
                out += d.decompress(data[i : i + _CHUNK], self.left + 1 - len(out))
            except zlib.error:
                break
            if len(out) > self.left:
                raise OverLimit("the PDF's streams inflate beyond the limit (max_decompressed)")
        self.left -= len(out)
        return bytes(out)


class BoundedStream(PDFStream):
    """A PDF stream whose flate filter inflates within an :class:`InflateBudget`."""

    def __init__(
        self,
        attrs: dict[str, Any],
        rawdata: bytes,
        decipher: DecipherCallable | None,
        budget: InflateBudget,
    ) -> None:
        super().__init__(attrs, rawdata, decipher)
        self.budget = budget

    def decode(self) -> None:
        """Decode as pdfminer does, filter by filter; the flate steps inflate here, within the
        budget, and pdfminer applies every other filter and every predictor."""
        assert self.data is None and self.rawdata is not None
        data = self.rawdata
        if self.decipher:
            assert self.objid is not None and self.genno is not None
            data = self.decipher(self.objid, self.genno, data, self.attrs)
        for name, params in self.get_filters():
            if name in LITERALS_FLATE_DECODE:
                data = self.budget.inflate(data)
                if not (params and "Predictor" in params):
                    continue
                # pdfminer's predictor, unchanged, on the inflated bytes as a stored stream
                data = zlib.compress(data, 0)
            data = PDFStream({"Filter": name, "DecodeParms": params}, data).get_data()
        self.data = data
        self.rawdata = None


class BoundedParser(PDFParser):
    """pdfminer's parser, making each stream it reads a :class:`BoundedStream`."""

    def __init__(self, fp: BinaryIO, budget: InflateBudget) -> None:
        super().__init__(fp)
        self.budget = budget

    def do_keyword(self, pos: int, token: PSKeyword) -> None:
        super().do_keyword(pos, token)
        if token is self.KEYWORD_STREAM and self.curstack:
            at, obj = self.curstack[-1]
            if type(obj) is PDFStream and obj.rawdata is not None:
                bounded = BoundedStream(obj.attrs, obj.rawdata, obj.decipher, self.budget)
                self.curstack[-1] = (at, bounded)


def open_pdf(data: bytes, name: str, budget: InflateBudget) -> PDFDocument:
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
