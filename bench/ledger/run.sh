#!/usr/bin/env bash
# Evidence benchmarks, baseline and lvxin alternating in the same run:
#  1. Intake of one file: `openssl dgst -sm3 FILE` (baseline) against the
#     whole `lvxin --data DIR evidence add FILE` process (start-up, SHA-256
#     and SM3, age encryption into the blob store, fsync, log entry and
#     evidence item, signed checkpoint, exit), PAIRS pairs, each lvxin run
#     on a fresh data folder prepared beforehand (untimed) by preserving a
#     small file, so that start-up finds the database, keys and log in
#     place as on a lawyer's machine. The SM3 lvxin recorded must equal
#     openssl's. Target: ratio at most 1.1.
#     ledger.Digest (both digests, no encryption, in-process timer) is
#     timed in each pair too, to tell the digests from the rest.
#  2. Durable append throughput of the evidence log on SQLite
#     (synchronous=FULL): single-entry commits (baseline) against batches of
#     256 entries per transaction, alternating PAIRS times; compare with
#     Tessera's published 1,500-10,000 entries/s. Target: at least 2,000
#     entries/s batched.
# Prints every pair with the 1-minute load average and both sides' CPU time
# (with the kernel's autogroup scheduling, this script's session gets one
# share of the CPU against each other busy session however many threads it
# runs, so on a busy machine the wall-clock ratio follows the CPU-time ratio),
# the median ratio and its spread (min-max), and `ratio: X` = the median of
# lvxin / openssl sm3 wall-clock time.
# Usage: [PAIRS=3] bench/ledger/run.sh [size-in-bytes] [entries]
#        (from anywhere; default 1 GiB and 20000 entries)
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1073741824}
entries=${2:-20000}
pairs=${PAIRS:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
file=$dir/evidence.bin

load() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# stats "label" values...: median and spread of a list of ratios.
stats() {
  local label=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v label="$label" '
    { v[NR] = $1 }
    END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s: median %.2f, spread %.2f-%.2f (%d pairs)\n", label, m, v[1], v[NR], NR
    }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

go build -o "$dir/lvxin" ./cmd/lvxin
go build -o "$dir/digest" ./bench/ledger/digest
go build -o "$dir/intake" ./bench/ledger/intake

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(openssl version), $(go env GOVERSION)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load at start $(load)"

"$dir/digest" -gen "$file" -size "$size"
cat "$file" > /dev/null # warm the page cache so every run reads from memory
head -c 4096 /dev/urandom > "$dir/small.bin"

echo
echo "== intake of $size bytes: openssl dgst -sm3 vs lvxin evidence add (whole process), $pairs pairs"
ratios=()
for p in $(seq "$pairs"); do
  data=$dir/data-$p
  "$dir/lvxin" --data "$data" evidence add "$dir/small.bin" > /dev/null 2>&1 # untimed set-up

  l0=$(load)
  t0=$(now); sm3_out=$(/usr/bin/time -f '%U %S' -o "$dir/otime.txt" openssl dgst -sm3 "$file"); t1=$(now)
  openssl_s=$(elapsed "$t0" "$t1")
  read -r ouser_s osys_s < "$dir/otime.txt"
  want=${sm3_out##* }

  l1=$(load)
  t0=$(now)
  /usr/bin/time -f '%M %U %S' -o "$dir/time.txt" "$dir/lvxin" --data "$data" evidence add "$file" --json \
    > "$dir/add.json" 2> "$dir/add.err"
  t1=$(now)
  lvxin_s=$(elapsed "$t0" "$t1")
  read -r rss_kb user_s sys_s < "$dir/time.txt"
  got=$(sed -n 's/.*"sm3":"\([0-9a-f]*\)".*/\1/p' "$dir/add.json")
  if [ "$got" != "$want" ]; then
    echo "SM3 mismatch in pair $p: lvxin recorded '$got', openssl says '$want'" >&2
    cat "$dir/add.err" >&2
    exit 1
  fi

  digest_out=$("$dir/digest" -digest "$file")
  digest_s=$(echo "$digest_out" | awk '/^seconds:/ {print $2}')
  [ "$(echo "$digest_out" | awk '/^sm3:/ {print $2}')" = "$want" ] || { echo "ledger.Digest SM3 mismatch" >&2; exit 1; }

  ratio=$(awk -v a="$lvxin_s" -v b="$openssl_s" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  cpu_ratio=$(awk -v a="$user_s" -v b="$sys_s" -v c="$ouser_s" -v d="$osys_s" 'BEGIN { printf "%.2f", (a + b) / (c + d) }')
  printf 'pair %d: openssl sm3 %.3f s (load %s; cpu %.2f + %.2f) | lvxin evidence add %.3f s (load %s; cpu %.2f user + %.2f sys; peak RSS %d MiB) | ratio %.3f (cpu %s) | ledger.Digest %.3f s\n' \
    "$p" "$openssl_s" "$l0" "$ouser_s" "$osys_s" "$lvxin_s" "$l1" "$user_s" "$sys_s" $((rss_kb / 1024)) "$ratio" "$cpu_ratio" "$digest_s"
  rm -rf "$data"
done
stats "intake ratio (lvxin evidence add / openssl dgst -sm3)" "${ratios[@]}"
echo "SM3 recorded by lvxin equals openssl's in every pair; load at end $(load)"

echo
echo "== durable log appends (SQLite, synchronous=FULL), $pairs pairs"
append_out=$("$dir/intake" -append "$entries" -batch 256 -pairs "$pairs")
echo "$append_out"
# shellcheck disable=SC2207
singles=($(echo "$append_out" | awk '/^pair/ {print $4}'))
# shellcheck disable=SC2207
batches=($(echo "$append_out" | awk '/^pair/ {print $6}'))
# shellcheck disable=SC2207
aratios=($(echo "$append_out" | awk '/^pair/ {print $8}'))
printf 'log append, one commit per entry: median %s entries/s\n' "$(median "${singles[@]}")"
printf 'log append, 256 entries per commit: median %s entries/s (Tessera publishes 1,500-10,000/s; target >= 2,000/s)\n' "$(median "${batches[@]}")"
stats "append ratio (batched / single)" "${aratios[@]}"

echo
printf 'load at end: %s\n' "$(load)"
printf 'ratio: %.2f\n' "$(median "${ratios[@]}")"
