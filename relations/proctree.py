"""Stop a set of processes and everything they started (Linux ``/proc``), leaving nothing behind.

Jupyter kernels run in a session of their own (``jupyter_client`` starts them with
``start_new_session``), so killing a worker's process group does not reach its kernel.
:func:`kill_trees` freezes the workers first (``SIGSTOP``: they cannot start anything
more), collects every descendant through the parent links in ``/proc``, then kills the
lot with ``SIGKILL``, and removes the connection files of the kernels it killed.

>>> import os
>>> os.getpid() in descendants([os.getppid()])
True
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
from collections.abc import Iterable
from pathlib import Path

__all__ = ["descendants", "kill_trees"]


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process visible in /proc."""
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces
        out[int(entry.name)] = int(fields[1])
    return out


def descendants(roots: Iterable[int]) -> set[int]:
    """``roots`` and every process whose chain of parents leads to one of them."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def _signal(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def _connection_file(pid: int) -> Path | None:
    """The ``kernel-*.json`` a Jupyter kernel was started with (``-f FILE``), if any."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    for flag, value in itertools.pairwise(args):
        if flag == b"-f" and value.endswith(b".json"):
            path = Path(os.fsdecode(value))
            return path if path.name.startswith("kernel-") else None
    return None


def kill_trees(roots: Iterable[int]) -> set[int]:
    """Freeze ``roots`` and their descendants, then ``SIGKILL`` them all; return the pids killed."""
    roots = list(roots)
    frozen: set[int] = set()
    while True:  # freeze until no new descendant appears (a fork may race the first scan)
        tree = descendants(roots)
        new = tree - frozen
        if not new:
            break
        _signal(new, signal.SIGSTOP)
        frozen |= new
    files = [f for f in map(_connection_file, frozen) if f is not None]
    _signal(frozen, signal.SIGKILL)
    _signal(frozen, signal.SIGCONT)  # a stopped process dies only once it runs again on some kernels
    for f in files:
        f.unlink(missing_ok=True)
    return frozen
