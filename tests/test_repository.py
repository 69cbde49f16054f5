"""House rules of the repository: ruff clean, the README's test command is what CI runs."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:bash|sh)\n(.+?)\n```", quick, flags=re.S)


def test_readme_quick_start_has_exactly_two_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands), "each quick-start command is one line"
    assert "relations brief" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci


def test_ruff_clean():
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "relations", "tests", "docs", "benchmarks", "notebooks"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_readme_figures_match_the_data():
    """The README's description of the record is kept true: counts and the date range."""
    import relations

    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"the record holds (\d+) events from (\w+ \d{4}) to (\w+ \d{4})", text)
    assert said, "README sentence 'the record holds N events from Month YYYY to Month YYYY' missing"
    events = relations.load("events")
    assert int(said.group(1)) == len(events)
    assert said.group(2) == events["date"].min().strftime("%B %Y")
    assert said.group(3) == events["date"].max().strftime("%B %Y")
    for n, table in re.findall(r"(\d+) (agreements|arms transfers|trade figures|projects)\b", text):
        assert int(n) == len(relations.load(table.replace(" figures", "").replace(" ", "_"))), table
