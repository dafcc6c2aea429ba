#!/usr/bin/env bash
# Chat archive import benchmark. Baseline: the sqlite3 command-line tool
# importing the same message texts into an FTS5 trigram table (WAL,
# synchronous=FULL, one transaction). lvxin: `lvxin import` of the generated
# WeChatMsg export of N messages (parse, export kept in the blob store,
# messages, bigram index, de-duplication, audit; one transaction), on
# SQLite and, with LVXIN_BENCH_DATABASE_URL=postgres://… (a database this
# script may empty), on PostgreSQL. Baseline and lvxin runs alternate,
# PAIRS times (default 3); it prints each pair, the median ratio, the
# spread, peak memory and the load average, then search latency once.
# Usage: bench/chat/run.sh [N]      Needs: sqlite3, bc, GNU time (/usr/bin/time); psql for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
PAIRS="${PAIRS:-3}"
PG="${LVXIN_BENCH_DATABASE_URL:-}"
for tool in sqlite3 bc /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[ -z "$PG" ] || command -v psql >/dev/null || { echo "psql is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lvxin" ./cmd/lvxin
go build -o "$work/chatbench" ./bench/chat
go build -o "$work/modernc" ./bench/chat/modernc
cd "$work"
./chatbench gen -n "$N" -out export.csv -texts-csv texts.csv -texts-txt texts.txt
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(load)"
echo "export: $N messages, $(du -m export.csv | cut -f1) MB; texts $(du -m texts.txt | cut -f1) MB; $PAIRS pairs"

now() { date +%s.%N; }
baseline() {
	rm -f base.db base.db-wal base.db-shm
	sync
	local start; start=$(now)
	sqlite3 base.db >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE messages(body TEXT);
CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', tokenize='trigram');
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END;
.import --csv texts.csv messages
SQL
	echo "$(now) - $start" | bc
}
# The same baseline through modernc.org/sqlite, the pure-Go SQLite lvxin
# is built on: what the SQLite build alone costs against the native CLI.
modernc_baseline() {
	rm -f mbase.db mbase.db-wal mbase.db-shm
	sync
	local start; start=$(now)
	./modernc -db mbase.db -texts texts.csv >/dev/null
	echo "$(now) - $start" | bc
}
# lvxin_import DIR [URL]: prints "seconds peak-KiB"
lvxin_import() {
	rm -rf "$1" && mkdir "$1"
	sync
	local args=(--data "$1")
	[ -z "${2:-}" ] || args+=(--database-url "$2")
	local start; start=$(now)
	/usr/bin/time -o rss.txt -f '%M' ./lvxin "${args[@]}" import export.csv >/dev/null
	echo "$(echo "$(now) - $start" | bc) $(cat rss.txt)"
}
median() { sort -g | awk '{v[NR]=$1} END {printf "%.3f (spread %.3f–%.3f)", v[int((NR+1)/2)], v[1], v[NR]}'; }

sq_ratios=""; pg_ratios=""; mc_ratios=""; eng_ratios=""; rss=""
for p in $(seq "$PAIRS"); do
	l0=$(load)
	base=$(baseline)
	read -r ours kib <<<"$(lvxin_import data)"
	mbase=$(modernc_baseline)
	r=$(echo "scale=4; $ours / $base" | bc)
	mr=$(echo "scale=4; $ours / $mbase" | bc)
	er=$(echo "scale=4; $mbase / $base" | bc)
	sq_ratios+="$r"$'\n'; mc_ratios+="$mr"$'\n'; eng_ratios+="$er"$'\n'; rss+="$kib"$'\n'
	line="pair $p: sqlite3 ${base} s, lvxin SQLite ${ours} s (peak $((kib / 1024)) MiB), ratio $r; same baseline on modernc.org/sqlite ${mbase} s (modernc/sqlite3 $er, lvxin/modernc $mr)"
	if [ -n "$PG" ]; then
		PGOPTIONS='-c client_min_messages=warning' psql -q "$PG" -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' >/dev/null
		read -r pgs pgkib <<<"$(lvxin_import pgdata "$PG")"
		pr=$(echo "scale=4; $pgs / $ours" | bc)
		pg_ratios+="$pr"$'\n'
		line+="; lvxin PostgreSQL ${pgs} s (peak $((pgkib / 1024)) MiB), PostgreSQL/SQLite $pr"
	fi
	echo "$line; load $l0 → $(load)"
done
echo "database: $(du -m data/lvxin.db | cut -f1) MB (sqlite3 baseline: $(du -m base.db | cut -f1) MB)"
echo "peak memory of lvxin import (SQLite), MiB: $(printf '%s' "$rss" | awk '{printf "%d ", $1/1024}')"
./chatbench search -data data -texts texts.txt
echo "ratio: $(printf '%s' "$sq_ratios" | median) lvxin SQLite import / sqlite3 FTS5 import, median of $PAIRS pairs; load $(load)"
echo "engine: $(printf '%s' "$eng_ratios" | median) the sqlite3 baseline run on modernc.org/sqlite / on the sqlite3 CLI; lvxin SQLite import / that modernc baseline: $(printf '%s' "$mc_ratios" | median)"
[ -z "$PG" ] || echo "ratio: $(printf '%s' "$pg_ratios" | median) lvxin PostgreSQL import / lvxin SQLite import, median of $PAIRS pairs; load $(load)"
