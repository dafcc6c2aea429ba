#!/usr/bin/env bash
# Login latency under a large chat import, and the memory of a 1 GB upload,
# against a real `lvxin serve` (SQLite) on loopback. Prints the median ratio
# of loaded to idle login p99 over alternating runs, their spread and the
# load average, then the serve process's peak RSS during a 1 GB evidence
# upload. Usage: bench/login/run.sh [-pairs 3] [-phase 10s] [-upload-mb 1024]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/lvxin
go build -o "$bin" ./cmd/lvxin
go run ./bench/login -lvxin "$bin" "$@"
