"""The worker processes of :func:`relations.batch.run_batch` and the job record they return.

A :class:`Worker` is a process of its own (own process group, default signal handling, a
private temporary folder) that keeps one warm kernel (:mod:`relations.warm`) and renders the
briefings the parent sends it, one after another, over a pipe: ``(index, parameters)`` in,
``(index, BatchJob)`` back, ``None`` to stop.

>>> BatchJob({"start": "2025-01-01"}).status
'pending'
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BatchJob", "Worker"]


@dataclass
class BatchJob:
    """One briefing of a batch and how it went."""

    parameters: dict[str, Any]
    status: str = "pending"  # done, cached, failed, cancelled
    outputs: dict[str, str] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0


def _run_one(
    params: dict[str, Any], output_dir: str, formats: tuple[str, ...], force: bool, timeout: int
) -> BatchJob:
    from .render import render_briefing

    job = BatchJob(params)
    t0 = time.perf_counter()
    try:
        res = render_briefing(params, output_dir=output_dir, formats=formats, force=force, timeout=timeout)
        job.parameters = res.parameters
        job.outputs = {k: str(v) for k, v in res.outputs.items()}
        job.status = "cached" if res.cached else "done"
    except Exception as exc:  # a failing job must not stop the others
        job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
    job.seconds = time.perf_counter() - t0
    return job


def _die_with(parent: int) -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (``PR_SET_PDEATHSIG``); a
    kernel whose worker is gone stops by itself (ipykernel watches its parent)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's signal handling still applies
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _serve(conn: Any, tmp: str, parent: int, *args: Any) -> None:
    """A batch worker: own process group, default signals, private temp folder, and one warm
    kernel (:mod:`relations.warm`) for every briefing the parent sends as ``(index, parameters)``;
    ``None`` ends it."""
    from . import warm

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    _die_with(parent)  # a batch killed outright (SIGKILL) takes its workers along; their kernels follow
    os.setpgid(0, 0)
    os.environ["TMPDIR"] = tempfile.tempdir = tmp
    # one chart folder for the whole batch: a chart that several briefings draw from the same
    # rows with the same options is drawn once (relations.briefing.chart_cache)
    charts = os.path.join(tmp, "charts")
    os.makedirs(charts, exist_ok=True)
    from .briefing.chart_cache import ENV

    with warm.use(warm.WarmKernel(env={ENV: charts})):
        while (message := conn.recv()) is not None:
            i, params = message
            conn.send((i, _run_one(params, *args)))
    conn.close()


class Worker:
    """A worker process, its end of the pipe and the briefing it is running (if any)."""

    def __init__(self, ctx: Any, tmp: str, args: tuple[Any, ...]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, tmp, os.getpid(), *args), daemon=True)
        self.proc.start()
        child.close()
        self.job: int | None = None

    def give(self, i: int, params: dict[str, Any]) -> None:
        self.conn.send((i, params))
        self.job = i

    def collect(self, params: dict[str, Any]) -> BatchJob | None:
        """The finished job, a ``failed`` one if the worker died without sending it, else None."""
        if self.conn.poll():
            try:
                _, job = self.conn.recv()
            except (EOFError, OSError):
                job = None
            if job is not None:
                self.job = None
                return job
        if self.proc.is_alive():
            return None
        self.proc.join()
        self.job = None
        return BatchJob(
            params, status="failed", error=f"the worker process died (exit code {self.proc.exitcode})"
        )

    def close(self) -> None:
        """Ask an idle worker to stop (its kernel is shut down in the worker), then reap it."""
        if self.proc.is_alive() and self.job is None:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.proc.join(timeout=10)
        if self.proc.is_alive():
            from .proctree import kill_trees

            kill_trees([self.proc.pid])
            self.proc.join(timeout=2)
        self.conn.close()
