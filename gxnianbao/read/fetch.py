"""Reports on the web: an ``http://`` or ``https://`` URL -> its bytes, under the same limits.

Why here and with the standard library only: reports are published as web pages and
attachments, and a URL should read like a path (``parse_file(url)``, ``gxnianbao parse URL``)
without another dependency.  A download is bounded like a file: ``limits.max_bytes`` caps the
body (checked against ``Content-Length`` and while reading), ``limits.fetch_timeout`` bounds
each wait and the whole download, and ``limits.max_redirects`` the redirects followed.  Every
failure is a :class:`~gxnianbao.FetchError` naming the URL and the reason.

The charset the server names in ``Content-Type`` decides how a web page or text is decoded
when the bytes decode in it (a byte-order mark still wins); otherwise the content decides, as
for a file (see :mod:`gxnianbao.read.html_charset`).
"""

from __future__ import annotations

import codecs
import functools
import time
import zlib
from typing import TYPE_CHECKING

import attrs
import regex

from ..errors import DocumentTooLargeError, FetchError
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Diagnostic

if TYPE_CHECKING:  # urllib and http.client (with ssl) are imported on the first download only
    import http.client
    import urllib.request

__all__ = ["Download", "HeaderCharset", "download", "header_decoded", "is_url"]

_SCHEMES = ("http://", "https://")
_ASCII = regex.compile(r"[\x00-\x7f]")
_CHUNK = 64 * 1024
_USER_AGENT = "Mozilla/5.0 (compatible; gxnianbao)"
"""Some government sites refuse urllib's own ``Python-urllib/3.x``."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_GB = frozenset("gb2312 gbk gb_2312-80 x-gbk cp936 gb18030 euc-cn csgb2312".split())
_WESTERN = ("ascii", "us-ascii", "latin", "iso-8859", "iso8859", "cp125", "windows-125")
"""Single-byte charsets decode any bytes: a server naming one for a Chinese report names its
default, not the page's charset, so the content decides instead."""


def is_url(source: object) -> bool:
    """Whether ``source`` is a string naming an ``http://`` or ``https://`` URL."""
    return isinstance(source, str) and source[:8].lower().startswith(_SCHEMES)


@attrs.frozen(slots=True)
class Download:
    """A URL's body as the server sent it, with what its headers say about it.

    Pass it to :func:`~gxnianbao.parse_file` (or ``read_document``) to parse what was
    downloaded once: its name is the URL as given, its charset decides as for a URL.
    """

    url: str
    """The URL as given (the report's name); redirects are followed but do not rename it."""
    data: bytes = attrs.field(repr=lambda data: f"<{len(data):,} bytes>")
    content_type: str | None = None
    """The media type of ``Content-Type`` (``text/html``), lower case."""
    charset: str | None = None
    """The ``charset`` parameter of ``Content-Type``, lower case, where given."""
    final_url: str | None = None
    """Where the body came from after redirects."""


@functools.cache
def _no_redirect() -> type[urllib.request.HTTPRedirectHandler]:
    """A handler that hands redirects back: :func:`download` follows them itself, counting."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    return NoRedirect


def download(url: str, limits: Limits | None = None) -> Download:
    """The body of ``url`` (``http`` or ``https``), bounded by ``limits``.

    Raises :class:`~gxnianbao.FetchError` (an HTTP error status, too many redirects, a
    timeout, a refused connection) or :class:`~gxnianbao.DocumentTooLargeError` (a body over
    ``limits.max_bytes``), each naming the URL.
    """
    import http.client
    import urllib.error
    import urllib.request

    limits = limits or DEFAULT_LIMITS
    if not is_url(url):
        raise FetchError(url, "not an http:// or https:// URL")
    deadline = time.monotonic() + limits.fetch_timeout
    opener = urllib.request.build_opener(_no_redirect())  # (proxies: from the environment)
    where = url
    for _ in range(limits.max_redirects + 1):
        request = urllib.request.Request(
            where,
            headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "gzip"},
        )
        try:
            response = opener.open(request, timeout=_left(deadline, url, limits))
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.code in _REDIRECTS else None
            exc.close()
            if location is None:
                raise FetchError(
                    url, f"the server answered {exc.code} {exc.reason}", status=exc.code
                ) from None
            where = _redirected(url, where, location)
            continue
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            raise FetchError(url, _why(exc, limits)) from None
        with response:
            data = _body(response, url, limits, deadline)
            headers = response.headers
            return Download(
                url,
                data,
                headers.get_content_type().lower() if headers.get("Content-Type") else None,
                (headers.get_content_charset() or "").lower() or None,
                where,
            )
    raise FetchError(url, f"more than {limits.max_redirects} redirects (limits.max_redirects)")


def _redirected(url: str, where: str, location: str) -> str:
    import urllib.parse

    target = urllib.parse.urljoin(where, location)
    if not is_url(target):
        raise FetchError(url, f"redirected to {target!r}, which is not an http(s) URL")
    return target


def _left(deadline: float, url: str, limits: Limits) -> float:
    """The seconds left before the deadline; past it, the download fails."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(url, _too_slow(limits))
    return left


def _too_slow(limits: Limits) -> str:
    return f"no complete answer within {limits.fetch_timeout:g} s (limits.fetch_timeout)"


def _why(exc: BaseException, limits: Limits) -> str:
    """The reason a connection or a read failed, in words."""
    import urllib.error

    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return _too_slow(limits)
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect: {reason.strerror}"
    return f"cannot download: {reason or type(reason).__name__}"


def _body(response: http.client.HTTPResponse, url: str, limits: Limits, deadline: float) -> bytes:
    """The body, decompressed, refusing more than ``limits.max_bytes`` before reading it all."""
    from http.client import HTTPException

    cap = limits.max_bytes
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > cap and not _encoded(response):
        raise DocumentTooLargeError(
            url,
            f"the server announces {int(length):,} bytes; the limit is {cap:,} (limits.max_bytes)",
        )
    inflate = _inflater(response)
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            _left(deadline, url, limits)
            chunk = response.read1(_CHUNK)  # what has come: read() would wait for it all
            if not chunk:
                break
            if inflate is not None:
                chunk = inflate.decompress(chunk, cap + 1 - size)
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                break
        if inflate is not None and size <= cap:
            chunks.append(inflate.flush())
            size += len(chunks[-1])
    except (OSError, HTTPException, zlib.error) as exc:
        raise FetchError(url, _why(exc, limits)) from None
    if size > cap:
        raise DocumentTooLargeError(url, f"the body has more than {cap:,} bytes (limits.max_bytes)")
    return b"".join(chunks)


def _encoded(response: http.client.HTTPResponse) -> bool:
    return response.headers.get("Content-Encoding", "identity").strip().lower() != "identity"


def _inflater(response: http.client.HTTPResponse) -> zlib._Decompress | None:
    """A decompressor for a gzip or deflate body (a server may send one unasked)."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


@attrs.frozen(slots=True)
class HeaderCharset:
    """What the charset a server names decided: the bytes for the reader and a note."""

    data: bytes
    """The bytes the reader gets: the text as UTF-8 with a BOM where the header decided."""
    encoding: str | None
    """The codec the header named and the bytes were decoded in; None where UTF-8 won."""
    note: Diagnostic


_UTF8_EVIDENCE = 8
"""Non-ASCII characters of a body that is valid UTF-8 beyond which UTF-8 wins over a header
naming another charset: GBK text is valid UTF-8 by chance only when very short (each of its
characters passes with a chance of about 1 in 10), while servers that name gb2312 and send
UTF-8 are common."""


def header_decoded(data: bytes, charset: str) -> HeaderCharset | None:
    """How the charset a ``Content-Type`` header names decodes ``data``, or None when it has
    no say: a byte-order mark, a Western default (ISO-8859-1, …), UTF-8 itself, a codec that
    is unknown or that the bytes do not decode in.  Then the content decides, as for a file.

    Where the header decides, the text is handed on as UTF-8 with a BOM: every decoder of this
    package strips the BOM, so the text (and every span into it) is the decoded page's.  Bytes
    that are valid UTF-8 with more than a few non-ASCII characters are UTF-8 whatever the
    header says (see :data:`_UTF8_EVIDENCE`), with a ``charset-fallback`` note.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    label = charset.strip().strip("\"'").lower()
    if label in _GB:
        label = "gb18030"  # a superset: servers naming gb2312 send GBK characters too
    elif label.startswith(_WESTERN):
        return None
    try:
        codec = codecs.lookup(label).name
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    if codec == "utf-8":
        return None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if len(utf8) - len(_ASCII.findall(utf8)) > _UTF8_EVIDENCE:
            message = f"the server names the charset {codec}, but the bytes are UTF-8; read as such"
            return HeaderCharset(data, None, Diagnostic("charset-fallback", "info", message))
    message = f"the file was decoded as {codec}, the charset its server's Content-Type header names"
    return HeaderCharset(
        codecs.BOM_UTF8 + text.encode("utf-8"), codec, Diagnostic("text-encoding", "info", message)
    )
