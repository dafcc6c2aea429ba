#!/usr/bin/env bash
# Digest benchmark: ledger.Digest (SHA-256 and SM3 in parallel) against
# `openssl dgst -sm3` and `openssl dgst -sha256` on the same 1 GB file.
# Prints `ratio: X` = our time / openssl sm3 time (target: at most 1.1).
# Usage: bench/ledger/run.sh [size-in-bytes]   (run from the repository root)
set -euo pipefail
size=${1:-1073741824}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
file=$dir/evidence.bin
bin=$dir/digest

go build -o "$bin" ./bench/ledger/digest
"$bin" -gen "$file" -size "$size"
cat "$file" > /dev/null # warm the page cache so every run reads from memory

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

t0=$(now); sm3_out=$(openssl dgst -sm3 "$file"); t1=$(now)
openssl_sm3=$(elapsed "$t0" "$t1")
t0=$(now); sha_out=$(openssl dgst -sha256 "$file"); t1=$(now)
openssl_sha=$(elapsed "$t0" "$t1")
ours_out=$("$bin" -digest "$file")
ours=$(echo "$ours_out" | awk '/^seconds:/ {print $2}')

# The digests must agree, or the timing means nothing.
[ "$(echo "$ours_out" | awk '/^sm3:/ {print $2}')" = "${sm3_out##* }" ] || { echo "SM3 mismatch" >&2; exit 1; }
[ "$(echo "$ours_out" | awk '/^sha256:/ {print $2}')" = "${sha_out##* }" ] || { echo "SHA-256 mismatch" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(openssl version)"
printf 'size: %d bytes\n' "$size"
printf 'openssl sm3: %.3f s\nopenssl sha256: %.3f s\nledger.Digest (sha256+sm3): %.3f s\n' "$openssl_sm3" "$openssl_sha" "$ours"
awk -v a="$ours" -v b="$openssl_sm3" 'BEGIN { printf "ratio: %.2f\n", a / b }'
