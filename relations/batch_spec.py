"""Batch specs: read the YAML safely, expand the grid, refuse mistakes before anything runs.

A spec lists parameter sets, a grid, or both::

    output_dir: briefings/quarterly      # optional (the command's --output-dir wins)
    formats: [html, ipynb]               # optional
    defaults: {title: "Russia–Iran"}     # optional, merged into every set
    briefings:                           # explicit sets
      - {start: 2025-01-01, end: 2025-03-31, domains: [legal]}
    grid:                                # every period x every domain group
      periods: {quarters: [2024Q1, 2026Q2]}   # or {years: [2022, 2025]}
      domains: [[arms, military], [energy, trade], []]   # [] means all domains

Every mistake is a :class:`SpecError` whose message starts with the key at fault
(``grid.domains: ...``, ``briefings[2].data_dir: ...``) and names the allowed values.

>>> from relations.batch_spec import expand_spec
>>> sets = expand_spec({"grid": {"periods": {"quarters": ["2024Q1", "2024Q2"]}, "domains": [["arms"], []]}})
>>> len(sets), sets[0]["start"], sets[0]["end"], sets[0]["domains"]
(4, '2024-01-01', '2024-03-31', ['arms'])
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ParameterError

__all__ = ["MAX_BRIEFINGS", "SPEC_KEYS", "SpecError", "expand_spec", "load_spec", "prepare_spec"]

SPEC_KEYS = ("output_dir", "formats", "defaults", "briefings", "grid")
GRID_KEYS = ("periods", "domains", "title")
#: Limits on what a spec may ask for (a YAML alias can otherwise expand into billions of values).
MAX_BRIEFINGS, MAX_BYTES, MAX_NODES, MAX_STRING = 500, 1_000_000, 50_000, 10_000
#: Parameters that take a list (a string there would be split into its characters).
LIST_PARAMETERS = ("domains",)


class SpecError(ValueError):
    """A batch spec is malformed; the message names the key and the allowed values."""


def load_spec(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a YAML spec; every problem is a :class:`SpecError` naming the file."""
    import yaml

    p = Path(path)
    if p.is_dir():
        raise SpecError(f"{p}: is a folder, not a spec file (give a SPEC.yaml file)")
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise SpecError(f"{p}: no such file") from None
    except OSError as exc:
        raise SpecError(f"{p}: cannot read the spec ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise SpecError(f"{p}: the file is {len(raw)} bytes (limit {MAX_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(
            f"{p}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); save it as UTF-8"
        ) from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{p}: not valid YAML ({' '.join(str(exc).split())})") from None
    except RecursionError:
        raise SpecError(f"{p}: nested too deeply") from None
    except ValueError as exc:  # YAML reads 2026-13-01 as a date and fails to build it
        raise SpecError(f"{p}: a date that does not exist ({exc}; allowed: YYYY-MM-DD)") from None
    if spec is None:
        return {}
    _check_size(spec, p)
    if not isinstance(spec, Mapping):
        raise SpecError(f"{p}: the spec must be a mapping with keys: {', '.join(SPEC_KEYS)}")
    return dict(spec)


def _check_size(spec: Any, path: Path) -> None:
    """Refuse more than MAX_NODES values or a string longer than MAX_STRING (aliases count each time)."""
    todo: list[tuple[str, Any]] = [("", spec)]
    seen = 0
    while todo:
        where, value = todo.pop()
        seen += 1
        if seen > MAX_NODES:
            raise SpecError(f"{path}: too many values (more than {MAX_NODES}); are YAML aliases expanding?")
        if isinstance(value, str) and len(value) > MAX_STRING:
            raise SpecError(f"{path}: {where}: a string of {len(value)} characters (limit {MAX_STRING})")
        if isinstance(value, Mapping):
            todo.extend((f"{where}.{k}".lstrip("."), v) for k, v in value.items())
        elif isinstance(value, list):
            todo.extend((f"{where}[{i}]", v) for i, v in enumerate(value))


def _periods(spec: Any) -> list[tuple[str, str, str]]:
    import pandas as pd

    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise SpecError("grid.periods: give one of quarters: [FIRST, LAST] or years: [FIRST, LAST]")
    ((kind, bounds),) = spec.items()
    if kind not in ("quarters", "years") or not isinstance(bounds, list) or len(bounds) != 2:
        raise SpecError(f"grid.periods.{kind}: expected [FIRST, LAST] (allowed kinds: quarters, years)")
    freq = "Q" if kind == "quarters" else "Y"
    try:
        first, last = (pd.Period(str(b), freq=freq) for b in bounds)
    except (ValueError, TypeError, OverflowError) as exc:
        raise SpecError(f"grid.periods.{kind}: {bounds!r} are not {kind} such as 2024Q1 or 2024") from exc
    if last < first:
        raise SpecError(f"grid.periods.{kind}: {last} is before {first}")
    return [
        (str(per), per.start_time.date().isoformat(), per.end_time.date().isoformat())
        for per in pd.period_range(first, last, freq=freq)
    ]


def _plain(where: str, values: Any) -> dict[str, Any]:
    """A parameter set with YAML dates as ISO strings; lists where lists belong."""
    if not isinstance(values, Mapping):
        raise SpecError(f"{where}: expected a mapping of parameters such as {{start: 2025-01-01}}")
    out = {}
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()[:10]
        if key in LIST_PARAMETERS and value is not None and not isinstance(value, list):
            raise SpecError(f"{where}.{key}: expected a list such as [arms, energy], got {value!r}")
        out[str(key)] = value
    return out


def _labelled(spec: Mapping[str, Any], max_briefings: int) -> list[tuple[str, dict[str, Any]]]:
    """(where it comes from, parameter set) for every briefing the spec asks for."""
    if not isinstance(spec, Mapping):
        raise SpecError("the spec must be a mapping with keys: " + ", ".join(SPEC_KEYS))
    unknown = sorted(map(str, set(spec) - set(SPEC_KEYS)))
    if unknown:
        raise SpecError(f"{unknown[0]}: unknown key (allowed: {', '.join(SPEC_KEYS)})")
    defaults = _plain("defaults", spec.get("defaults") or {})
    explicit = spec.get("briefings") or []
    if not isinstance(explicit, list):
        raise SpecError("briefings: expected a list of parameter sets such as [{start: 2025-01-01}]")
    sets = [(f"briefings[{i}]", {**defaults, **_plain(f"briefings[{i}]", b)}) for i, b in enumerate(explicit)]
    grid = spec.get("grid")
    if grid:
        if not isinstance(grid, Mapping) or "periods" not in grid:
            raise SpecError("grid: expected a mapping with periods (and optionally domains and title)")
        bad = sorted(map(str, set(grid) - set(GRID_KEYS)))
        if bad:
            raise SpecError(f"grid.{bad[0]}: unknown key (allowed: {', '.join(GRID_KEYS)})")
        groups = grid.get("domains") or [[]]
        if not isinstance(groups, list):
            raise SpecError(
                "grid.domains: expected a list of domain groups such as [[arms, military], []], "
                f"got {groups!r}"
            )
        for i, group in enumerate(groups):
            if not (group is None or isinstance(group, str | list)):
                raise SpecError(f"grid.domains[{i}]: expected a list of domains, got {group!r}")
        periods = _periods(grid["periods"])
        total = len(sets) + len(periods) * len(groups)
        if total > max_briefings:
            raise SpecError(
                f"the spec asks for {total} briefings (limit {max_briefings}; raise it with --max-briefings)"
            )
        title = grid.get("title") or defaults.get("title") or "The Russia–Iran partnership"
        for label, start, end in periods:
            for group in groups:
                doms = [group] if isinstance(group, str) else list(group or [])
                suffix = f" ({', '.join(map(str, doms))})" if doms else ""
                where = f"grid ({label}{', ' + ', '.join(map(str, doms)) if doms else ''})"
                params = {**defaults, "start": start, "end": end, "domains": doms}
                sets.append((where, {**params, "title": f"{title}, {label}{suffix}"}))
    if not sets:
        raise SpecError("the spec asks for no briefing: add briefings or grid")
    if len(sets) > max_briefings:
        raise SpecError(
            f"the spec asks for {len(sets)} briefings (limit {max_briefings}; raise it with --max-briefings)"
        )
    return sets


def expand_spec(spec: Mapping[str, Any], *, max_briefings: int = MAX_BRIEFINGS) -> list[dict[str, Any]]:
    """The parameter sets a spec asks for (explicit sets first, then the grid)."""
    return [params for _, params in _labelled(spec, max_briefings)]


def prepare_spec(
    spec: Mapping[str, Any], *, max_briefings: int | None = None
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Expand and validate a spec; return the normalised parameter sets and the formats.

    Refuses (:class:`SpecError`) bad parameters, a ``data_dir`` that is not a data package,
    two sets writing the same file, bad formats (``pdf`` without Chromium too) and more than
    ``max_briefings`` sets.
    Nothing is executed or written.
    """
    from .params import check_coverage, validate_parameters
    from .render import FORMATS, output_stem

    labelled = _labelled(spec, max_briefings or MAX_BRIEFINGS)
    formats = spec.get("formats") or ["html", "ipynb"]
    if not isinstance(formats, list):
        raise SpecError(f"formats: expected a list such as [html, ipynb], got {formats!r}")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise SpecError(f"formats: {bad[0]!r} (allowed: {', '.join(FORMATS)})")
    if "pdf" in formats and (missing := _chromium_missing()):
        raise SpecError(
            f"formats[{formats.index('pdf')}]: 'pdf' needs Chromium, which was not found ({missing})"
        )
    out_dir = spec.get("output_dir")
    if out_dir is not None and not isinstance(out_dir, str):
        raise SpecError(f"output_dir: expected a folder name such as briefings/quarterly, got {out_dir!r}")
    sets, stems = [], {}
    for where, params in labelled:
        try:
            checked = validate_parameters(params)
            check_coverage(checked, checked.get("data_dir") or None)
        except ParameterError as exc:
            raise SpecError(f"briefing {len(sets) + 1} of {len(labelled)}: {exc} (in {where})") from None
        except (FileNotFoundError, NotADirectoryError) as exc:  # data_dir is not a data package
            raise SpecError(f"{where}.data_dir: {exc}") from None
        stem = output_stem(checked)
        if stem in stems:
            raise SpecError(f"{where}: writes {stem} like {stems[stem]}; give them other dates or domains")
        stems[stem] = where
        sets.append(checked)
    return sets, tuple(dict.fromkeys(formats))


def _chromium_missing() -> str | None:
    """Why :func:`relations.pdf.find_chromium` finds no Chromium, or None when it finds one."""
    from .pdf import find_chromium

    if find_chromium() is not None:
        return None
    named = os.environ.get("RELATIONS_CHROMIUM")
    if named:
        return f"$RELATIONS_CHROMIUM names {named}, which does not exist"
    return "not on PATH; install it with 'apt install chromium' or set $RELATIONS_CHROMIUM to its path"
