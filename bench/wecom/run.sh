#!/usr/bin/env bash
# WeCom callback handling under load on loopback: a real `lvxin serve`
# (verify, decrypt, enqueue durably, reply) against a bare HTTP server that
# only reads the body, alternating runs in the same invocation. Prints
# requests/s and p99 of each run, the median ratio lvxin/bare, the spread
# and the load average. Usage: bench/wecom/run.sh [-pairs 3] [-phase 5s] [-c 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/lvxin
go build -o "$bin" ./cmd/lvxin
go run ./bench/wecom -lvxin "$bin" "$@"
