"""Hostile input: text from the data can never become active content; parameters and rows with
garbage always give a clean error, never a traceback (property-based, with hypothesis)."""

from __future__ import annotations

import csv
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import write_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relations
from relations.errors import ParameterError
from relations.params import validate_parameters
from relations.paths import data_dir
from relations.render import output_stem, render_briefing

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    "<svg onload=alert('x3')>",
    '"><script>alert("x4")</script>',
    "'><img src=x onerror=alert('x5')>",
    "<a href=\"javascript:alert('x6')\">click</a>",
    "<iframe src=\"javascript:alert('x7')\"></iframe>",
    "<body onload=alert('x8')>",
    "<div style=\"background:url(javascript:alert('x9'))\">",
    "</td></tr></table><script>alert('x10')</script>",
    "</textarea><script>alert('x11')</script>",
    "{{ 7*7 }}{% raw %}x12{% endraw %}",
    "${alert('x13')}",
    "[click](javascript:alert('x14'))",
    "<details open ontoggle=alert('x15')>",
    "<math><mtext><script>alert('x16')</script>",
    "<object data=\"javascript:alert('x17')\">",
    "<embed src=\"javascript:alert('x18')\">",
    "<input autofocus onfocus=alert('x19')>",
    "<style>@import 'http://evil.example/x20.css';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'x21\')">',
    '<base href="http://evil.example/x22/">',
    "<form action=\"javascript:alert('x23')\"><button>x</button></form>",
]
#: http(s) URLs pass the schema; quotes and markup inside them must still be escaped.
URL_PAYLOADS = [
    "https://example.org/\"onmouseover=\"alert('u1')",
    "https://example.org/'><script>alert('u2')</script>",
    "http://example.org/?q=<img/src/onerror=alert('u3')>",
]


def _rewrite(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


#: Every text field that some section shows, in every table, gets payloads.
PLANTED = {
    "claims": ["statement", "preferred_note"],
    "claim_positions": ["statement_summary"],
    "agreements": ["title", "notes", "signed_place"],
    "agreement_provisions": ["summary", "alternative_note"],
    "arms_transfers": ["designation", "description", "notes"],
    "projects": ["name", "notes"],
    "people": ["name"],
    "trade": ["notes", "period"],
    "judgements": ["statement", "would_change_if"],
    "indicators": ["name"],
    "indicator_states": ["note"],
}


@pytest.fixture(scope="module", params=["full", "executive"])
def hostile_briefing(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("hostile")
    copy = root / "data"
    shutil.copytree(data_dir(), copy)
    events = list(csv.DictReader((copy / "events.csv").open(encoding="utf-8")))
    window = [r for r in events if r["date"].startswith("2025-0")]
    for i, r in enumerate(window):
        r["title"] = PAYLOADS[i % len(PAYLOADS)][:120]
        r["summary"] = PAYLOADS[(i + 7) % len(PAYLOADS)]
    _rewrite(copy / "events.csv", events)
    sources = list(csv.DictReader((copy / "sources.csv").open(encoding="utf-8")))
    for i, r in enumerate(sources):
        r["title"] = PAYLOADS[i % len(PAYLOADS)]
        # one publisher per source still: the confirmed rule counts distinct publishers
        r["publisher"] = f"{PAYLOADS[(i + 3) % len(PAYLOADS)]} {i}"
        if i < len(URL_PAYLOADS):
            r["url"] = URL_PAYLOADS[i]
    _rewrite(copy / "sources.csv", sources)
    for table, fields in PLANTED.items():
        rows = list(csv.DictReader((copy / f"{table}.csv").open(encoding="utf-8")))
        for i, r in enumerate(rows):
            for k, field in enumerate(fields):
                r[field] = PAYLOADS[(i + 5 * k) % len(PAYLOADS)][:120]
        _rewrite(copy / f"{table}.csv", rows)
    relations.check(copy)  # the payloads are valid data: only rendering must defuse them
    res = render_briefing(
        {
            "start": "2024-06-01",
            "end": "2025-12-31",
            "title": "<script>alert('t')</script>",
            "data_dir": str(copy),
            "length": request.param,
            "since": "2001-01-01",
        },
        output_dir=root / "out",
    )
    return BeautifulSoup(res.outputs["html"].read_text(encoding="utf-8"), "html.parser")


@pytest.mark.notebooks
def test_no_payload_survives_as_active_content(hostile_briefing):
    soup = hostile_briefing
    assert (
        soup.find_all(
            ["script", "iframe", "object", "embed", "form", "base", "svg", "math", "details", "input"]
        )
        == []
    )
    assert not soup.find_all("meta", attrs={"http-equiv": True})
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), f"event handler {attr} on <{tag.name}>"
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in text.lower(), f"<{tag.name} {attr}={text!r}>"
    for style in soup.find_all("style"):
        assert "evil.example" not in style.get_text()
    for a in soup.find_all("a", href=True):
        if a["href"].startswith("data:"):  # a chart's rows: a CSV download, never a page
            assert a["href"].startswith("data:text/csv;charset=utf-8;base64,") and a.get("download")
            continue
        assert a["href"].startswith(("http://", "https://", "#")), a["href"]


@pytest.mark.notebooks
def test_chart_data_downloads_hold_the_payloads_as_inert_csv(hostile_briefing):
    import base64
    import io

    import pandas as pd

    links = hostile_briefing.select("a[download]")
    assert links
    for a in links:
        text = base64.b64decode(a["href"].split(",", 1)[1]).decode("utf-8")
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        for column in frame.columns:
            assert not frame[column].str.match(r"^[=+@]").any(), (a["download"], column)


@pytest.mark.notebooks
def test_payloads_are_shown_as_text(hostile_briefing):
    text = hostile_briefing.get_text()
    assert "<script>alert('x1')</script>" in text
    assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
    assert hostile_briefing.title.get_text() == "<script>alert('t')</script>"


def test_javascript_urls_are_refused_by_check(tmp_path, tiny_tables):
    tiny_tables["sources"][0]["url"] = "javascript:alert(1)"
    with pytest.raises(relations.DataError, match=r"sources\.csv:2:url: 'javascript:alert\(1\)' is not"):
        relations.check(write_tables(tmp_path / "bad", tiny_tables))


@given(st.text(max_size=60), st.lists(st.text(max_size=12), max_size=4))
@settings(max_examples=60, deadline=None)
def test_output_names_stay_inside_the_output_directory(title, domains):
    stem = output_stem({"start": title, "end": "../../etc/passwd", "domains": domains})
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert stem and set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789_-")


values = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=10), max_size=3),
    st.booleans(),
    st.dates(),
)


@given(
    st.dictionaries(
        st.sampled_from(["start", "end", "domains", "title", "data_dir", "colour", "x"]), values, max_size=5
    )
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parameter_validation_gives_a_clean_error_or_a_clean_result(params):
    try:
        out = validate_parameters(params)
    except ParameterError as exc:
        assert exc.parameter and str(exc).startswith(exc.parameter)
        return
    except FileNotFoundError as exc:  # a random data_dir that does not exist
        assert "datapackage.json" in str(exc)
        return
    assert set(out) == {"start", "end", "domains", "title", "data_dir", "length", "since"}


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
TABLE_COLUMNS = [
    (t, c)
    for t in ("events", "sources", "agreements", "claims", "trade", "people")
    for c in ("date", "status", "source_ids", "url", "signed", "value_usd", "start", "title")
]


@pytest.mark.slow
@given(st.lists(st.tuples(st.sampled_from(TABLE_COLUMNS), cells), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_check_with_generated_bad_rows_never_tracebacks(tmp_path_factory, tiny_tables, edits):
    tables = {k: [dict(r) for r in v] for k, v in tiny_tables.items()}
    for (table, column), value in edits:
        if column in tables[table][0]:
            tables[table][0][column] = value
    root = write_tables(tmp_path_factory.mktemp("gen"), tables)
    try:
        relations.check(root)
    except relations.DataError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.split(":")[0].endswith(".csv"), p
