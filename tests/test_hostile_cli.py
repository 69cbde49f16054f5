"""Ordinary mistakes at the command line end in one clear line, never a traceback (issue 15).

Every subcommand is run with a table of bad inputs: exit code 2 (1 for data that fails its
checks), a message naming the parameter or the file, and never the word "Traceback". A few
cases run as real subprocesses; the rest call :func:`relations.cli.main` in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import run_cli, write_tables
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from relations.cli import main

NOPE = "/nonexistent-relations-dir"


def _no_kernel(*args, **kwargs):
    raise AssertionError("a refused command must not execute a notebook")


cli = run_cli


@pytest.fixture
def hostile(tmp_path, monkeypatch, tiny_tables):
    """A working folder with the hostile files the table below refers to."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("relations.render.execute_quietly", _no_kernel)  # forked workers inherit it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "a-file").write_text("not a folder\n")
    (tmp_path / "work").mkdir()
    write_tables(tmp_path / "good", tiny_tables)
    (tmp_path / "bad.manifest.json").write_text("{not json")
    (tmp_path / "list.manifest.json").write_text("[1, 2]\n")
    (tmp_path / "shape.manifest.json").write_text(json.dumps({"parameters": 5, "data": []}))
    (tmp_path / "latin1.yaml").write_bytes("defaults: {title: 'Tehr\xe1n'}\n".encode("latin-1"))
    (tmp_path / "ok.yaml").write_text("briefings:\n  - {start: 2025-01-01, end: 2025-01-31}\n")
    bad_json = write_tables(tmp_path / "badjson", tiny_tables)
    (bad_json / "datapackage.json").write_text('{"resources": [')
    bad_utf8 = write_tables(tmp_path / "badutf8", tiny_tables)
    events = bad_utf8 / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"First.", b"Caf\xe9 first."))
    return tmp_path


# (id, argv, expected exit code, text the message must contain)
CASES = [
    ("tables-missing-data-dir", ["tables", "--data-dir", NOPE], 2, NOPE),
    ("check-missing-data-dir", ["check", "--data-dir", NOPE], 2, NOPE),
    ("describe-missing-data-dir", ["describe", "events", "--data-dir", NOPE], 2, NOPE),
    ("brief-missing-data-dir", ["brief", "--data-dir", NOPE, "--output-dir", "out"], 2, NOPE),
    ("tables-data-dir-is-a-file", ["tables", "--data-dir", "a-file"], 2, "a-file"),
    ("check-data-dir-is-a-file", ["check", "--data-dir", "a-file"], 2, "a-file"),
    ("describe-unknown-table", ["describe", "nope"], 2, "unknown table 'nope'"),
    ("handout-bad-lesson", ["handout", "99", "--student"], 2, "unknown lesson '99'"),
    ("handout-no-lesson", ["handout", "--student"], 2, "give a LESSON or --all"),
    ("verify-empty", ["verify", ""], 2, "no briefing given"),
    ("verify-missing", ["verify", "gone.html"], 2, "gone.manifest.json"),
    ("verify-bad-json", ["verify", "bad.manifest.json"], 2, "bad.manifest.json"),
    ("verify-list-manifest", ["verify", "list.manifest.json"], 2, "list.manifest.json"),
    ("batch-latin1-spec", ["batch", "latin1.yaml"], 2, "latin1.yaml"),
    ("batch-missing-spec", ["batch", "missing.yaml"], 2, "missing.yaml"),
    ("batch-spec-is-a-folder", ["batch", "."], 2, "is a folder"),
    ("batch-output-dir-is-a-file", ["batch", "ok.yaml", "--output-dir", "a-file"], 2, "--output-dir"),
    ("batch-jobs-0", ["batch", "ok.yaml", "--jobs", "0"], 2, "--jobs: must be"),
    ("batch-jobs-negative", ["batch", "ok.yaml", "--jobs", "-3"], 2, "--jobs: must be"),
    ("batch-timeout-0", ["batch", "ok.yaml", "--timeout", "0"], 2, "--timeout: must be"),
    ("brief-output-dir-is-a-file", ["brief", "--output-dir", "a-file"], 2, "--output-dir"),
    ("brief-bad-date", ["brief", "--start", "2024-02-30", "--output-dir", "out"], 2, "--start"),
    ("brief-unknown-domain", ["brief", "--domain", "sport", "--output-dir", "out"], 2, "--domain"),
    ("brief-timeout-0", ["brief", "--timeout", "0", "--output-dir", "out"], 2, "--timeout: must be"),
    ("brief-timeout-word", ["brief", "--timeout", "soon", "--output-dir", "out"], 2, "--timeout"),
    ("handout-output-dir-is-a-file", ["handout", "2", "--student", "--output-dir", "a-file"], 2, "a-file"),
    ("handout-teacher-no-data", ["handout", "2", "--teacher", "--data-dir", NOPE], 2, f"handout: {NOPE}"),
    ("handout-teacher-timeout-0", ["handout", "2", "--teacher", "--timeout", "0"], 2, "--timeout: must be"),
    ("check-bad-datapackage-json", ["check", "--data-dir", "badjson"], 1, "datapackage.json"),
    ("check-bad-utf8", ["check", "--data-dir", "badutf8"], 1, "events.csv"),
    ("tables-bad-utf8", ["tables", "--data-dir", "badutf8"], 1, "events.csv"),
]


@pytest.mark.parametrize(("argv", "code", "needle"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_ordinary_mistakes_end_in_one_clear_line(hostile, capsys, argv, code, needle):
    got, _, err = cli(argv, capsys)
    assert "Traceback" not in err
    assert got == code, err
    assert needle in err, err
    assert len(err.strip().splitlines()) <= 8, err
    assert not (hostile / "out").exists(), "nothing may be written for a refused command"


def test_relations_data_pointing_nowhere_is_named(hostile, capsys, monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", NOPE)
    for argv in (["tables"], ["check"], ["describe", "events"], ["brief", "--output-dir", "out"]):
        code, _, err = cli(argv, capsys)
        assert code == 2 and "RELATIONS_DATA" in err and NOPE in err and "Traceback" not in err, argv


def test_wrong_shape_manifest_is_refused_clearly(hostile, capsys):
    code, _, err = cli(["verify", "shape.manifest.json"], capsys)
    assert "Traceback" not in err
    assert code == 2 and "shape.manifest.json" in err, err


def test_ctrl_c_is_one_line_and_exit_130(hostile, capsys, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("relations.loaders.tables", interrupted)
    code, _, err = cli(["tables"], capsys)
    assert code == 130
    assert err.strip() == "relations tables: interrupted"


def test_a_genuine_bug_is_one_line_with_a_pointer_to_the_traceback(hostile, capsys, monkeypatch):
    def buggy(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("relations.loaders.tables", buggy)
    monkeypatch.delenv("RELATIONS_DEBUG", raising=False)
    code, _, err = cli(["tables"], capsys)
    assert code == 1
    assert err.splitlines() == [
        "relations tables: unexpected error: ZeroDivisionError: division by zero",
        "(run with RELATIONS_DEBUG=1 for the traceback)",
    ]
    monkeypatch.setenv("RELATIONS_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["tables"])


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "relations.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["tables", "--data-dir", NOPE], {}, NOPE),
        (["describe", "events"], {"RELATIONS_DATA": NOPE}, "RELATIONS_DATA"),
        (["verify", "bad.manifest.json"], {}, "bad.manifest.json"),
        (["batch", "latin1.yaml"], {}, "latin1.yaml"),
        (["brief", "--output-dir", "a-file"], {}, "--output-dir"),
    ],
    ids=["tables", "describe-env", "verify", "batch", "brief"],
)
def test_real_subprocess_exits_2_without_traceback(hostile, args, env, needle):
    out = run(*args, cwd=hostile, env=env)
    assert out.returncode == 2, out.stderr
    assert needle in out.stderr and "Traceback" not in out.stderr


# -- generated argument lists --------------------------------------------------------

# "@name" is a file or folder made by the `hostile` fixture (an absolute path once drawn)
DATES = ["2024-01-01", "2025-03-31", "2024-02-30", "24/01/2024", "", "1979-01-01"]
DIRS = ["out", "@a-file", "@good", "@badjson", "@badutf8", NOPE, "", "é"]
NUMBERS = ["0", "-1", "3", "1e9", "many"]
OPTIONS: dict[str, dict[str, list[str] | None]] = {
    "brief": {
        "--start": DATES,
        "--end": DATES,
        "--domain": ["arms", "energy", "sport", "ARMS", ""],
        "--title": ["T", "", "x" * 250, "<b>"],
        "--format": ["html", "ipynb", "pdf", "docx"],
        "--output-dir": DIRS,
        "--data-dir": DIRS,
        "--timeout": NUMBERS,
        "--quiet": None,
    },
    "batch": {
        "--jobs": NUMBERS,
        "--output-dir": DIRS,
        "--force": None,
        "--max-briefings": NUMBERS,
        "--timeout": NUMBERS,
        "--quiet": None,
    },
    "verify": {},
    "check": {"--data-dir": DIRS},
    "tables": {"--data-dir": DIRS},
    "describe": {"--data-dir": DIRS},
    "handout": {
        "--student": None,
        "--teacher": None,
        "--all": None,
        "--format": ["html", "ipynb", "pdf"],
        "--output-dir": DIRS,
        "--data-dir": DIRS,
        "--timeout": NUMBERS,
    },
}
POSITIONAL = {
    "batch": ["@ok.yaml", "@latin1.yaml", "@missing.yaml", "@", ""],
    "verify": ["@bad.manifest.json", "@list.manifest.json", "@shape.manifest.json", "@gone.html", ""],
    "describe": ["events", "nope", ""],
    "handout": ["2", "02_is_it_an_alliance", "9", "0", ""],
}
STRAY = ["--", "-", "-x", "--help-me", "é"]


@st.composite
def command_lines(draw) -> list[str]:
    """A subcommand, maybe a positional, options with values from its alphabet, maybe a stray token."""
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command]
    if command in POSITIONAL and draw(st.integers(0, 4)):
        argv.append(draw(st.sampled_from(POSITIONAL[command])))
    for option in draw(st.lists(st.sampled_from(sorted(OPTIONS[command]) or ["--help"]), max_size=4)):
        argv.append(option)
        if OPTIONS[command].get(option):
            argv.append(draw(st.sampled_from(OPTIONS[command][option])))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(st.sampled_from(STRAY)))
    return argv


def _no_run(*args, **kwargs):
    raise RuntimeError("property tests execute no notebook")


@pytest.mark.slow
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_generated_command_lines_never_show_a_traceback(hostile, capsys, monkeypatch, argv):
    monkeypatch.setattr("relations.render.execute_quietly", _no_run)
    argv = [f"{hostile}/{a[1:]}" if a.startswith("@") else a for a in argv]
    before = _outside(hostile)
    work = Path(tempfile.mkdtemp(dir=hostile / "work"))
    monkeypatch.chdir(work)
    try:
        code, _, err = cli(argv, capsys)
    finally:
        monkeypatch.chdir(hostile)
    event(f"{argv[0]} exit {code}")
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 12, err
    # a folder named by --output-dir is the user's choice: writing there is no escape
    named = [Path(argv[i + 1]) for i, a in enumerate(argv[:-1]) if a == "--output-dir"]
    named = [str(p if p.is_absolute() else work / p) for p in named]

    def unnamed(files: dict[str, int]) -> dict[str, int]:
        return {f: n for f, n in files.items() if not any(f.startswith(d + os.sep) for d in named)}

    assert unnamed(_outside(hostile)) == unnamed(before), "written outside the working folder"


def _outside(root: Path) -> dict[str, int]:
    """Files (with sizes) in the repository's data and notebooks and in ``root`` but not in work/."""
    from conftest import REPO

    seen = {}
    for base in (REPO / "data", REPO / "notebooks", root):
        for path in base.rglob("*"):
            if (
                path.is_file()
                and "work" not in path.relative_to(base).parts[:1]
                and "cache" not in path.parts
            ):
                seen[str(path)] = path.stat().st_size
    return seen


@pytest.mark.parametrize(
    ("argv", "prog", "needle"),
    [
        (["brief", "--start", "2025-13-01"], "relations brief", "--start"),
        (["brief", "--format", "docx"], "relations brief", "'docx'"),
        (["batch"], "relations batch", "SPEC"),
        (["brief", "--bogus"], "relations brief", "--bogus"),
        (["nosuch"], "relations", "'nosuch'"),
    ],
)
def test_a_usage_error_is_one_line_pointing_to_help(argv, prog, needle, capsys):
    code, out, err = cli(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err  # no usage block above the message
    assert err.startswith(f"{prog}: error: ") and needle in err
    assert err.rstrip().endswith(f"(see '{prog} --help')")


def test_a_bad_relations_data_is_named_as_the_environment_variable_not_an_option(
    hostile, capsys, monkeypatch
):
    monkeypatch.setenv("RELATIONS_DATA", NOPE)
    code, _out, err = cli(["brief", "--quiet"], capsys)
    assert code == 2
    assert "RELATIONS_DATA" in err and NOPE in err
    assert "--data-dir" not in err.split("(see")[0]  # the user gave no --data-dir


@pytest.mark.parametrize("command", [["tables"], ["describe", "events"]])
def test_listing_data_that_fails_its_checks_says_so_and_exits_1(hostile, capsys, command):
    bad = hostile / "good"
    events = bad / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace(",confirmed,", ",rumoured,", 1), encoding="utf-8"
    )
    code, out, err = cli([*command, "--data-dir", str(bad)], capsys)
    assert code == 1
    assert out.strip()  # the listing is still shown
    assert err.count("\n") == 1, err
    assert f"{bad} does not pass its checks (1 problem)" in err
    assert f"relations check --data-dir {bad}" in err


@pytest.mark.parametrize("command", [["tables"], ["describe", "events"]])
def test_listing_sound_data_exits_0_without_a_warning(hostile, capsys, command):
    code, out, err = cli([*command, "--data-dir", str(hostile / "good")], capsys)
    assert (code, err) == (0, "")
    assert out.strip()


@pytest.mark.slow
@pytest.mark.parametrize("command", [["tables"], ["describe", "events"]])
def test_a_closed_pipe_does_not_hide_the_verdict_on_bad_data(hostile, command):
    bad = hostile / "good"
    events = bad / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace(",confirmed,", ",rumoured,", 1), encoding="utf-8"
    )
    pipeline = f"{sys.executable} -m relations.cli {' '.join(command)} --data-dir {bad} | head -1 >/dev/null"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_describe_of_a_table_that_does_not_load_is_a_data_failure(hostile, capsys):
    bad = hostile / "good"
    (bad / "events.csv").unlink()
    code, _out, err = cli(["describe", "events", "--data-dir", str(bad)], capsys)
    assert code == 1 and "events.csv" in err


@pytest.mark.parametrize("command", [["tables"], ["check"], ["describe", "events"], ["brief"]])
def test_an_unknown_option_is_named_by_its_subcommand(command, capsys):
    code, _out, err = cli([*command, "--bogus"], capsys)
    assert code == 2
    assert err.startswith(f"relations {command[0]}: error: unrecognized arguments: --bogus")
    assert err.rstrip().endswith(f"(see 'relations {command[0]} --help')")


@pytest.mark.parametrize("folder", [".", "/", "work"])
def test_verify_of_a_folder_is_one_line_naming_what_it_wants(hostile, capsys, folder):
    code, _out, err = cli(["verify", folder], capsys)
    assert code == 2, err
    assert err.count("\n") == 1 and "is a folder" in err and ".manifest.json" in err
