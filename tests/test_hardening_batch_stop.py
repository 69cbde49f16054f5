"""Ctrl-C stops a batch even when one of its workers is frozen (``SIGSTOP``, as a debugger or a
stuck machine leaves it): the batch exits 130 with one line, and the frozen worker and its
kernel are killed (``relations.proctree.kill_trees`` ends with ``SIGKILL``, which a stopped
process cannot hold back)."""

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
    pytest.mark.notebooks,
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc"),
]


def _processes(marker: str) -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, command line) of live processes carrying ``marker``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if state != "Z":
            found[int(entry.name)] = (int(ppid), state, cmd)
    return found


def test_ctrl_c_stops_a_batch_whose_worker_is_frozen(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("grid:\n  periods: {quarters: [2024Q1, 2024Q4]}\n", encoding="utf-8")
    out = tmp_path / "out"
    marker = uuid.uuid4().hex
    env = {**os.environ, "RELATIONS_TEST_RUN": marker}
    argv = [sys.executable, "-m", "relations.cli", "batch", str(spec), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(
        [*argv, "--output-dir", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not any("ipykernel" in cmd for _, _, cmd in _processes(marker).values()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no kernel started"
            time.sleep(0.1)
        workers = [pid for pid, (ppid, _, _) in _processes(marker).items() if ppid == proc.pid]
        assert len(workers) == 1, _processes(marker)
        os.kill(workers[0], signal.SIGSTOP)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)  # what Ctrl-C delivers to the batch (workers have own groups)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            for pid in _processes(marker):
                os.kill(pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr
    assert stderr.strip().startswith("relations batch: interrupted by SIGINT"), stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    deadline = time.monotonic() + 10
    while (left := _processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == {}, f"left behind: {left}"
    assert not list(out.glob(".*")), "temporary files are removed"
