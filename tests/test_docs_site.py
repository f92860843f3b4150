"""The MkDocs site builds with ``--strict``: every page is in the nav, every link and anchor
resolves (mkdocs.yml turns each of those checks into a warning, and strict fails on one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

pytest.importorskip("mkdocs", reason="mkdocs is in the docs extra: pip install 'gxnianbao[docs]'")
yaml = pytest.importorskip("yaml", reason="PyYAML comes with mkdocs")


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def test_nav_lists_every_page_once() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = _nav_pages(config["nav"])
    assert sorted(pages) == sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert pages[0] == "index.md"
    assert config["strict"] is True


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True, encoding="utf-8", check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    built = sorted(p.relative_to(site).as_posix() for p in site.glob("*/index.html"))
    expected = sorted(
        f"{p.stem}/index.html" for p in (ROOT / "docs").glob("*.md") if p.stem != "index"
    )
    assert built == expected
    assert (site / "index.html").is_file()
