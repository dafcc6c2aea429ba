#!/usr/bin/env bash
# Web benchmark: login throughput and signed-in page renders of a real
# `lvxin serve` on loopback, each as a ratio against a bare net/http handler
# measured in the same run, the two alternating PAIRS times (default 3);
# prints every pair with the load average, the median ratio and its spread.
# Usage: [PAIRS=3] bench/web/run.sh [-duration 10s] [-c 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/lvxin" ./cmd/lvxin
go build -o "$dir/webbench" ./bench/web
"$dir/webbench" -lvxin "$dir/lvxin" -pairs "${PAIRS:-3}" "$@"
