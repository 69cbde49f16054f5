#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut 3 (issue 15 §4). Not part of CI.
#
#   benchmarks/mutation/run.sh [--head] [--max-children N] [MODULE ...]
#
# MODULE is a dotted module name (relations.briefing.scope) or a mutant-name glob
# (relations.plot.*_data__mutmut_*); without one, the modules whose tests are fast.
# --head mutates the last commit instead of the working tree.
#
# The tree is copied to $MUTATION_WORKDIR (default: /tmp/relations-mutation) and mutmut runs
# there, configured by [tool.mutmut] in pyproject.toml: every in-process test that is not
# marked notebooks or browser runs against each mutant it reaches (mutmut maps tests to
# functions first). Finally score.py prints killed/survived per module and the score.
# Allow about 10-40 minutes per module on two cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
work=${MUTATION_WORKDIR:-${TMPDIR:-/tmp}/relations-mutation}
children=2
head=0
modules=()
while [ $# -gt 0 ]; do
  case "$1" in
    --head) head=1 ;;
    --max-children) children=$2; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) modules+=("$1") ;;
  esac
  shift
done
if [ ${#modules[@]} -eq 0 ]; then
  modules=(relations.briefing.scope relations.briefing.analysis relations.briefing.bluf relations.params
           relations.outputs relations.batch_spec relations.rules)
fi
patterns=()
for m in "${modules[@]}"; do
  case "$m" in *'*'*) patterns+=("$m") ;; *) patterns+=("$m.*") ;; esac
done

"$python" -c "import mutmut" 2>/dev/null || "$python" -m pip install -q "mutmut>=3.8,<4"
mutmut="$(dirname "$python")/mutmut"

rm -rf "$work" && mkdir -p "$work/src" "$work/cache"
if [ $head -eq 1 ]; then
  git -C "$repo" archive HEAD | tar -x -C "$work/src"
else  # tracked and new files as they are now, without ignored ones (.venv, outputs)
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
    | tar --null -T - -cf -) | tar -x -C "$work/src"
fi

cd "$work/src"
echo "== mutmut in $work/src on: ${patterns[*]}"
start=$(date +%s)
XDG_CACHE_HOME="$work/cache" MPLBACKEND=Agg "$mutmut" run --max-children "$children" "${patterns[@]}" \
  > "$work/mutmut.log" 2>&1 || { tail -40 "$work/mutmut.log"; exit 1; }
echo "== $(( $(date +%s) - start )) s; log in $work/mutmut.log"
"$python" "$repo/benchmarks/mutation/score.py" "${patterns[@]}"
