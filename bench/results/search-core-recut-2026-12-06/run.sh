#!/usr/bin/env bash
# The comparison of bench/results/search-core-recut-2026-12-06.md: runs the six tiny campaigns of campaigns/ with one
# build of the CLI and dumps their rows. Usage: JAR=/path/to/a/copy/of/cli/target/anynas-cli.jar run.sh OUT_DIR
# (copy cli/target/anynas-cli.jar and cli/target/lib/ somewhere first, so that a rebuild cannot change them mid-run).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nas() { MALLOC_ARENA_MAX=2 GOMP_SPINCOUNT=1000 java -Xmx6g -jar "$JAR" "$@"; }
out="$1"; rm -rf "$out"; mkdir -p "$out"; cd "$out"
dump() { # the results view without the timing columns and host; a resume's database ids as seq numbers
  nas db export --db anynas-runs/rc-$1 --format csv | python3 -c '
import csv,sys
r=csv.reader(sys.stdin); w=csv.writer(sys.stdout, lineterminator="\n")
drop={"train_seconds","train_img_per_s","latency_ms","infer_img_per_s","host"}
h=next(r); keep=[i for i,c in enumerate(h) if c not in drop]
w.writerow([h[i] for i in keep])
rows=list(r); seq={row[0]: row[2] for row in rows}  # a resume replaces an interrupted row under a new id
for row in rows:
  if "'$1'" == "resume": row[0]=seq[row[0]]; row[5]=seq.get(row[5], row[5]); row[6]=seq.get(row[6], row[6])
  w.writerow([row[i] for i in keep])' > rows-$1.csv
  nas db top --db anynas-runs/rc-$1 -k 100 --format csv | cut -d, -f1-4 > top-$1.csv
  nas db sql --db anynas-runs/rc-$1 --format csv "SELECT generation, evaluated, cached, failed, best_acc, median_acc, best_params, best_macs FROM generation_stats ORDER BY generation" > gens-$1.csv
}
for c in evolution ladder nsga2 random torch; do
  nas search "$here/campaigns/$c.yaml" > log-$c.txt 2>&1; echo "$c rc=$?"; dump $c
done
# (e) stopped with SIGINT after STOP_AFTER seconds, then resumed (SIGINT restored: a background job starts with it ignored)
python3 -c 'import signal,os,sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
  env MALLOC_ARENA_MAX=2 GOMP_SPINCOUNT=1000 java -Xmx6g -jar "$JAR" search "$here/campaigns/resume.yaml" > log-resume-1.txt 2>&1 &
pid=$!; sleep "${STOP_AFTER:-60}"; kill -INT $pid; wait $pid; echo "resume part 1 rc=$?"
nas search --resume rc-resume --db anynas-runs/rc-resume > log-resume-2.txt 2>&1; echo "resume rc=$?"; dump resume
grep -h "^Campaign rc-.*candidates (" log-*.txt
