"""Bugs a hostile review found after the hardening pass; each test failed before its fix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from relations.batch_spec import SpecError, load_spec, prepare_spec
from relations.errors import ParameterError
from relations.params import validate_parameters


@pytest.mark.parametrize("value", ["2026-13-01", "2024-02-30"])
def test_an_impossible_yaml_date_in_a_spec_is_a_spec_error(tmp_path, value):
    spec = tmp_path / "s.yaml"
    spec.write_text(f"briefings:\n  - {{start: 2024-01-01, since: {value}}}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=str(spec.name)):
        load_spec(spec)


def test_a_batch_window_after_the_record_is_refused_before_anything_runs():
    with pytest.raises(SpecError, match="after the newest event"):
        prepare_spec({"briefings": [{"start": "2024-01-01", "end": "2024-03-31"}, {"start": "2027-01-01"}]})


@pytest.mark.parametrize("name", ["start", "end"])
def test_dates_beyond_what_the_record_can_mean_are_refused(name):
    with pytest.raises(ParameterError, match=f"^{name}: .*allowed"):
        validate_parameters({name: "9999-12-31"})


@pytest.mark.parametrize("value", ["1999-01-01", "2999-01-01"])
def test_since_outside_the_recorded_range_is_refused(value):
    with pytest.raises(ParameterError, match=r"^since: .*allowed: 2001-01-01 to"):
        validate_parameters({"since": value})


@pytest.mark.slow
def test_check_piped_into_head_keeps_its_failing_exit_code(tmp_path):
    import shutil

    from relations.paths import data_dir

    bad = tmp_path / "data"
    shutil.copytree(data_dir(), bad)
    events = bad / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    events.write_text(
        "\n".join([lines[0]] + [ln.replace(",confirmed,", ",certain,") for ln in lines[1:]]) + "\n"
    )
    script = (
        f"{sys.executable} -m relations.cli check --data-dir {bad} 2>&1 | head -2 >/dev/null; "
        "echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "1", done
