#!/bin/sh
# Chat archive benchmark: import of a generated WeChatMsg export of N messages
# (default 1,000,000) against the sqlite3 command-line tool importing the same
# message texts into an FTS5 trigram table, and search p50/p95 (newest 50
# with highlights) against `grep -c` over the same texts.
# Usage: bench/chat/run.sh [N]      Needs: sqlite3, grep.
set -eu
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (apt-get install sqlite3)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lvxin" ./cmd/lvxin
go build -o "$work/chatbench" ./bench/chat
cd "$work"
./chatbench gen -n "$N" -out export.csv -texts-csv texts.csv -texts-txt texts.txt
echo "machine: $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "export: $N messages, $(du -m export.csv | cut -f1) MB; texts $(du -m texts.txt | cut -f1) MB"
sync

now() { date +%s.%N; }
start=$(now)
sqlite3 base.db <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE messages(body TEXT);
CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', tokenize='trigram');
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END;
.import --csv texts.csv messages
SQL
base=$(echo "$(now) - $start" | bc)
echo "sqlite3 .import into an FTS5 trigram table: ${base} s"

mkdir data
start=$(now)
./lvxin --data data import export.csv
ours=$(echo "$(now) - $start" | bc)
echo "lvxin import (parse, blob copy, messages, bigram index, one transaction): ${ours} s"
echo "import ratio: $(echo "scale=3; $ours / $base" | bc)"
echo "database: $(du -m data/lvxin.db | cut -f1) MB (sqlite3 baseline: $(du -m base.db | cut -f1) MB)"

./chatbench search -data data -texts texts.txt | tee search.txt
echo "ratio: $(echo "scale=3; $ours / $base" | bc)"
