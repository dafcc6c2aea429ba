#!/usr/bin/env bash
# Page benchmark: p95 of the dashboard, a matter page, /chats, a
# conversation and the global search of a real `lvxin serve` holding 200
# lawyers, 20,000 matters and 1,000,000 messages, each as a ratio against
# /healthz in the same run (baseline and page alternate, 3 pairs; median,
# spread and load average printed).
# Set LVXIN_BENCH_DATABASE_URL=postgres://… to measure PostgreSQL as well.
# Usage: bench/web/pages.sh [-messages 1000000] [-matters 20000] [-lawyers 200] [-pairs 3] [-n 200]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lvxin" ./cmd/lvxin
go build -o "$work/pages" ./bench/web/pages
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$work/pages" -lvxin "$work/lvxin" "$@"
# With LVXIN_BENCH_DATABASE_URL=postgres://… (a database this script may
# empty) the same firm is measured again on PostgreSQL.
if [ -n "${LVXIN_BENCH_DATABASE_URL:-}" ]; then
	PGOPTIONS='-c client_min_messages=warning' psql -q "$LVXIN_BENCH_DATABASE_URL" -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' >/dev/null
	"$work/pages" -lvxin "$work/lvxin" -database-url "$LVXIN_BENCH_DATABASE_URL" "$@"
fi
