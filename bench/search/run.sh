#!/usr/bin/env bash
# Chat search benchmark: p50/p95 of searches that find many messages, AND
# searches of common words that find none, and searches of a word no
# message holds, through archive.Service.Search (newest 50 with highlights)
# on a generated archive, against grep over the same message texts; grep
# and lvxin runs alternate (3 pairs), printing the median ratio, its spread
# and the load average; each kind (hit, zero-hit AND, absent) is reported
# on its own with p50, p95, CPU per query and how many searches stopped at
# the request budget (archive.Service.SearchPage, store.DefaultSearchBudget;
# `searchbench run -budget -1` searches the whole archive, `-budget N` sets
# another budget). Then FTS5's cost for AND terms in three orders, and for
# one AND statement bounded to the newest / oldest window of rowids (FTS5
# reads a zero-hit AND's whole doclists whatever the rowid bound: why
# search stops at day marks, see docs/SEARCH.md).
# Usage: bench/search/run.sh [N] [PG_N]    (default 1000000 messages on SQLite)
# With LVXIN_BENCH_DATABASE_URL=postgres://… (an empty database) it also
# imports PG_N messages (default 200000) there and measures PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
PG_N="${2:-200000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lvxin" ./cmd/lvxin
go build -o "$work/searchbench" ./bench/search
cd "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1 /proc/loadavg)"
./searchbench gen -n "$N" -out export.csv -texts texts.txt
mkdir data
start=$(date +%s)
./lvxin --data data import export.csv >/dev/null
echo "SQLite: imported $N messages in $(( $(date +%s) - start )) s"
./searchbench run -data data -texts texts.txt -pairs 3
./searchbench order -db data/lvxin.db -rounds 30
./searchbench ranges -db data/lvxin.db -rounds 20
if [ -n "${LVXIN_BENCH_DATABASE_URL:-}" ]; then
	./searchbench gen -n "$PG_N" -out pg.csv -texts pg.txt
	mkdir pgdata
	start=$(date +%s)
	./lvxin --data pgdata --database-url "$LVXIN_BENCH_DATABASE_URL" import pg.csv >/dev/null
	echo "PostgreSQL: imported $PG_N messages in $(( $(date +%s) - start )) s"
	./searchbench run -data pgdata -database-url "$LVXIN_BENCH_DATABASE_URL" -texts pg.txt -pairs 3
fi
