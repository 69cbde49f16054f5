"""Benchmarks of the briefing engine, each against a baseline measured in the same run.

    python benchmarks/run.py [--repeat 3] [--batch 12] [--json benchmarks/results.json]

(a) ``relations brief`` vs the baseline pipeline: the ``papermill`` CLI, then
    ``jupyter nbconvert --to html --no-input``, on the same notebook and parameters;
(b) ``relations batch`` of 12 briefings with ``--jobs 2`` vs a sequential loop of that baseline;
(c) the floor: the notebook's code run as one plain Python script, vs ``relations brief``;
(d) ``import relations`` plus loading every table, in a fresh interpreter.

The machines are shared and noisy, so every figure is a median of ``--repeat`` runs,
and the targets are ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "briefing.ipynb"
TARGETS = {"a": ("<=", 0.5), "b": ("<=", 0.25), "c": ("<=", 1.5), "d": ("<=", 0.5)}


def timed(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def baseline(out: Path, params: dict[str, str], name: str) -> float:
    """papermill CLI + nbconvert CLI, as a user would run them by hand."""
    executed = out / f"{name}.ipynb"
    cmd = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "--no-progress-bar"]
    for k, v in params.items():
        cmd += ["-p", k, v]
    t = timed(cmd)
    t += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return t


def brief(out: Path, params: dict[str, str]) -> float:
    cmd = [str(BIN / "relations"), "brief", "--quiet", "--output-dir", str(out)]
    for k, v in params.items():
        cmd += [f"--{k}", v]
    return timed(cmd)


def floor_script(tmp: Path) -> Path:
    """The notebook's code cells as one script (parameters at their defaults, display to nothing)."""
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    lines = ["import matplotlib", "matplotlib.use('Agg')"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines.append(cell.source)
    lines.append("for name in dir(briefing):\n    pass")
    path = tmp / "floor.py"
    path.write_text("\n".join(lines) + "\n")
    return path


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median; default 3)")
    ap.add_argument("--batch", type=int, default=12, help="briefings in the batch (default 12)")
    ap.add_argument("--json", default="benchmarks/results.json", help="where to write the results")
    args = ap.parse_args(argv)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="relations-bench-") as tmpdir:
        tmp = Path(tmpdir)
        # (a) one default briefing, alternating the two pipelines
        ours, theirs = [], []
        for i in range(args.repeat):
            (tmp / f"a-base-{i}").mkdir()
            theirs.append(baseline(tmp / f"a-base-{i}", {}, "briefing"))
            ours.append(brief(tmp / f"a-ours-{i}", {}))
        results["a"] = {"relations brief": median(ours), "papermill + nbconvert CLI": median(theirs)}
        # (b) a batch of quarterly briefings
        import pandas as pd

        quarters = pd.period_range("2024Q1", periods=args.batch, freq="Q")
        sets = [
            {"start": q.start_time.date().isoformat(), "end": q.end_time.date().isoformat()} for q in quarters
        ]
        spec = tmp / "spec.yaml"
        spec.write_text(
            "briefings:\n" + "".join(f"  - {{start: '{s['start']}', end: '{s['end']}'}}\n" for s in sets)
        )
        t_batch = timed(
            [
                str(BIN / "relations"),
                "batch",
                str(spec),
                "--jobs",
                "2",
                "--force",
                "--quiet",
                "--output-dir",
                str(tmp / "b-ours"),
            ]
        )
        (tmp / "b-base").mkdir()
        t_loop = sum(baseline(tmp / "b-base", s, f"q{i}") for i, s in enumerate(sets))
        results["b"] = {
            f"relations batch ({args.batch}, --jobs 2)": t_batch,
            f"sequential baseline loop ({args.batch})": t_loop,
        }
        # (c) the floor: the same code as a plain script
        script = floor_script(tmp)
        floor = [timed([sys.executable, str(script)], env=env, cwd=tmp) for _ in range(args.repeat)]
        results["c"] = {"relations brief": median(ours), "plain Python script (floor)": median(floor)}
        # (d) import + load every table, in a fresh interpreter
        code = (
            "import time; t = time.perf_counter(); import relations; "
            "[relations.load(t) for t in relations.tables()]; print(time.perf_counter() - t)"
        )
        loads = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], check=True, capture_output=True, text=True
                ).stdout
            )
            for _ in range(args.repeat)
        ]
        results["d"] = {"import relations + load all tables (s)": median(loads)}
    ratios = {
        "a": results["a"]["relations brief"] / results["a"]["papermill + nbconvert CLI"],
        "b": t_batch / t_loop,
        "c": results["c"]["relations brief"] / results["c"]["plain Python script (floor)"],
        "d": results["d"]["import relations + load all tables (s)"],
    }
    print(f"{'measurement':<58} {'median s':>9}")
    for key, figures in results.items():
        for label, value in figures.items():
            print(f"({key}) {label:<54} {value:9.2f}")
    print()
    print(f"{'':4}{'ratio / value':<40} {'measured':>9} {'target':>9}  met")
    names = {
        "a": "brief / baseline",
        "b": "batch / sequential baseline",
        "c": "brief / floor",
        "d": "import + load (s)",
    }
    for key, value in ratios.items():
        op, target = TARGETS[key]
        print(
            f"({key}) {names[key]:<40} {value:9.2f} {op + str(target):>9}  "
            f"{'yes' if value <= target else 'NO'}"
        )
    out = {
        "results": results,
        "ratios": ratios,
        "targets": {k: v[1] for k, v in TARGETS.items()},
        "repeat": args.repeat,
        "batch": args.batch,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
