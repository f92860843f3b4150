"""Reports read from ``http(s)://`` URLs: a local server on 127.0.0.1, never the internet.

Each test puts pages on a small threaded server (answers, redirects, slow or oversized
bodies) and reads them through ``parse_file``, ``read_document`` or the command line.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.batch.files import collect_files
from gxnianbao.batch.process import process_file
from gxnianbao.read.files import DecodedText, read_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "gxnianbao" / "samples" / "sample-2022.txt").read_bytes()
CMS_PAGE = (Path(__file__).parent / "fixtures" / "html" / "cms_article.html").read_bytes()

Handler = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """Pages by path on a server in a thread; ``url(path)`` is where each is served."""

    def __init__(self) -> None:
        self.pages: dict[str, Handler] = {}
        site = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = site.pages.get(self.path)
                if page is None:
                    self.send_error(404, "Not Found")
                else:
                    page(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def put(self, path: str, body: bytes, content_type: str = "text/plain; charset=utf-8",
            headers: dict[str, str] | None = None) -> str:  # fmt: skip
        """Serve ``body`` at ``path``; the URL."""

        def page(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", content_type)
            for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
                h.send_header(key, value)
            h.end_headers()
            h.wfile.write(body)

        self.pages[path] = page
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    site = Site()
    yield site
    site.close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set in the environment must not carry requests to 127.0.0.1 elsewhere."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


def _tables(report: gxnianbao.Report) -> dict[str, object]:
    return report.to_dict()["tables"]  # type: ignore[no-any-return]


def test_a_report_over_http_reads_as_the_same_bytes_on_disk(site: Site) -> None:
    url = site.put("/reports/2022/nianbao.txt", SAMPLE)
    report = gxnianbao.parse_file(url)
    assert report.to_dict() == gxnianbao.parse_file(SAMPLE).to_dict()
    assert report.applications is not None
    assert report.meta.year == 2022


def test_the_name_is_the_url_as_given_with_its_double_slash(site: Site) -> None:
    url = site.url("/missing//report.txt?id=7")
    with pytest.raises(gxnianbao.FetchError) as caught:
        gxnianbao.parse_file(url)
    assert caught.value.name == url
    assert str(caught.value).startswith(url + ": ")


def test_404_is_a_typed_unreadable_document_naming_url_and_status(site: Site) -> None:
    url = site.url("/no/such/report.html")
    with pytest.raises(gxnianbao.UnreadableDocument) as caught:
        gxnianbao.parse_file(url)
    assert isinstance(caught.value, gxnianbao.FetchError)
    assert caught.value.status == 404
    assert "404" in caught.value.reason


def _redirect(to: str, status: int = 302) -> Handler:
    def page(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return page


def test_redirects_are_followed_up_to_the_limit_and_refused_past_it(site: Site) -> None:
    site.put("/final.txt", SAMPLE)
    for n in range(8):  # /hop/0 -> /hop/1 -> ... -> /hop/7 -> /final.txt (relative Location)
        site.pages[f"/hop/{n}"] = _redirect(f"/hop/{n + 1}" if n < 7 else "../final.txt")
    limits = gxnianbao.Limits(max_redirects=8)
    report = gxnianbao.parse_file(site.url("/hop/0"), limits=limits)
    assert report.to_dict()["tables"] == _tables(gxnianbao.parse_file(SAMPLE))
    with pytest.raises(gxnianbao.FetchError, match=r"more than 7 redirects \(limits\.max"):
        gxnianbao.parse_file(site.url("/hop/0"), limits=gxnianbao.Limits(max_redirects=7))
    site.pages["/loop"] = _redirect("/loop", 301)  # a loop stops at the default limit
    with pytest.raises(gxnianbao.FetchError, match="redirects"):
        gxnianbao.parse_file(site.url("/loop"))


def test_a_redirect_to_another_scheme_is_refused(site: Site) -> None:
    site.pages["/to-file"] = _redirect("file:///etc/passwd")
    with pytest.raises(gxnianbao.FetchError, match="not an http"):
        gxnianbao.parse_file(site.url("/to-file"))


def test_a_body_past_the_size_cap_is_refused_announced_or_not(site: Site) -> None:
    small = gxnianbao.Limits(max_bytes=1000)
    url = site.put("/big.txt", b"x" * 5000)
    with pytest.raises(gxnianbao.DocumentTooLargeError, match="announces 5,000 bytes"):
        gxnianbao.parse_file(url, limits=small)

    def unannounced(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: read to the cap
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.end_headers()
        h.wfile.write(b"y" * 5000)
        h.close_connection = True

    site.pages["/endless.txt"] = unannounced
    with pytest.raises(gxnianbao.DocumentTooLargeError, match=r"more than 1,000 bytes"):
        gxnianbao.parse_file(site.url("/endless.txt"), limits=small)
    # a gzip body is capped at its decompressed size (a compression bomb stops at the cap)
    bomb = gzip.compress(b"z" * 100_000)
    url = site.put("/bomb.txt", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(gxnianbao.DocumentTooLargeError, match=r"more than 1,000 bytes"):
        gxnianbao.parse_file(url, limits=small)


def test_a_gzip_body_is_decompressed(site: Site) -> None:
    url = site.put("/zipped.txt", gzip.compress(SAMPLE), headers={"Content-Encoding": "gzip"})
    assert _tables(gxnianbao.parse_file(url)) == _tables(gxnianbao.parse_file(SAMPLE))


def test_a_slow_server_fails_at_the_timeout(site: Site) -> None:
    def silent(h: BaseHTTPRequestHandler) -> None:  # answers after 3 s
        time.sleep(3)
        with contextlib.suppress(OSError):  # the client has given up
            h.send_error(500)

    def trickle(h: BaseHTTPRequestHandler) -> None:  # a byte every 0.1 s: each wait is short
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", "100")
        h.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(30):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.1)

    site.pages["/silent"] = silent
    site.pages["/trickle"] = trickle
    limits = gxnianbao.Limits(fetch_timeout=0.5)
    for path in ("/silent", "/trickle"):
        start = time.monotonic()
        with pytest.raises(gxnianbao.FetchError, match=r"within 0\.5 s \(limits\.fetch_timeout"):
            gxnianbao.parse_file(site.url(path), limits=limits)
        assert time.monotonic() - start < 2.0, path


def test_a_refused_connection_is_a_fetch_error() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]
    with pytest.raises(gxnianbao.FetchError, match="cannot connect"):
        gxnianbao.parse_file(f"http://127.0.0.1:{port}/report.txt")


def _without_meta(page: bytes) -> str:
    text = page.decode("utf-8")
    assert '<meta charset="UTF-8">' in text
    return text.replace('<meta charset="UTF-8">', "")


def test_a_gbk_page_with_the_charset_only_in_the_header(site: Site) -> None:
    text = _without_meta(CMS_PAGE)
    url = site.put("/gbk/article.html", text.encode("gbk"), "text/html; charset=GBK")
    report = gxnianbao.parse_file(url)
    assert _tables(report) == _tables(gxnianbao.parse_file(CMS_PAGE))
    assert report.meta == gxnianbao.parse_file(CMS_PAGE).meta
    notes = [d.message for d in report.diagnostics if d.code == "text-encoding"]
    assert notes == [
        "the file was decoded as gb18030, the charset its server's Content-Type header names"
    ]


_GBK_TEXT = st.text(st.characters(codec="gbk", exclude_categories=("Cs", "Cc", "Co")), min_size=1)


def _non_ascii(text: str) -> int:
    return sum(1 for c in text if ord(c) > 0x7F)


@given(text=_GBK_TEXT | st.sampled_from(["涓枃", "鍏紑", "涓枃鎶ュ憡"]))
def test_the_header_charset_decides_a_short_text_that_would_pass_for_utf8(
    site: Site, text: str
) -> None:
    """GBK bytes that are valid UTF-8 by chance (``涓枃`` is UTF-8's ``中文``) read as the
    header says while they are short; past a few non-ASCII characters, valid UTF-8 is UTF-8
    (servers naming gb2312 and sending UTF-8 are common, GBK passing for UTF-8 is not)."""
    data = text.encode("gbk")
    assume(data.decode("gb18030") == text)  # the few code points the two tables map apart
    read = read_document(site.put("/prop.txt", data, "text/plain; charset=gb2312"))
    assert isinstance(read, DecodedText)
    try:
        as_utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and _non_ascii(as_utf8) > 8:
        assert read.text == as_utf8
        assert read.diagnostics[0].code == "charset-fallback"
    else:
        assert read.text == text
        assert read.encoding == "gb18030"
        assert read.diagnostics[0].code == "text-encoding"


def test_utf8_served_as_gb2312_reads_as_utf8(site: Site) -> None:
    """Servers that name gb2312 and send UTF-8 are common: UTF-8 bytes that GB18030 also
    decodes (into nonsense: 鏀垮簻淇℃伅…) are read as UTF-8, with a note."""
    text = "政府信息公开工作年度报告"
    assert text.encode().decode("gb18030") != text
    read = read_document(site.put("/mislabelled.txt", text.encode(), "text/plain; charset=gb2312"))
    assert isinstance(read, DecodedText) and read.text == text
    assert [(d.code, d.message) for d in read.diagnostics] == [
        ("charset-fallback", "the server names the charset gb18030, but the bytes are UTF-8; "
         "read as such")
    ]  # fmt: skip
    # a whole page: GB18030 cannot decode it, so the header has no say and the content decides
    url = site.put("/mislabelled.html", CMS_PAGE, "text/html; charset=gb2312")
    report = gxnianbao.parse_file(url)
    assert report.to_dict() == gxnianbao.parse_file(CMS_PAGE).to_dict()


def test_a_header_charset_that_does_not_fit_leaves_the_content_to_decide(site: Site) -> None:
    utf8 = "中文报告".encode()
    for charset in ("iso-8859-1", "no-such-codec", "utf-8"):
        read = read_document(site.put("/x.txt", utf8, f"text/plain; charset={charset}"))
        assert isinstance(read, DecodedText)
        assert read.text == "中文报告", charset
    gbk_but_says_utf8 = site.put("/y.txt", "中文报告".encode("gbk"), "text/plain; charset=utf-8")
    read = read_document(gbk_but_says_utf8)
    assert isinstance(read, DecodedText) and read.text == "中文报告"
    bom = site.put("/z.txt", "\ufeff中文".encode(), "text/plain; charset=gbk")
    read = read_document(bom)
    assert isinstance(read, DecodedText) and read.text == "中文"


def test_a_pdf_is_not_decoded_by_a_header_charset(site: Site) -> None:
    pdf = (Path(__file__).parent / "fixtures" / "pdf" / "basic-small.pdf").read_bytes()
    url = site.put("/a.pdf", pdf, "application/pdf; charset=gbk")
    assert _tables(gxnianbao.parse_file(url)) == _tables(gxnianbao.parse_file(pdf))


def test_the_batch_takes_a_url_as_given(site: Site) -> None:
    url = site.put("/batch//sample.txt", SAMPLE)
    missing = site.url("/batch/missing.txt")
    assert collect_files([url, missing]) == sorted([url, missing])
    (row,) = process_file(url)
    assert row["file"] == url and row["year"] == 2022
    (failed,) = process_file(missing)
    assert failed["file"] == missing and failed["error_type"] == "FetchError"
    assert "404" in str(failed["error_message"])


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["no_proxy"] = "*"
    return subprocess.run(
        [sys.executable, "-m", "gxnianbao", *args],
        capture_output=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_the_command_line_reads_a_url(site: Site, tmp_path: Path) -> None:
    url = site.put(
        "/cli/report.html", _without_meta(CMS_PAGE).encode("gbk"), "text/html; charset=gbk"
    )
    parsed = _run("parse", url)
    assert parsed.returncode == 0, parsed.stderr
    assert b'"year": 2022' in parsed.stdout
    checked = _run("check", url)
    assert checked.returncode in (0, 1), checked.stderr
    assert url.encode() in checked.stdout + checked.stderr
    out = tmp_path / "dataset.csv"
    batched = _run("batch", url, site.url("/cli/gone.txt"), "-o", str(out), "--jobs", "1", "-q")
    assert batched.returncode == 0, batched.stderr
    rows = {row["file"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert rows[url]["year"] == "2022" and rows[url]["status"] != "error"
    assert rows[site.url("/cli/gone.txt")]["error_type"] == "FetchError"
    missing = _run("parse", site.url("/cli//missing.txt"))
    assert missing.returncode == 2
    assert missing.stderr.decode().strip() == (
        f"gxnianbao: {site.url('/cli//missing.txt')}: the server answered 404 Not Found"
    )
