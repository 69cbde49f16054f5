"""Batch specs that are wrong are refused before anything runs; a batch stops cleanly on
Ctrl-C or SIGTERM and reports what it finished; exit codes and --force (issues 9 and 10)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from conftest import run_cli
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from relations.batch import SpecError, load_spec, prepare_spec, run_batch
from relations.batch_spec import MAX_NODES
from relations.params import briefing_notebook


def _no_kernel(*args, **kwargs):
    raise AssertionError("a refused spec must not execute a notebook")


@pytest.fixture
def no_kernel(monkeypatch):
    monkeypatch.setattr("relations.render.execute_quietly", _no_kernel)


def spec_file(tmp_path: Path, text: str | bytes, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refused(spec, tmp_path: Path, match: str, **kw) -> None:
    """run_batch refuses ``spec`` with a SpecError matching ``match`` and writes nothing."""
    out = tmp_path / "out"
    with pytest.raises(SpecError, match=match):
        run_batch(spec, output_dir=out, jobs=1, progress=False, **kw)
    assert not out.exists(), "a refused spec writes nothing"


WINDOW = {"start": "2025-01-01", "end": "2025-01-31"}


def test_two_sets_writing_the_same_file_are_refused(tmp_path, no_kernel):
    spec = {"briefings": [{**WINDOW, "title": "One"}, {**WINDOW, "title": "Two"}]}
    refused(spec, tmp_path, r"briefings\[1\]: writes briefing_2025-01-01_2025-01-31 like briefings\[0\]")
    grid = {
        "briefings": [{"start": "2025-01-01", "end": "2025-03-31", "domains": ["arms"]}],
        "grid": {"periods": {"quarters": ["2025Q1", "2025Q1"]}, "domains": [["arms"]]},
    }
    refused(grid, tmp_path, r"grid \(2025Q1, arms\): writes briefing_2025-01-01_2025-03-31_arms like")


def test_the_same_domains_in_another_order_are_the_same_briefing(tmp_path, no_kernel):
    spec = {
        "briefings": [
            {**WINDOW, "domains": ["arms", "military"]},
            {**WINDOW, "domains": ["military", "arms", "arms"]},
        ]
    }
    refused(
        spec,
        tmp_path,
        r"briefings\[1\]: writes briefing_2025-01-01_2025-01-31_military-arms like briefings\[0\]",
    )


@pytest.mark.slow
def test_a_grid_above_500_briefings_needs_max_briefings(tmp_path, no_kernel):
    # 2001Q2-2026Q2 lies inside the record: 101 quarters
    groups = [["arms"], ["energy"], ["legal"], []]
    spec = {"grid": {"periods": {"quarters": ["2001Q2", "2026Q2"]}, "domains": groups}}
    refused(spec, tmp_path, r"asks for 404 briefings \(limit 400; raise it", max_briefings=400)
    spec["grid"]["domains"].append(["trade"])
    refused(spec, tmp_path, r"the spec asks for 505 briefings \(limit 500; raise it with --max-briefings\)")
    sets, _ = prepare_spec(spec, max_briefings=600)
    assert len(sets) == 505


@pytest.mark.slow
def test_yaml_alias_bombs_and_deep_nesting_are_refused_quickly(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    lines.append("briefings: *a9")
    bomb = spec_file(tmp_path, "\n".join(lines) + "\n", "bomb.yaml")
    t0 = time.perf_counter()
    with pytest.raises(SpecError, match=rf"bomb.yaml: too many values \(more than {MAX_NODES}\)"):
        load_spec(bomb)
    assert time.perf_counter() - t0 < 5
    deep = spec_file(tmp_path, "briefings: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")
    with pytest.raises(SpecError, match=r"deep.yaml: nested too deeply"):
        load_spec(deep)
    huge = spec_file(tmp_path, "defaults: {title: " + "x" * 20_000 + "}\n", "huge.yaml")
    with pytest.raises(SpecError, match=r"huge.yaml: defaults.title: a string of 20000 characters \(limit"):
        load_spec(huge)
    big = spec_file(tmp_path, "# " + "x" * 2_000_000 + "\n", "big.yaml")
    with pytest.raises(SpecError, match=r"big.yaml: the file is 2000003 bytes \(limit 1000000\)"):
        load_spec(big)


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({"formats": "html", "briefings": [WINDOW]}, r"formats: expected a list such as \[html, ipynb\]"),
        (
            {"grid": {"periods": {"years": [2024, 2024]}, "domains": "arms"}},
            r"grid.domains: expected a list of domain groups such as \[\[arms, military\], \[\]\]",
        ),
        ({"briefings": [{**WINDOW, "domains": "arms"}]}, r"briefings\[0\].domains: expected a list such as"),
        ({"defaults": {"domains": "arms"}, "briefings": [WINDOW]}, r"defaults.domains: expected a list"),
        ({"defaults": ["start"], "briefings": [WINDOW]}, r"defaults: expected a mapping"),
        ({"briefings": WINDOW}, r"briefings: expected a list of parameter sets"),
        ({"grid": ["2024Q1"]}, r"grid: expected a mapping with periods"),
        ({"output_dir": 5, "briefings": [WINDOW]}, r"output_dir: expected a folder name"),
        ({"grid": {"periods": {"years": [2024, 2024]}, "colour": 1}}, r"grid.colour: unknown key"),
    ],
    ids=[
        "formats",
        "grid-domains",
        "briefing-domains",
        "default-domains",
        "defaults",
        "briefings",
        "grid",
        "output-dir",
        "grid-key",
    ],
)
def test_a_string_where_a_list_belongs_is_refused_naming_the_key(tmp_path, no_kernel, spec, match):
    refused(spec, tmp_path, match)


def test_yaml_dates_in_defaults_are_dates(tmp_path, no_kernel):
    path = spec_file(tmp_path, "defaults: {start: 2025-01-01, end: 2025-01-31}\nbriefings:\n  - {title: X}\n")
    sets, _ = prepare_spec(load_spec(path))
    assert (sets[0]["start"], sets[0]["end"], sets[0]["title"]) == ("2025-01-01", "2025-01-31", "X")


def test_unreadable_specs_name_the_file(tmp_path):
    latin = spec_file(tmp_path, "defaults: {title: 'Tehr\xe1n'}\n".encode("latin-1"), "latin.yaml")
    with pytest.raises(SpecError, match=r"latin.yaml: not UTF-8 text \(byte 0xe1 at position 23\)"):
        load_spec(latin)
    with pytest.raises(SpecError, match=r"gone.yaml: no such file"):
        load_spec(tmp_path / "gone.yaml")
    with pytest.raises(SpecError, match=r": is a folder, not a spec file"):
        load_spec(tmp_path)
    bad = spec_file(tmp_path, "briefings: [\n", "bad.yaml")
    with pytest.raises(SpecError, match=r"bad.yaml: not valid YAML"):
        load_spec(bad)


def test_a_missing_data_dir_in_the_spec_is_named(tmp_path, no_kernel):
    spec = {"briefings": [{**WINDOW, "data_dir": str(tmp_path / "nowhere")}]}
    with pytest.raises(SpecError) as info:
        run_batch(spec, output_dir=tmp_path / "out", jobs=1, progress=False)
    message = str(info.value)
    assert "data_dir: " in message and "nowhere" in message and "briefings[0]" in message, message
    assert not (tmp_path / "out").exists()


def test_batch_command_refuses_bad_jobs_and_bad_specs(tmp_path, capsys, no_kernel):
    ok = spec_file(tmp_path, "briefings:\n  - {start: 2025-01-01, end: 2025-01-31}\n")
    for jobs in ("0", "-2", "many"):
        argv = ["batch", str(ok), "--jobs", jobs, "--output-dir", str(tmp_path / "o")]
        code, _, err = run_cli(argv, capsys)
        assert code == 2 and "argument --jobs: must be a whole number above 0" in err
    big = spec_file(tmp_path, "grid: {periods: {quarters: [1900Q1, 2026Q4]}}\n", "big.yaml")
    code, _, err = run_cli(["batch", str(big), "--output-dir", str(tmp_path / "o")], capsys)
    assert code == 2 and "508 briefings (limit 500; raise it with --max-briefings)" in err
    assert not (tmp_path / "o").exists()


# -- runs real notebooks ---------------------------------------------------------------


def _failing_notebook(tmp_path: Path) -> Path:
    bad = tmp_path / "nb" / "briefing.ipynb"
    bad.parent.mkdir()
    nb = nbformat.read(briefing_notebook(), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("if start > '2025-02-01': raise RuntimeError('late')"))
    nbformat.write(nb, bad)
    return bad


@pytest.mark.notebooks
def test_exit_codes_and_force(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    spec = spec_file(tmp_path, "briefings:\n  - {start: 2025-01-01, end: 2025-01-31}\n")
    argv = ["batch", str(spec), "--output-dir", str(out), "--quiet", "--jobs", "1"]
    code, stdout, err = run_cli(argv, capsys)
    assert code == 0, err
    assert "1 done, 0 cached, 0 failed" in stdout
    html = out / "briefing_2025-01-01_2025-01-31.html"
    first = html.stat().st_mtime_ns
    code, stdout, _ = run_cli(argv, capsys)
    assert code == 0 and "0 done, 1 cached, 0 failed" in stdout
    assert html.stat().st_mtime_ns == first, "a cached briefing is not written again"
    code, stdout, _ = run_cli([*argv, "--force"], capsys)
    assert code == 0 and "1 done, 0 cached, 0 failed" in stdout
    assert html.stat().st_mtime_ns > first, "--force renders again"
    bad = _failing_notebook(tmp_path)
    monkeypatch.setattr("relations.params.briefing_notebook", lambda: bad)
    monkeypatch.setattr("relations.render.briefing_notebook", lambda: bad)
    spec2 = spec_file(tmp_path, "briefings:\n  - {start: 2025-03-01, end: 2025-03-31}\n", "late.yaml")
    code, stdout, _ = run_cli(["batch", str(spec2), "--output-dir", str(out), "--quiet"], capsys)
    assert code == 1 and "0 done, 0 cached, 1 failed" in stdout


def _stat(pid: str) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return [raw[: raw.index("(")].strip(), "comm", *raw[raw.rindex(")") + 2 :].split()]


def _alive(session: int, marker: str) -> list[str]:
    """Processes (not zombies) in ``session`` or carrying ``marker`` in their environment."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        fields = _stat(pid)
        if fields is None or fields[2] == "Z":
            continue
        in_session = int(fields[5]) == session
        try:
            marked = marker.encode() in Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            marked = False
        if in_session or marked:
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
            except OSError:
                cmd = "?"
            found.append(f"{pid}: {cmd}")
    return found


def _kernels(marker: str) -> int:
    return sum("ipykernel" in p for p in _alive(-1, marker))


@pytest.mark.notebooks
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["INT", "TERM", "HUP"],
)
def test_a_signal_stops_the_batch_cleanly(tmp_path, sig, code):
    spec = spec_file(
        tmp_path,
        "grid:\n  periods: {quarters: [2024Q1, 2024Q3]}\n  domains: [[arms], []]\n",
    )
    out = tmp_path / "out"
    marker = f"RELATIONS_TEST_MARKER={uuid.uuid4().hex}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "relations.cli", "batch", str(spec), "--jobs", "2", "--output-dir", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 90
        while _kernels(marker) == 0:
            assert proc.poll() is None, proc.communicate()
            assert time.time() < deadline, "no kernel started"
            time.sleep(0.1)
        time.sleep(0.5)
        sent = time.perf_counter()
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=10)
        took = time.perf_counter() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == code, stderr
    assert took < 5, f"took {took:.1f} s to stop"
    assert "Traceback" not in stderr, stderr
    assert "interrupted" in stderr and "cancelled" in stderr
    time.sleep(0.2)
    assert _alive(proc.pid, marker) == []
    index = (out / "index.html").read_text()
    assert "cancelled" in index
    assert not list(out.glob(".*")), "temporary files are removed"
    statuses = [line.split()[0] for line in stdout.splitlines()[1:-1]]
    assert len(statuses) == 6 and "cancelled" in statuses and set(statuses) <= {"done", "cancelled"}


# -- generated specs and manifests -------------------------------------------------------

SCALARS = st.one_of(
    st.sampled_from(
        ["2024Q1", "2025Q4", "2024", "arms", "energy", "sport", "html", "pdf", "", "out", "é", "x" * 300]
    ),
    st.integers(-3, 2030),
    st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.none(),
    st.booleans(),
)
KEYS = st.sampled_from(
    [
        "output_dir",
        "formats",
        "defaults",
        "briefings",
        "grid",
        "periods",
        "quarters",
        "years",
        "domains",
        "title",
        "start",
        "end",
        "data_dir",
        "colour",
    ]
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)
SPECS = st.one_of(
    st.dictionaries(KEYS, VALUES, max_size=4),
    st.fixed_dictionaries(
        {
            "grid": st.fixed_dictionaries(
                {"periods": st.dictionaries(st.sampled_from(["quarters", "years"]), VALUES, max_size=2)},
                optional={"domains": VALUES, "title": SCALARS},
            )
        },
        optional={"formats": VALUES, "defaults": VALUES},
    ),
    VALUES,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=SPECS)
def test_generated_specs_are_run_or_refused_in_one_line(tmp_path, capsys, monkeypatch, spec):
    import yaml

    monkeypatch.setattr("relations.render.execute_quietly", _no_kernel)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    path = spec_file(work, yaml.safe_dump(spec, allow_unicode=True))
    argv = ["batch", str(path), "--output-dir", str(work / "out"), "--quiet", "--jobs", "2"]
    code, _, err = run_cli(argv, capsys)
    event(f"exit {code}")
    assert code in (1, 2), err  # every notebook run fails here, so 0 is impossible
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 4, err
    if code == 2:
        assert not (work / "out").exists(), "a refused spec writes nothing"


MANIFEST_KEYS = st.sampled_from(
    [
        "briefing",
        "parameters",
        "data",
        "outputs",
        "formats",
        "data_dir",
        "notebook_sha256",
        "inputs_key",
        "relations_version",
        "start",
        "end",
        "file",
        "sha256",
    ]
)
MANIFESTS = st.recursive(
    st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans(), st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(MANIFEST_KEYS, inner, max_size=5),
    max_leaves=15,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=MANIFESTS)
def test_generated_manifests_are_verified_or_refused_in_one_line(tmp_path, capsys, monkeypatch, manifest):
    monkeypatch.setattr("relations.render.execute_quietly", _no_kernel)
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    path = work / "briefing_x.manifest.json"
    path.write_text(json.dumps(manifest))
    code, _, err = run_cli(["verify", str(path)], capsys)
    event(f"exit {code}")
    assert code in (1, 2), err
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert len(err.strip().splitlines()) <= 4, err
    assert sorted(p.name for p in work.iterdir()) == ["briefing_x.manifest.json"]


def test_domains_are_put_in_the_vocabulary_order_once_each():
    from relations.params import domains, validate_parameters

    order = domains()
    got = validate_parameters({"domains": ["Arms", "military", "arms", "energy"]})["domains"]
    assert got == sorted({"arms", "military", "energy"}, key=order.index)


@pytest.mark.notebooks
def test_a_batch_killed_outright_takes_its_workers_and_kernels_along(tmp_path):
    """SIGKILL cannot be caught: the workers notice their parent is gone (PR_SET_PDEATHSIG) and
    their kernels follow (ipykernel watches its parent); nothing may keep running."""
    spec = spec_file(tmp_path, "grid:\n  periods: {quarters: [2024Q1, 2024Q4]}\n")
    marker = f"RELATIONS_TEST_MARKER={uuid.uuid4().hex}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "relations.cli", "batch", str(spec), "--jobs", "2", "--quiet",
         "--output-dir", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 90
        while _kernels(marker) < 2:
            assert proc.poll() is None and time.time() < deadline, "no kernels started"
            time.sleep(0.1)
        proc.kill()
        proc.wait()
        deadline = time.time() + 15
        while _alive(-1, marker) and time.time() < deadline:
            time.sleep(0.2)
        assert _alive(-1, marker) == []
    finally:
        for line in _alive(-1, marker):
            os.kill(int(line.split(":")[0]), signal.SIGKILL)


@pytest.mark.notebooks
def test_a_worker_killed_mid_briefing_leaves_no_staging_folder(tmp_path):
    spec = spec_file(tmp_path, "briefings:\n  - {start: 2022-01-01, end: 2024-12-31, length: full}\n")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "relations.cli", "batch", str(spec), "--jobs", "1", "--quiet",
         "--output-dir", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 120
        while not list(out.glob(".*.tmp")):
            assert proc.poll() is None and time.time() < deadline, "the briefing never started"
            time.sleep(0.1)
        workers = [
            int(p) for p in os.listdir("/proc")
            if p.isdigit() and (_stat(p) or [0, 0, 0, "0"])[3] == str(proc.pid)
        ]  # fmt: skip
        assert workers, "no worker process"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 1 and "died" in (out / "index.html").read_text()
    assert not list(out.glob(".*")), "the dead worker's staging folder is removed"
