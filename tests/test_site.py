"""The static course site (``relations site``): the data dictionary page, and the whole site
built by the installed console script (as a user runs it, from another folder), link-checked,
opened offline in Debian's Chromium. The home page's screenshot goes to
test-artifacts/site.png (and to docs/ with RELATIONS_SCREENSHOTS=docs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from markupsafe import escape

import relations
from relations.cli import main
from relations.render import find_chromium
from relations.schema import read_package
from relations.site import data_dictionary

ARTIFACTS = REPO / "test-artifacts"
#: The console script of the environment running the tests (.venv/bin/relations).
RELATIONS = Path(sys.executable).with_name("relations")
LESSONS = sorted((REPO / "notebooks" / "teaching").glob("[0-9][0-9]_*.ipynb"))


def test_data_dictionary_lists_every_field_and_escapes(tiny_data: Path) -> None:
    desc = tiny_data / "datapackage.json"
    pkg = json.loads(desc.read_text(encoding="utf-8"))
    events = next(r for r in pkg["resources"] if r["name"] == "events")
    events["description"] = 'Events <script>alert("x")</script> & more'
    events["schema"]["fields"][0]["description"] = "<b>bold</b>"
    desc.write_text(json.dumps(pkg), encoding="utf-8")

    page = data_dictionary(tiny_data)
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in page
    )
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    package = read_package(tiny_data)
    for name in relations.tables(data_dir=tiny_data):
        table = package.table(name)
        assert f'data-table="{name}"' in page
        assert f'href="data/{Path(table.path).name}"' in page
        for field in table.fields:
            assert f'data-field="{field.name}"' in page
            for value in field.enum or ():
                assert f"<code>{escape(value)}</code>" in page


def test_site_refuses_a_file_as_output_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    assert main(["site", "--output-dir", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--output-dir" in err[0] and "not a folder" in err[0]


def _open_offline(browser, path: Path):
    """Open a local page; record every request and abort any that is not file: or data:."""
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 1100})

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, requests


def _local_target(href: str) -> Path | None:
    """The file a link points to, or None for a link that leaves the site (http, mailto...)."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme != "file":
        return None
    return Path(urllib.request.url2pathname(parts.path))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run(
        [str(RELATIONS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
    )


@pytest.fixture(scope="module")
def cli_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The site built once by ``relations site``, run from another folder into a relative one."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    done = _run("site", "--output-dir", "course site", "--quiet", cwd=elsewhere)
    return elsewhere / "course site", done


def _links(site: Path, page: Path) -> set[str]:
    """What a page links to, as paths relative to the site (no URLs, no #fragments)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    hrefs = [urllib.parse.urlsplit(a["href"]) for a in soup.find_all("a", href=True)]
    targets = [page.parent / urllib.parse.unquote(h.path) for h in hrefs if not h.scheme and h.path]
    return {Path(os.path.relpath(t, site)).as_posix() for t in targets}


@pytest.mark.slow
@pytest.mark.notebooks
def test_site_command_builds_the_course_end_to_end(cli_site) -> None:
    site, done = cli_site
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {Path('course site') / 'index.html'}\n" and done.stderr == "", "--quiet"
    assert (site / "index.html").is_file()
    home = _links(site, site / "index.html")
    missing = sorted(h for h in home if not (site / h).is_file())
    assert not missing, f"the home page links to files that do not exist: {missing}"
    student = sorted(p.relative_to(site).as_posix() for p in (site / "student").iterdir())
    assert len(student) == 2 * len(LESSONS), student  # each lesson's page and its notebook
    assert set(student) <= home, f"lessons not linked from the home page: {sorted(set(student) - home)}"
    assert "teacher.html" in home and "data.html" in home
    teacher = {p.relative_to(site).as_posix() for p in (site / "teacher").glob("*.html")}
    assert len(teacher) == len(LESSONS) and teacher <= _links(site, site / "teacher.html")
    for page in site.rglob("*.html"):  # lesson pages link home, to their notebook, to the teacher area
        broken = sorted(h for h in _links(site, page) if not (site / h).is_file())
        assert not broken, f"{page.relative_to(site)}: broken links {broken}"


@pytest.mark.slow
def test_site_help_explains_the_command(tmp_path: Path) -> None:
    done = _run("site", "--help", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    text = done.stdout
    assert text.startswith("usage: relations site")
    for words in ("--output-dir", "--timeout", "--quiet", "offline", "lesson", "teacher", "briefing"):
        assert words in text, words
    assert "data dictionary" in " ".join(text.split()) and "relations site --output-dir site/" in text
    wide = [line for line in text.splitlines() if len(line) > 80]
    assert not wide, f"lines wider than the 80-column terminal: {wide}"


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.notebooks
@pytest.mark.skipif(find_chromium() is None, reason="Debian's chromium is installed by .ci/run")
def test_site_works_offline(cli_site) -> None:
    from playwright.sync_api import sync_playwright

    from relations.pdf import CHROMIUM_FLAGS

    site, done = cli_site
    assert done.returncode == 0, done.stderr
    index = site / "index.html"
    pages = sorted(site.rglob("*.html"))
    assert len(list((site / "student").glob("*.html"))) == len(LESSONS)
    assert len(list((site / "student").glob("*.ipynb"))) == len(LESSONS)
    assert len(list((site / "teacher").glob("*.html"))) == len(LESSONS)
    assert len(list((site / "briefing").glob("briefing_*.html"))) == 1

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=[*CHROMIUM_FLAGS, "--disable-quic"])
        try:
            page, requests = _open_offline(browser, index)
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "site.png"
            page.screenshot(path=str(shot), full_page=False)
            if os.environ.get("RELATIONS_SCREENSHOTS") == "docs":
                shutil.copy(shot, REPO / "docs" / "site.png")
            home_links = {
                _local_target(h) for h in page.evaluate("Array.from(document.links).map(a => a.href)")
            }
            page.close()
            for html in pages:  # every page of the site is reachable from home (or from the teacher area)
                assert html in home_links or html.parent.name == "teacher", f"not linked from home: {html}"
            for html in pages:
                page, more = _open_offline(browser, html)
                requests += more
                hrefs = page.evaluate("Array.from(document.links).map(a => a.href)")
                for href in hrefs:
                    target = _local_target(href)
                    assert target is None or target.is_file(), f"{html.name}: broken link {href}"
                if html.name == "data.html":
                    package = read_package()
                    for name in relations.tables():
                        section = page.locator(f'section[data-table="{name}"]')
                        assert section.count() == 1, f"data dictionary misses {name}"
                        fields = section.locator("tr.field").evaluate_all(
                            "rows => rows.map(r => r.dataset.field)"
                        )
                        assert fields == package.table(name).field_names
                        csv = section.locator("a[download]").get_attribute("href")
                        assert (site / csv).is_file()
                page.close()
        finally:
            browser.close()
    leaving = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert leaving == [], f"requests leave the machine: {leaving}"
