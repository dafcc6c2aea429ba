#!/bin/sh
# Redaction throughput against a plain regexp phone scan over the same text.
# Usage: bench/redact/run.sh [MB]   (default 20)
set -eu
cd "$(dirname "$0")/../.."
go run ./bench/redact -mb "${1:-20}"
