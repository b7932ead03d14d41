#!/usr/bin/env bash
# Proxy fidelity at ≤ 100k parameters: scores the random arm of the ≤ 100k `bench final` again at other proxy fidelities
# and ranks each against the test accuracies its rank sample measured after full training (ProxyFidelity.java).
# Random search draws its networks from the seed alone, so the same 30 networks come back on any machine; the record
# names 20 of them. Resumable: a finished fidelity leaves WORK/<name>.done.
#
# bench/proxy-fidelity.sh WORK [EPOCHSxIMAGES[sSEED] ...]      (default: 3x4000 3x12000 9x4000; BACKEND=torch)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
record="$root/bench/results/final-100000-2026-12-06.md"
work="${1:?usage: bench/proxy-fidelity.sh WORK [EPOCHSxIMAGES ...]}"; shift
[ $# -gt 0 ] || set -- 3x4000 3x12000 9x4000
mkdir -p "$work"
work="$(cd "$work" && pwd)"
nas="$root/nas"
cols=()
pairs=()
for f in "$@"; do
  # EPOCHSxIMAGES, or EPOCHSxIMAGESsSEED for another fidelity.seed (how far the proxy's own noise moves its ranking)
  spec="${f%s*}"; seed=1; [ "$spec" != "$f" ] && seed="${f##*s}"
  epochs="${spec%x*}"; images="${spec#*x}"; name="p$f"
  if [ ! -f "$work/$name.done" ]; then
    # the random arm's campaign (FinalBenchCommand.configs: the quickstart, the budget, strategy random), this fidelity
    { grep -v '^#\|^stop:\|max_evaluations\|^budget:\|max_params\|max_macs\|^strategy:' "$root/campaign/src/main/resources/quickstart.yaml" \
        | sed "s/^  epochs: 3$/  epochs: $epochs/; s/^  train_size: 4000$/  train_size: $images/; s/^  seed: 1$/  seed: $seed/"
      printf 'name: %s\nstrategy: random\nbudget:\n  max_params: 100000\n  max_macs: 11000000\nstop:\n  max_evaluations: 30\n' "$name"
      printf 'cache: false\nbackend: %s\ndb: %s\n' "${BACKEND:-torch}" "$work/db"; } > "$work/$name.yaml"
    if "$nas" db top --db "$work/db" --campaign "$name" -k 1 >/dev/null 2>&1; then
      "$nas" search --resume "$name" --db "$work/db" --top 30 > "$work/$name.log"
    else
      "$nas" search "$work/$name.yaml" --top 30 > "$work/$name.log"
    fi
    touch "$work/$name.done"
  fi
  "$nas" db top --db "$work/db" --campaign "$name" -k 100 --format json > "$work/$name.json"
  label="$epochs ep × $images img (${BACKEND:-torch})"
  if [ "$seed" = 1 ]; then
    cols+=("$label=$work/$name.json")
  elif [ -f "$work/p$spec.json" ]; then
    # a second seed of a fidelity that ran: its scores alone, the mean of both seeds, and how well the seeds agree
    cols+=("${label%)}, seed $seed)=$work/$name.json" "${label%)}, mean of seeds 1 and $seed)=$work/p$spec.json+$work/$name.json")
    pairs+=("$label~${label%)}, seed $seed)")
  else
    cols+=("${label%)}, seed $seed)=$work/$name.json")
  fi
done
exec java -cp "$root/cli/target/anynas-cli.jar:$root/cli/target/lib/*" "$root/bench/ProxyFidelity.java" "$record" "${cols[@]}" \
  ${pairs[@]+"${pairs[@]}"}
