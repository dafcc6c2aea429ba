#!/bin/sh
# Redaction throughput of this tree against another revision (default main),
# measured in alternating pairs on the same machine so that load changes hit
# both sides alike. Both sides run this tree's harness (bench/redact/main.go,
# copied into the old tree) on the same generated text; the harness reports
# wall-clock and CPU-time throughput. Prints every pair, the medians and the
# ratios new/old.
# Usage: [CORPUS=internal/redact/testdata/corpus.txt] bench/redact/compare.sh [REV] [PAIRS] [MB]
# (defaults: main 5 20; with CORPUS, the labelled posts instead of generated sentences)
set -eu
cd "$(dirname "$0")/../.."
rev="${1:-main}"; pairs="${2:-5}"; mb="${3:-20}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/old"
git archive "$rev" | tar -x -C "$tmp/old"
cp bench/redact/main.go "$tmp/old/bench/redact/main.go"
(cd "$tmp/old" && go build -o "$tmp/bench-old" ./bench/redact)
go build -o "$tmp/bench-new" ./bench/redact
run() { "$1" -mb "$mb" -pairs 1 ${CORPUS:+-corpus "$CORPUS"} > "$tmp/out"; w=$(sed -n 's/^pair 1: .*redact (pseudonym) \([0-9.]*\) MB\/s.*$/\1/p' "$tmp/out"); c=$(sed -n 's/^redact cpu: \([0-9.]*\) MB\/s.*$/\1/p' "$tmp/out"); }
for f in ow oc nw nc; do : > "$tmp/$f"; done
i=1
while [ "$i" -le "$pairs" ]; do
	run "$tmp/bench-old"; ow=$w; oc=$c; echo "$w" >> "$tmp/ow"; echo "$c" >> "$tmp/oc"
	run "$tmp/bench-new"; echo "$w" >> "$tmp/nw"; echo "$c" >> "$tmp/nc"
	echo "pair $i: $rev $ow MB/s (cpu $oc), this tree $w MB/s (cpu $c), load $(cut -d' ' -f1 /proc/loadavg)"
	i=$((i + 1))
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median wall: $rev $(median "$tmp/ow") MB/s, this tree $(median "$tmp/nw") MB/s"
echo "median cpu:  $rev $(median "$tmp/oc") MB/s, this tree $(median "$tmp/nc") MB/s"
echo "ratio wall: $(awk -v a="$(median "$tmp/nw")" -v b="$(median "$tmp/ow")" 'BEGIN {printf "%.3f", a/b}')"
echo "ratio cpu: $(awk -v a="$(median "$tmp/nc")" -v b="$(median "$tmp/oc")" 'BEGIN {printf "%.3f", a/b}')"
