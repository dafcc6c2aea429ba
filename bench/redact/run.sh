#!/bin/sh
# Redaction throughput against a plain regexp phone scan over the same text,
# alternating scan and redaction in pairs (default 3); prints each pair, the
# median ratio, its spread and the load average.
# Usage: bench/redact/run.sh [MB] [PAIRS]   (default 20 3)
set -eu
cd "$(dirname "$0")/../.."
go run ./bench/redact -mb "${1:-20}" -pairs "${2:-3}"
