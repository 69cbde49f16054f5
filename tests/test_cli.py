"""The command line: helpful --help, exit code 2 for bad parameters before any kernel starts,
`check` naming file, row and column, `tables` listing the registry."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import write_tables

import relations
from relations.cli import main


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "relations.cli", *args], capture_output=True, text=True, **kw
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--start", "2024-13-01"], "argument --start: start: '2024-13-01' is not a valid ISO date"),
        (["--end", "soon"], "argument --end: end: 'soon' is not a valid ISO date"),
        (
            ["--start", "2025-01-01", "--end", "2024-01-01"],
            "argument --end: end: 2024-01-01 is before start 2025-01-01",
        ),
        (
            ["--domain", "sport"],
            "argument --domain: domains: unknown domain 'sport' (allowed: diplomacy, military, arms",
        ),
        (["--format", "docx"], "argument --format: invalid choice: 'docx'"),
        (["--colour", "red"], "unrecognized arguments: --colour red"),
        (["--title", ""], "argument --title: title: must be 1 to 200 characters"),
    ],
)
def test_bad_parameters_exit_2_naming_the_parameter(tmp_path, capsys, args, needle):
    with pytest.raises(SystemExit) as info:
        main(["brief", "--output-dir", str(tmp_path), *args])
    assert info.value.code == 2
    assert needle in capsys.readouterr().err
    assert not list(tmp_path.iterdir()), "nothing may be written for bad parameters"


@pytest.mark.slow
def test_help_explains_each_option_with_examples():
    out = run("brief", "--help", check=True).stdout
    for option in ("--start", "--end", "--domain", "--title", "--output-dir", "--format"):
        assert option in out
    assert "examples:" in out and "relations brief --start 2022-02-24" in out
    assert "allowed: diplomacy" in out
    top = run("--help", check=True).stdout
    for command in ("brief", "check", "tables", "describe"):
        assert command in top


@pytest.mark.slow
def test_check_command_passes_on_shipped_data():
    out = run("check")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok:")


@pytest.mark.slow
def test_check_command_names_file_row_and_column(tmp_path, tiny_tables):
    tiny_tables["events"][1]["status"] = "rumoured"
    root = write_tables(tmp_path / "bad", tiny_tables)
    out = run("check", "--data-dir", str(root))
    assert out.returncode == 1
    assert "events.csv:3:status: 'rumoured' is not allowed (allowed: confirmed" in out.stderr


@pytest.mark.slow
def test_brief_refuses_invalid_data_before_running(tmp_path, tiny_tables):
    tiny_tables["sources"][0]["url"] = "javascript:alert(1)"
    root = write_tables(tmp_path / "bad", tiny_tables)
    out = run("brief", "--data-dir", str(root), "--output-dir", str(tmp_path / "out"))
    assert out.returncode == 1
    assert "sources.csv:2:url" in out.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_tables_and_describe_commands():
    out = run("tables", check=True).stdout
    for name in relations.tables():
        assert name in out
    described = run("describe", "agreements", check=True).stdout
    assert "mutual_defence" in described
    unknown = run("describe", "nope")
    assert unknown.returncode == 2 and "known tables: sources, events" in unknown.stderr


@pytest.mark.notebooks
def test_brief_command_writes_html_only_when_asked(tmp_path):
    out = run(
        "brief",
        "--start",
        "2025-01-01",
        "--end",
        "2025-03-31",
        "--format",
        "html",
        "--quiet",
        "--output-dir",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "briefing_2025-01-01_2025-03-31.html",
        "briefing_2025-01-01_2025-03-31.manifest.json",
    ]


@pytest.mark.slow
def test_handout_all_keeps_one_index_per_audience(tmp_path, monkeypatch):
    import nbformat

    from relations.handout import build_all, lessons

    monkeypatch.setattr(  # the teacher copy without running kernels: the lesson as it stands
        "relations.render.execute_quietly", lambda path, out, **kw: nbformat.read(path, as_version=4)
    )
    student = build_all(audience="student", fmt="html", output_dir=tmp_path)
    teacher = build_all(audience="teacher", fmt="html", output_dir=tmp_path)
    assert student == tmp_path / "student" / "index.html"
    assert teacher == tmp_path / "teacher" / "index.html"
    assert "(student copies)" in student.read_text() and "(teacher copies)" in teacher.read_text()
    for index in (student, teacher):
        links = [line.split('href="')[1].split('"')[0] for line in index.read_text().split("<li>")[1:]]
        assert len(links) == len(lessons()) and all((index.parent / h).is_file() for h in links)


def test_teacher_handout_checks_the_data_before_running(tmp_path, tiny_tables, monkeypatch, capsys):
    def no_kernel(*a, **k):
        raise AssertionError("no kernel may start for bad data")

    monkeypatch.setattr("relations.render.execute_quietly", no_kernel)
    tiny_tables["events"][1]["status"] = "rumoured"
    root = write_tables(tmp_path / "bad", tiny_tables)
    code = main(["handout", "2", "--teacher", "--data-dir", str(root), "--output-dir", str(tmp_path / "h")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "the data does not pass its checks" in err and "events.csv:3:status" in err
    assert not (tmp_path / "h").exists()


def test_gitignore_keeps_generated_outputs_out_of_git():
    ignored = (relations_root() / ".gitignore").read_text().splitlines()
    assert "briefings/" in ignored and "handouts/" in ignored


def relations_root():
    from conftest import REPO

    return REPO


@pytest.mark.parametrize(
    "command", ["brief", "check", "batch", "verify", "handout", "site", "tables", "describe"]
)
def test_help_fits_an_80_column_terminal(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    wide = [line for line in capsys.readouterr().out.splitlines() if len(line) > 80]
    assert not wide, wide
