#!/usr/bin/env bash
# Phishing link scoring throughput against net/url parsing alone, same run,
# alternating pairs. Usage: bench/phishing/run.sh [-pairs 5] [-phase 2s]
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./bench/phishing "$@"
