"""Print mutmut 3 results per module: mutants, killed, survived, other, score.

Run inside the folder holding ``mutants/`` (run.sh does). Optional arguments are mutant-name
globs; only those mutants are counted. ``--survivors`` lists the surviving mutants' names.
Score = killed (incl. timeouts) / (killed + survived); mutants with no covering test count
as survived.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # failing test, pytest error, timeout, type check
SURVIVED = {0, 33, 5}  # tests passed, no test reaches it


def main(argv: list[str]) -> int:
    show = "--survivors" in argv
    patterns = [a for a in argv if not a.startswith("--")] or ["*"]
    rows, survivors = [], []
    total = Counter()
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        codes = {k: v for k, v in codes.items() if any(fnmatch.fnmatch(k, p) for p in patterns)}
        if not codes:
            continue
        c = Counter()
        for name, code in codes.items():
            kind = "killed" if code in KILLED else "survived" if code in SURVIVED else "other"
            c[kind] += 1
            if kind == "survived":
                survivors.append(f"{name}{'  (no test)' if code in (33, 5) else ''}")
        module = str(meta.relative_to("mutants"))[: -len(".meta")]
        rows.append((module, len(codes), c["killed"], c["survived"], c["other"]))
        total.update(c)
        total["mutants"] += len(codes)
    print(f"{'module':38} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>5} {'score':>6}")
    for module, n, k, s, o in rows:
        print(f"{module:38} {n:7} {k:7} {s:8} {o:5} {k / max(k + s, 1):6.1%}")
    k, s = total["killed"], total["survived"]
    print(f"{'total':38} {total['mutants']:7} {k:7} {s:8} {total['other']:5} {k / max(k + s, 1):6.1%}")
    if show:
        print("\nsurviving mutants (see one with: mutmut show NAME):")
        print("\n".join(f"  {name}" for name in sorted(survivors)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
