#!/usr/bin/env bash
# Web benchmark: login throughput and a signed-in page render of a real
# `lvxin serve` on loopback, each as a ratio against a bare net/http handler
# measured in the same run. Usage: bench/web/run.sh [-duration 10s] [-c 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/lvxin
go build -o "$bin" ./cmd/lvxin
go run ./bench/web -lvxin "$bin" "$@"
