"""Many briefings at once: a YAML spec, parallel processes, one progress bar, an index page.

The spec format and its checks live in :mod:`relations.batch_spec`. ``jobs`` worker
processes (each in its own process group, so a terminal's Ctrl-C reaches only the batch)
take the briefings one after another, each running its share in one warm kernel
(:mod:`relations.warm`, :mod:`relations.batch_workers`): libraries are imported once per
worker, not once per briefing, and the kernel is reset to a fresh one's state between
briefings. On ``SIGINT``, ``SIGTERM`` or ``SIGHUP`` (a closed terminal) the batch cancels
the briefings not yet started, kills the running ones with their kernels
(:func:`relations.proctree.kill_trees`), removes their temporary files, writes
``index.html`` (finished and ``cancelled`` briefings) and raises :class:`BatchInterrupted`;
the command exits with 130, 143 or 129. Workers die with the batch even when it is killed
outright (SIGKILL), and their kernels with them.
"""

from __future__ import annotations

import contextlib
import html
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import leftovers
from .batch_spec import SpecError, expand_spec, load_spec, prepare_spec
from .batch_workers import BatchJob, Worker

__all__ = [
    "BatchInterrupted",
    "BatchJob",
    "SpecError",
    "expand_spec",
    "load_spec",
    "prepare_spec",
    "run_batch",
    "summary_table",
    "write_index",
]

STATUSES = ("done", "cached", "failed", "cancelled")


class BatchInterrupted(Exception):
    """A signal stopped the batch; ``jobs`` holds every briefing (finished or ``cancelled``)."""

    def __init__(self, signum: int, jobs: list[BatchJob], index: Path) -> None:
        self.signum, self.jobs, self.index = signum, jobs, index
        counts = ", ".join(f"{n} {s}" for s, n in _counts(jobs).items() if n)
        super().__init__(f"interrupted by {signal.Signals(signum).name}: {counts}; index: {index}")


@contextlib.contextmanager
def _catching_signals() -> Iterator[list[int]]:
    """Record SIGINT, SIGTERM and SIGHUP in the yielded list instead of dying (main thread only)."""
    import threading

    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {s: signal.signal(s, lambda n, _f: caught.append(n)) for s in stops}
    try:
        yield caught
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def run_batch(
    spec: Mapping[str, Any],
    *,
    output_dir: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: int = 300,
    max_briefings: int | None = None,
) -> tuple[list[BatchJob], Path]:
    """Validate every parameter set, then render them in ``jobs`` processes.

    Returns the jobs (in spec order) and the path of ``index.html``. A bad spec is a
    :class:`SpecError` and bad data a :class:`~relations.DataError`, before anything
    runs; ``SIGINT``/``SIGTERM``/``SIGHUP`` end the batch with :class:`BatchInterrupted`.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    from .validation import check

    if jobs is not None and jobs < 1:
        raise SpecError(f"jobs: {jobs} (allowed: a whole number above 0)")
    sets, formats = prepare_spec(spec, max_briefings=max_briefings)
    for ddir in dict.fromkeys(p.get("data_dir") or None for p in sets):
        check(ddir, use_cache=True)  # DataError before any job starts
    out = Path(output_dir or spec.get("output_dir") or "briefings")
    import papermill  # noqa: F401  # imported once here, not in every forked worker

    from .exporter import _exporter_class

    _exporter_class()  # nbconvert too (0.1 s a briefing otherwise)

    ctx = multiprocessing.get_context("fork")
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(sets)))
    results: list[BatchJob | None] = [None] * len(sets)
    pending = list(range(len(sets)))[::-1]
    args = (str(out), formats, force, timeout)
    workers: list[Worker] = []
    bar = tmp = None
    # Signals are caught from before the first write: a stop from here on cancels and reports.
    with _catching_signals() as caught:
        try:
            out.mkdir(parents=True, exist_ok=True)
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=len(sets), unit="briefing", desc="briefings")
            leftovers.sweep(Path(tempfile.gettempdir()), "relations-batch-")  # of batches killed outright
            tmp = tempfile.mkdtemp(prefix=f"relations-batch-{leftovers.stamp()}-")
            workers = [Worker(ctx, tmp, args) for _ in range(n_workers if sets and not caught else 0)]
            while (pending or any(w.job is not None for w in workers)) and not caught:
                for w in workers:
                    if w.job is None and pending:
                        if not w.proc.is_alive():  # replace a worker that died
                            w.close()
                            workers[workers.index(w)] = w = Worker(ctx, tmp, args)
                        i = pending.pop()
                        w.give(i, sets[i])
                busy = [w for w in workers if w.job is not None]
                wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], 0.2)
                for w in busy:
                    i = w.job
                    job = w.collect(sets[i])
                    if job is not None:
                        results[i] = job
                        if not w.proc.is_alive():  # it died mid-briefing: nobody else cleans up
                            _remove_staging(out, sets[i])
                        if bar is not None:
                            bar.update(1)
                            failed = sum(1 for r in results if r and r.status == "failed")
                            bar.set_postfix_str(f"failed {failed}")
            if caught:
                _stop({i: (w.proc, w.conn) for i, w in enumerate(workers)}, out)
                done = [r or BatchJob(sets[i], status="cancelled") for i, r in enumerate(results)]
                raise BatchInterrupted(caught[0], done, write_index(done, out))
        finally:
            for w in workers:
                w.close()
            if bar is not None:
                bar.close()
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        done = [r for r in results if r is not None]
        return done, write_index(done, out)


def _remove_staging(out: Path, params: dict[str, Any]) -> None:
    """Remove the staging folder a briefing's render left when its worker died."""
    from .outputs import output_stem

    for path in out.glob(f".{output_stem(params)}.*.tmp"):
        shutil.rmtree(path, ignore_errors=True)


def _stop(running: dict[int, tuple[Any, Any]], out: Path) -> None:
    """Kill the running workers with their kernels; remove their temporary files."""
    from .proctree import kill_trees

    kill_trees(proc.pid for proc, _ in running.values())
    for proc, reader in running.values():
        proc.join(timeout=2)
        reader.close()
    for pattern in (".*.running.ipynb", ".*.tmp"):  # render's staging folders end in .tmp too
        for path in out.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def write_index(jobs: list[BatchJob], output_dir: Path) -> Path:
    """An ``index.html`` linking every briefing with its parameters and status (all text escaped)."""
    from .render import atomic_write

    rows = []
    for job in jobs:
        p = job.parameters
        link = ""
        if "html" in job.outputs:
            name = Path(job.outputs["html"]).name
            link = f'<a href="{html.escape(name)}">{html.escape(str(p.get("title", name)))}</a>'
        elif job.outputs:
            name = Path(next(iter(job.outputs.values()))).name
            link = f'<a href="{html.escape(name)}">{html.escape(name)}</a>'
        doms = ", ".join(p.get("domains") or []) or "all"
        rows.append(
            "<tr>"
            f"<td>{link or html.escape(str(p.get('title', '')))}</td>"
            f"<td>{html.escape(str(p.get('start', '')))}</td><td>{html.escape(str(p.get('end', '')))}</td>"
            f"<td>{html.escape(doms)}</td>"
            f'<td class="{html.escape(job.status)}">{html.escape(job.status)}</td>'
            f"<td>{html.escape(job.error)}</td></tr>"
        )
    counts = _counts(jobs)
    cancelled = f", {counts['cancelled']} cancelled" if counts["cancelled"] else ""
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>relations briefings</title><style>"
        "body{font-family:sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;"
        "text-align:left;vertical-align:top}.failed{color:#b00;font-weight:bold}.cached,.cancelled{color:#666}"
        "</style></head><body>"
        f"<h1>relations briefings</h1><p>{len(jobs)} briefings, {counts['failed']} failed{cancelled}.</p>"
        "<table><thead><tr><th>briefing</th><th>start</th><th>end</th><th>domains</th>"
        "<th>status</th><th>error</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "</body></html>\n"
    )
    return atomic_write(output_dir / "index.html", page)


def summary_table(jobs: list[BatchJob]) -> str:
    """A plain-text summary: one line per briefing."""
    lines = [f"{'status':<9} {'seconds':>7}  briefing"]
    for j in jobs:
        name = Path(j.outputs.get("html") or next(iter(j.outputs.values()), "")).name if j.outputs else ""
        lines.append(
            f"{j.status:<9} {j.seconds:>7.1f}  {name or _stem_of(j.parameters)}"
            + (f"  ({j.error})" if j.error else "")
        )
    counts = _counts(jobs)
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "cancelled"))
    return "\n".join(lines)


def _stem_of(params: dict[str, Any]) -> str:
    """What a briefing's files are (or would be) called: its window and domains."""
    from .outputs import output_stem

    try:
        return output_stem(params)
    except (KeyError, TypeError, ValueError):
        return str(params.get("title", ""))


def _counts(jobs: list[BatchJob]) -> dict[str, int]:
    return {s: sum(1 for j in jobs if j.status == s) for s in STATUSES}
