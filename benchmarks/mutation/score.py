"""Print mutmut 3 results per module: mutants, killed, survived, no test, pending, score.

Run inside the folder holding ``mutants/`` (run.sh does). Optional arguments are mutant-name
globs; only those mutants are counted. ``--survivors`` lists the surviving mutants' names.
Score = killed / (killed + survived + no test); a timeout or a type-check failure counts as
killed, a mutant not run yet (or interrupted, suspicious) as pending and not in the score.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # failing test, pytest error, timeout, type check
SURVIVED = {0}
NO_TEST = {33, 5}  # no test reaches the mutated function


def kind(code: int | None) -> str:
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TEST:
        return "no test"
    return "pending"


def main(argv: list[str]) -> int:
    show = "--survivors" in argv
    patterns = [a for a in argv if not a.startswith("--")] or ["*"]
    rows, survivors = [], []
    total: Counter[str] = Counter()
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        codes = {k: v for k, v in codes.items() if any(fnmatch.fnmatch(k, p) for p in patterns)}
        if not codes:
            continue
        c: Counter[str] = Counter(kind(code) for code in codes.values())
        survivors += [
            f"{k}{'  (no test)' if kind(v) == 'no test' else ''}"
            for k, v in codes.items()
            if kind(v) in ("survived", "no test")
        ]
        rows.append((str(meta.relative_to("mutants"))[: -len(".meta")], len(codes), c))
        total.update(c)
        total["mutants"] += len(codes)
    rows.append(("total", total["mutants"], total))
    head = ("mutants", "killed", "survived", "no test", "pending", "score")
    print(f"{'module':34} " + " ".join(f"{h:>7}" for h in head))
    for module, n, c in rows:
        k, s, none = c["killed"], c["survived"], c["no test"]
        score = f"{k / (k + s + none):.1%}" if k + s + none else "-"
        print(f"{module:34} {n:7} {k:7} {s:7} {none:7} {c['pending']:7} {score:>7}")
    if show:
        print("\nsurviving mutants (see one with: mutmut show NAME):")
        print("\n".join(f"  {name}" for name in sorted(survivors)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
