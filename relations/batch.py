"""Many briefings at once: a YAML spec, parallel processes, one progress bar, an index page.

A spec lists parameter sets, a grid, or both::

    output_dir: briefings/quarterly      # optional (the command's --output-dir wins)
    formats: [html, ipynb]               # optional
    defaults: {title: "Russia–Iran"}     # optional, merged into every set
    briefings:                           # explicit sets
      - {start: 2025-01-01, end: 2025-03-31, domains: [legal]}
    grid:                                # every period x every domain group
      periods: {quarters: [2024Q1, 2026Q4]}   # or {years: [2022, 2025]}
      domains: [[arms, military], [energy, trade], []]   # [] means all domains

>>> from relations.batch import expand_spec
>>> sets = expand_spec({"grid": {"periods": {"quarters": ["2024Q1", "2024Q2"]}, "domains": [["arms"], []]}})
>>> len(sets), sets[0]["start"], sets[0]["end"], sets[0]["domains"]
(4, '2024-01-01', '2024-03-31', ['arms'])
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ParameterError

__all__ = ["BatchJob", "SpecError", "expand_spec", "load_spec", "run_batch", "write_index"]

SPEC_KEYS = ("output_dir", "formats", "defaults", "briefings", "grid")


class SpecError(ValueError):
    """A batch spec is malformed; the message names the key and the allowed values."""


def _periods(spec: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise SpecError("grid.periods: give one of quarters: [FIRST, LAST] or years: [FIRST, LAST]")
    ((kind, bounds),) = spec.items()
    if kind not in ("quarters", "years") or not isinstance(bounds, list) or len(bounds) != 2:
        raise SpecError(f"grid.periods.{kind}: expected [FIRST, LAST] (allowed kinds: quarters, years)")
    freq = "Q" if kind == "quarters" else "Y"
    try:
        first, last = (pd.Period(str(b), freq=freq) for b in bounds)
    except ValueError as exc:
        raise SpecError(f"grid.periods.{kind}: {bounds!r} are not {kind} such as 2024Q1 or 2024") from exc
    if last < first:
        raise SpecError(f"grid.periods.{kind}: {last} is before {first}")
    out = []
    for per in pd.period_range(first, last, freq=freq):
        out.append((str(per), per.start_time.date().isoformat(), per.end_time.date().isoformat()))
    return out


def expand_spec(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parameter sets a spec asks for (explicit sets first, then the grid)."""
    if not isinstance(spec, Mapping):
        raise SpecError("the spec must be a mapping with keys: " + ", ".join(SPEC_KEYS))
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise SpecError(f"{unknown[0]}: unknown key (allowed: {', '.join(SPEC_KEYS)})")
    defaults = dict(spec.get("defaults") or {})
    sets: list[dict[str, Any]] = []
    for i, item in enumerate(spec.get("briefings") or []):
        if not isinstance(item, Mapping):
            raise SpecError(f"briefings[{i}]: expected a mapping of parameters")
        sets.append({**defaults, **{k: _plain(v) for k, v in item.items()}})
    grid = spec.get("grid")
    if grid:
        if not isinstance(grid, Mapping) or "periods" not in grid:
            raise SpecError("grid: needs periods (and optionally domains and title)")
        groups = grid.get("domains") or [[]]
        for label, start, end in _periods(grid["periods"]):
            for group in groups:
                doms = [group] if isinstance(group, str) else list(group or [])
                title = grid.get("title") or defaults.get("title") or "The Russia–Iran partnership"
                suffix = f" ({', '.join(doms)})" if doms else ""
                sets.append(
                    {
                        **defaults,
                        "start": start,
                        "end": end,
                        "domains": doms,
                        "title": f"{title}, {label}{suffix}",
                    }
                )
    if not sets:
        raise SpecError("the spec asks for no briefing: add briefings or grid")
    return sets


def _plain(value: Any) -> Any:
    """YAML reads 2024-01-01 as a date; parameters are ISO strings."""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def load_spec(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a YAML spec; malformed YAML is a :class:`SpecError` naming the file."""
    import yaml

    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: cannot read the spec ({exc})") from exc
    return spec or {}


@dataclass
class BatchJob:
    """One briefing of a batch and how it went."""

    parameters: dict[str, Any]
    status: str = "pending"  # done, cached, failed
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


def run_batch(
    spec: Mapping[str, Any],
    *,
    output_dir: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: int = 300,
) -> tuple[list[BatchJob], Path]:
    """Validate every parameter set, then render them in ``jobs`` processes.

    Returns the jobs (in spec order) and the path of ``index.html``.
    """
    from .params import validate_parameters
    from .render import FORMATS
    from .validation import check

    sets = expand_spec(spec)
    for i, params in enumerate(sets):
        try:
            validate_parameters(params)
        except ParameterError as exc:
            raise SpecError(f"briefing {i + 1} of {len(sets)}: {exc}") from exc
    formats = tuple(spec.get("formats") or ("html", "ipynb"))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise SpecError(f"formats: {bad[0]!r} (allowed: {', '.join(FORMATS)})")
    check(sets[0].get("data_dir") or None)  # DataError before any job starts
    out = Path(output_dir or spec.get("output_dir") or "briefings")
    out.mkdir(parents=True, exist_ok=True)
    workers = max(1, jobs or os.cpu_count() or 1)
    results: list[BatchJob | None] = [None] * len(sets)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(sets), unit="briefing", desc="briefings")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_run_one, p, str(out), formats, force, timeout): i for i, p in enumerate(sets)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # the worker process itself died
                results[i] = BatchJob(sets[i], status="failed", error=f"{type(exc).__name__}: {exc}")
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"failed {sum(1 for r in results if r and r.status == 'failed')}")
    if bar is not None:
        bar.close()
    done = [r for r in results if r is not None]
    return done, write_index(done, out)


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
    failed = sum(1 for j in jobs if j.status == "failed")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>relations briefings</title><style>"
        "body{font-family:sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;"
        "text-align:left;vertical-align:top}.failed{color:#b00;font-weight:bold}.cached{color:#666}"
        "</style></head><body>"
        f"<h1>relations briefings</h1><p>{len(jobs)} briefings, {failed} failed.</p>"
        "<table><thead><tr><th>briefing</th><th>start</th><th>end</th><th>domains</th>"
        "<th>status</th><th>error</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "</body></html>\n"
    )
    return atomic_write(output_dir / "index.html", page)


def summary_table(jobs: list[BatchJob]) -> str:
    """A plain-text summary: one line per briefing."""
    lines = [f"{'status':<7} {'seconds':>7}  briefing"]
    for j in jobs:
        name = Path(j.outputs.get("html") or next(iter(j.outputs.values()), "")).name if j.outputs else ""
        lines.append(
            f"{j.status:<7} {j.seconds:>7.1f}  {name or j.parameters.get('title', '')}"
            + (f"  ({j.error})" if j.error else "")
        )
    counts = {s: sum(1 for j in jobs if j.status == s) for s in ("done", "cached", "failed")}
    lines.append(", ".join(f"{v} {k}" for k, v in counts.items()))
    return "\n".join(lines)
