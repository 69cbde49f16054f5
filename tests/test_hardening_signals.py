"""A stop signal in the first second of ``relations brief`` or ``relations batch`` (while the
libraries are imported, before the command's own handlers are installed) ends the run with one
line and 128 + the signal's number: no traceback, no process left, no partial output.

The points are found by watching the process, not by the clock: the moment its SIGTERM
handler appears (``/proc/PID/status``, SigCgt), and the moment pandas' libraries are mapped
(``/proc/PID/maps``), then fixed delays after that. The few milliseconds before the first
module of the package runs (interpreter start-up) are outside this test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc"),
]

SPEC = "grid:\n  periods: {quarters: [2024Q1, 2024Q2]}\n"


def _caught(pid: int) -> set[int]:
    """Signals the process has a handler for (empty once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return set()
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return {n for n in range(1, 64) if mask >> (n - 1) & 1}


def _mapped(pid: int, needle: str) -> bool:
    try:
        return needle in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _marked(marker: str) -> list[str]:
    """Live processes (not zombies) whose environment carries ``marker``: the run, its workers and
    kernels (which start sessions of their own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ and stat[stat.rindex(")") + 2] != "Z":
            found.append(f"{entry.name}: {stat[: stat.rindex(')') + 1]}")
    return found


def _start(command: str, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    out = tmp_path / "out"
    args = [sys.executable, "-m", "relations.cli", command]
    if command == "batch":
        spec = tmp_path / "spec.yaml"
        spec.write_text(SPEC, encoding="utf-8")
        args.append(str(spec))
    args += ["--quiet", "--output-dir", str(out)]
    marker = f"RELATIONS_TEST_RUN={uuid.uuid4().hex}"
    env = {**os.environ, "RELATIONS_TEST_RUN": marker.split("=")[1]}
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env
    )
    proc.marker = marker  # type: ignore[attr-defined]
    return proc, out


def _wait_for(proc: subprocess.Popen, ready, what: str) -> None:
    deadline = time.monotonic() + 60
    while not ready(proc.pid):
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"never saw {what}")
        time.sleep(0.0005)


def _finish(proc: subprocess.Popen) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _left_behind(proc: subprocess.Popen) -> list[str]:
    deadline = time.monotonic() + 10
    while (left := _marked(proc.marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.mark.parametrize("command", ["brief", "batch"])
def test_the_stop_handler_is_in_place_before_pandas_loads(tmp_path, command):
    proc, _ = _start(command, tmp_path)
    try:
        _wait_for(proc, lambda pid: signal.SIGTERM in _caught(pid), "a SIGTERM handler")
        assert not _mapped(proc.pid, "pandas/_libs"), "pandas was imported before any stop handler"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.parametrize("delay", [0.0, 0.25, 0.5, 0.8], ids=lambda d: f"pandas+{d}s")
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["INT", "TERM", "HUP"],
)
@pytest.mark.parametrize("command", ["brief", "batch"])
def test_an_early_stop_is_one_line_and_leaves_nothing(tmp_path, command, signum, code, delay):
    proc, out = _start(command, tmp_path)
    _wait_for(proc, lambda pid: _mapped(pid, "pandas/_libs"), "pandas being imported")
    time.sleep(delay)
    os.killpg(proc.pid, signum)  # as a terminal's Ctrl-C does: the whole group
    stdout, stderr = _finish(proc)
    assert "Traceback" not in stdout + stderr, stderr
    assert proc.returncode == code, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"relations {command}: "), stderr
    assert _left_behind(proc) == [], "a process outlived the run"
    written = sorted(p.name for p in out.rglob("*")) if out.exists() else []
    # a batch stopped once it has started reports its briefings as cancelled in index.html
    assert written in ([], ["index.html"] if command == "batch" else []), written


def _unhandled_interrupt_flag():
    """CPython's record of a KeyboardInterrupt that escaped code run by ``exec`` of a string; when
    it is still set at exit, ``python -m`` ends the process with SIGINT whatever ``main`` returned."""
    import ctypes

    try:
        return ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt")
    except (ValueError, AttributeError):
        pytest.skip("this Python keeps the flag elsewhere")


def test_ctrl_c_inside_generated_code_still_exits_130(tmp_path, capsys, monkeypatch):
    """Ctrl-C often lands in code libraries build with exec() (dataclasses, pydantic): main must
    not leave CPython's flag set, or the process dies by SIGINT (-2) after printing one line."""
    from conftest import run_cli

    flag = _unhandled_interrupt_flag()

    def interrupted_in_exec(*args, **kwargs):
        exec("raise KeyboardInterrupt")

    monkeypatch.setattr("relations.cli_briefings._brief", interrupted_in_exec)
    try:
        code, _, err = run_cli(["brief", "--output-dir", str(tmp_path / "out")], capsys)
        left = flag.value
    finally:
        flag.value = 0  # never let a failure here end the test process by SIGINT
    assert (code, err.strip()) == (130, "relations brief: interrupted")
    assert left == 0, "a KeyboardInterrupt from exec() would end `python -m relations.cli` by SIGINT"
