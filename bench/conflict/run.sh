#!/bin/sh
# Conflict check over 100,000 contacts and 50,000 matters (100,000 parties):
# p95 latency of the indexed check against a plain full-table scan of the
# same database in the same run.
# Usage: bench/conflict/run.sh [contacts] [matters]   (default 100000 50000)
# Set LVXIN_BENCH_DATABASE_URL=postgres://... to run on PostgreSQL.
set -eu
cd "$(dirname "$0")/../.."
go run ./bench/conflict -contacts "${1:-100000}" -matters "${2:-50000}" -database-url "${LVXIN_BENCH_DATABASE_URL:-}"
