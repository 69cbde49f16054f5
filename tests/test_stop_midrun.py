"""A stop signal while the kernel runs the cells is one line, never a leaked asyncio traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.notebooks, pytest.mark.slow]

COMMAND = Path(sys.executable).parent / "relations"


def _stop_while_running(tmp_path: Path, sig: int, delay: float) -> subprocess.CompletedProcess[str]:
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(COMMAND), "brief", "--length", "full", "--output-dir", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    # the staging folder appears once the data is checked, as the cells are about to run
    while not list(out.glob(".briefing_*.tmp")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the briefing never started its cells"
        time.sleep(0.02)
    time.sleep(delay)
    os.killpg(proc.pid, sig)
    stdout, stderr = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("delay", [0.5, 1.5])
def test_a_stop_while_cells_run_is_one_line(tmp_path, sig, code, delay):
    done = _stop_while_running(tmp_path, sig, delay)
    if done.returncode == 0:
        pytest.skip("the briefing finished before the signal (a very fast machine)")
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and "never retrieved" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("Executing")]
    assert len(lines) == 1 and lines[0].startswith("relations brief:"), done.stderr


def test_a_relations_py_in_the_working_folder_is_not_run(tmp_path):
    """The kernel and the chart prefetcher import the installed library, never a file named
    relations.py that happens to sit in the folder the command is run from."""
    here = tmp_path / "work"
    here.mkdir()
    marker = tmp_path / "ran.txt"
    (here / "relations.py").write_text(f"open({str(marker)!r}, 'a').write('ran\\n')\nraise SystemExit(0)\n")
    done = subprocess.run(
        [str(COMMAND), "brief", "--start", "2025-01-01", "--end", "2025-03-31", *("--output-dir", "out")],
        cwd=here,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RELATIONS_CHART_PREFETCH": "on"},  # the prefetcher too, whatever the CPUs
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "a relations.py in the working folder was executed"


def test_a_timed_out_briefing_says_so_in_one_line(tmp_path):
    """nbclient's own log lines ('Timeout waiting for execute reply') stay out of the terminal;
    the error the caller gets says what happened."""
    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "briefing.ipynb", as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(30)"))
    slow = tmp_path / "slow.ipynb"
    nbformat.write(nb, slow)
    code = (
        "import sys\nfrom relations.render import BriefingFailed, render_briefing\n"
        "try:\n    render_briefing({}, notebook=sys.argv[1], output_dir=sys.argv[2], timeout=2)\n"
        "except BriefingFailed as exc:\n    print(exc, file=sys.stderr)\n"
    )
    argv = [sys.executable, "-c", code, str(slow), str(tmp_path / "out")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "ran longer than the 2 s timeout" in lines[0], done.stderr
