"""Benchmarks of the briefing engine, each against a baseline measured in the same run.

    python benchmarks/run.py [--repeat 3] [--batch-repeat 1] [--json benchmarks/results.json]

(a) ``relations brief`` (executive, the default) vs the baseline pipeline: the ``papermill``
    CLI, then ``jupyter nbconvert --to html --no-input``, on the same notebook and parameters;
(b) ``relations brief`` vs the honest floor (``benchmarks/floor.py``): one plain Python process
    that imports the library, builds every section, saves the same charts as the same PNG
    files (checked byte for byte against the briefing's images) and writes one HTML page;
(c), (d) the same two comparisons for the full-length briefing (``--length full``);
(e) ``relations batch --jobs 2`` of 12 quarterly briefings (2023Q3–2026Q2, all domains)
    vs a sequential loop of the baseline pipeline over the same parameter sets;
(f) the same for the 36 briefings of the README's grid (those 12 quarters x three domain
    groups: [arms, military], [energy, trade], all). The README's own grid, 2024Q1–2026Q4,
    is refused by the data (windows that start after the newest event, 2026-06-05), so its
    twelve quarters end at 2026Q2 instead;
(g) ``import relations`` plus loading every table, in a fresh interpreter.

Run it on a quiet tree: ``git archive HEAD | tar -x -C /tmp/snap`` and
``PYTHONPATH=/tmp/snap .venv/bin/python benchmarks/run.py`` measure that snapshot (the command,
its kernels, the floor and the baseline all import it) while others edit the checkout.

The machines are shared and noisy, so (a)–(d) and (g) are medians of ``--repeat`` runs with the
pipelines alternated, (e)–(f) medians of ``--batch-repeat`` runs, and the targets are ratios
against a baseline measured in the same run. One untimed run of each pipeline comes first
(it fills the data-check cache and the OS file cache for both sides alike).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _notebook() -> Path:
    """The briefing notebook of the ``relations`` that this interpreter imports (a checkout, or a
    snapshot put first on ``PYTHONPATH``: see README-speed.md)."""
    from relations.params import briefing_notebook

    return Path(briefing_notebook())


NOTEBOOK = _notebook()
FLOOR = HERE / "floor.py"
QUARTERS = ["2023Q3", "2026Q2"]
DOMAIN_GROUPS = [["arms", "military"], ["energy", "trade"], []]
#: key: (what, target ratio or seconds)
TARGETS = {
    "a": ("brief / papermill + nbconvert CLI (executive)", 0.4),
    "b": ("brief / honest floor (executive)", 1.25),
    "c": ("brief / papermill + nbconvert CLI (full)", 0.4),
    "d": ("brief / honest floor (full)", 1.25),
    "e": ("batch of 12, --jobs 2 / sequential CLI loop", 0.15),
    "f": ("batch of 36, --jobs 2 / sequential CLI loop", 0.15),
    "g": ("import relations + load all tables (s)", 0.5),
}


def timed(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def baseline(out: Path, params: dict, name: str) -> float:
    """papermill CLI + nbconvert CLI, as a user would run them by hand."""
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{name}.ipynb"
    cmd = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "--no-progress-bar"]
    for k, v in params.items():
        cmd += ["-y", json.dumps({k: v})]  # JSON is YAML: lists and strings pass unchanged
    t = timed(cmd)
    t += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return t


def brief(out: Path, length: str) -> float:
    return timed([str(BIN / "relations"), "brief", "--quiet", "--length", length, "--output-dir", str(out)])


def floor(out: Path, length: str) -> float:
    return timed([sys.executable, str(FLOOR), str(out), "--length", length])


def same_figures(brief_dir: Path, floor_dir: Path) -> bool:
    """The floor's PNG files are byte for byte the images of the briefing's notebook."""
    import nbformat

    (ipynb,) = brief_dir.glob("*.ipynb")
    nb = nbformat.read(ipynb, as_version=4)
    ours = [
        base64.b64decode(o["data"]["image/png"])
        for c in nb.cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    theirs = [p.read_bytes() for p in sorted(floor_dir.glob("figure-*.png"))]
    return bool(ours) and ours == theirs


def grid_sets(groups: list[list[str]]) -> list[dict]:
    from relations.batch_spec import expand_spec

    return expand_spec({"grid": {"periods": {"quarters": QUARTERS}, "domains": groups}})


def batch(tmp: Path, name: str, groups: list[list[str]]) -> float:
    spec = tmp / f"{name}.yaml"
    spec.write_text(json.dumps({"grid": {"periods": {"quarters": QUARTERS}, "domains": groups}}))
    out = tmp / f"{name}-out"
    cmd = [str(BIN / "relations"), "batch", str(spec), "--jobs", "2", "--force", "--quiet"]
    return timed([*cmd, "--output-dir", str(out)])


def import_and_load() -> float:
    code = (
        "import time; t = time.perf_counter(); import relations; "
        "[relations.load(t) for t in relations.tables()]; print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs per single-briefing measurement (median)")
    ap.add_argument("--batch-repeat", type=int, default=1, help="runs per batch measurement (median)")
    ap.add_argument("--skip-batch", action="store_true", help="leave out (e) and (f)")
    ap.add_argument("--json", default=str(HERE / "results.json"), help="where to write the results")
    args = ap.parse_args(argv)
    runs: dict[str, list[float]] = {}
    checks: dict[str, bool] = {}
    load_before = os.getloadavg()[0]
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="relations-bench-") as tmpdir:
        tmp = Path(tmpdir)
        # untimed warm-up of every pipeline (data-check cache, OS file cache)
        brief(tmp / "warm-brief", "executive")
        floor(tmp / "warm-floor", "executive")
        baseline(tmp / "warm-base", {}, "briefing")
        # (a)-(d): one briefing, the three pipelines alternated
        for length in ("executive", "full"):
            for i in range(args.repeat):
                d = tmp / f"{length}-{i}"
                runs.setdefault(f"brief {length}", []).append(brief(d / "brief", length))
                runs.setdefault(f"floor {length}", []).append(floor(d / "floor", length))
                base = baseline(d / "base", {"length": length}, "briefing")
                runs.setdefault(f"papermill + nbconvert CLI {length}", []).append(base)
                key = f"floor draws the same PNGs as the briefing ({length})"
                checks[key] = checks.get(key, True) and same_figures(d / "brief", d / "floor")
        # (e)-(f): batches vs a sequential loop of the baseline
        if not args.skip_batch:
            for n, groups in ((12, [[]]), (36, DOMAIN_GROUPS)):
                sets = grid_sets(groups)
                assert len(sets) == n, (n, len(sets))
                for i in range(args.batch_repeat):
                    runs.setdefault(f"batch {n}", []).append(batch(tmp, f"batch{n}-{i}", groups))
                    loop = sum(baseline(tmp / f"loop{n}-{i}", s, f"b{j}") for j, s in enumerate(sets))
                    runs.setdefault(f"sequential CLI loop {n}", []).append(loop)
        # (g) import + load every table, in a fresh interpreter
        runs["import + load"] = [import_and_load() for _ in range(args.repeat)]
    med = {k: statistics.median(v) for k, v in runs.items()}
    ratios = {
        "a": med["brief executive"] / med["papermill + nbconvert CLI executive"],
        "b": med["brief executive"] / med["floor executive"],
        "c": med["brief full"] / med["papermill + nbconvert CLI full"],
        "d": med["brief full"] / med["floor full"],
        "g": med["import + load"],
    }
    if not args.skip_batch:
        ratios["e"] = med["batch 12"] / med["sequential CLI loop 12"]
        ratios["f"] = med["batch 36"] / med["sequential CLI loop 36"]
    print(f"{'measurement':<44} {'median s':>9}  runs")
    for label, values in runs.items():
        print(f"{label:<44} {med[label]:9.2f}  {', '.join(f'{v:.2f}' for v in values)}")
    print()
    print(f"{'':4}{'ratio / value':<50} {'measured':>9} {'target':>8}  met")
    for key in sorted(ratios):
        what, target = TARGETS[key]
        value = ratios[key]
        verdict = "yes" if value <= target else "NO"
        print(f"({key}) {what:<50} {value:9.3f} {'<=' + str(target):>8}  {verdict}")
    for what, ok in checks.items():
        print(f"check: {what}: {'yes' if ok else 'NO'}")
    out = {
        "runs": runs,
        "medians": med,
        "ratios": ratios,
        "targets": {k: v[1] for k, v in TARGETS.items()},
        "met": {k: ratios[k] <= TARGETS[k][1] for k in ratios},
        "checks": checks,
        "repeat": args.repeat,
        "batch_repeat": args.batch_repeat,
        "machine": machine(),
        "relations": str(Path(__import__("relations").__file__).parent),
        "load_average_at_start": round(load_before, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "wall_seconds": round(time.perf_counter() - t_start, 1),
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
