#!/usr/bin/env bash
# Conflict check over 100,000 contacts and 50,000 matters (100,000 parties):
# p95 latency of the indexed check against a plain full-table scan of the
# same database, alternating PAIRS times (default 3) in the same run; each
# pair is printed with the load average, then the median ratio and spread.
# Runs on SQLite always and, with LVXIN_BENCH_DATABASE_URL=postgres://… (a
# database this script may wipe: its public schema is dropped and recreated
# first; needs psql), on PostgreSQL too, reporting both.
# Usage: [PAIRS=3] bench/conflict/run.sh [contacts] [matters]   (default 100000 50000)
set -euo pipefail
cd "$(dirname "$0")/../.."
contacts=${1:-100000}
matters=${2:-50000}
pairs=${PAIRS:-3}
PG=${LVXIN_BENCH_DATABASE_URL:-}
[ -z "$PG" ] || command -v psql > /dev/null || { echo "psql is not installed" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/conflictbench" ./bench/conflict

echo "== SQLite"
"$dir/conflictbench" -contacts "$contacts" -matters "$matters" -pairs "$pairs" | tee "$dir/sqlite.txt"
if [ -n "$PG" ]; then
  echo
  echo "== PostgreSQL"
  PGOPTIONS='-c client_min_messages=warning' psql -q "$PG" -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' > /dev/null
  "$dir/conflictbench" -contacts "$contacts" -matters "$matters" -pairs "$pairs" -database-url "$PG" | tee "$dir/pg.txt"
fi
echo
echo "summary:"
sed -n 's/^ratio (/SQLite: ratio (/p' "$dir/sqlite.txt"
[ -z "$PG" ] || sed -n 's/^ratio (/PostgreSQL: ratio (/p' "$dir/pg.txt"
# The last line stays `ratio: X`, the SQLite median (PostgreSQL's is above).
grep '^ratio:' "$dir/sqlite.txt"
