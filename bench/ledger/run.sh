#!/usr/bin/env bash
# Evidence benchmarks, all in one run on the same machine:
#  1. Durable append throughput of the evidence log on SQLite
#     (synchronous=FULL): single-entry commits (baseline) against batches of
#     256 entries per transaction; compare with Tessera's published
#     1,500-10,000 entries/s. Target: at least 2,000 entries/s batched.
#  2. Intake of a 1 GB file (SHA-256 and SM3 digests, age encryption into
#     the blob store, log entry, evidence item) and ledger.Digest alone,
#     against `openssl dgst -sm3` and `openssl dgst -sha256` on the same file.
# Prints `ratio: X` = intake time / openssl sm3 time (target: at most 1.1).
# Usage: bench/ledger/run.sh [size-in-bytes] [entries]   (from the repository root)
set -euo pipefail
size=${1:-1073741824}
entries=${2:-20000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
file=$dir/evidence.bin

go build -o "$dir/digest" ./bench/ledger/digest
go build -o "$dir/intake" ./bench/ledger/intake

append_out=$("$dir/intake" -append "$entries" -batch 256)
single=$(echo "$append_out" | awk '/^single_per_s:/ {print $2}')
batched=$(echo "$append_out" | awk '/^batched_per_s:/ {print $2}')

"$dir/digest" -gen "$file" -size "$size"
cat "$file" > /dev/null # warm the page cache so every run reads from memory

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

t0=$(now); sm3_out=$(openssl dgst -sm3 "$file"); t1=$(now)
openssl_sm3=$(elapsed "$t0" "$t1")
t0=$(now); sha_out=$(openssl dgst -sha256 "$file"); t1=$(now)
openssl_sha=$(elapsed "$t0" "$t1")
digest_out=$("$dir/digest" -digest "$file")
digest=$(echo "$digest_out" | awk '/^seconds:/ {print $2}')
TMPDIR=$dir intake_out=$("$dir/intake" -file "$file")
intake=$(echo "$intake_out" | awk '/^seconds:/ {print $2}')

# The digests must agree, or the timing means nothing.
for out in "$digest_out" "$intake_out"; do
  [ "$(echo "$out" | awk '/^sm3:/ {print $2}')" = "${sm3_out##* }" ] || { echo "SM3 mismatch" >&2; exit 1; }
  [ "$(echo "$out" | awk '/^sha256:/ {print $2}')" = "${sha_out##* }" ] || { echo "SHA-256 mismatch" >&2; exit 1; }
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(openssl version), load $(cut -d' ' -f1 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%d)"
printf 'log append, one commit per entry: %s entries/s\n' "$single"
printf 'log append, 256 entries per commit: %s entries/s (Tessera publishes 1,500-10,000/s; target >= 2,000/s)\n' "$batched"
awk -v a="$batched" -v b="$single" 'BEGIN { printf "append ratio (batched / single): %.1f\n", a / b }'
printf 'size: %d bytes\n' "$size"
printf 'openssl sm3: %.3f s\nopenssl sha256: %.3f s\nledger.Digest (sha256+sm3): %.3f s\nintake (digests + encryption + log): %.3f s\n' \
  "$openssl_sm3" "$openssl_sha" "$digest" "$intake"
awk -v a="$intake" -v b="$openssl_sm3" 'BEGIN { printf "ratio: %.2f\n", a / b }'
