#!/bin/sh
# Redaction throughput against a plain regexp scan for mobile numbers over
# the same text, in alternating pairs (regexp, redaction, regexp, …); prints
# every pair, the medians, the median ratio with its spread and the load
# average. bench/redact/compare.sh compares this tree with another revision.
# Usage: bench/redact/run.sh [MB] [PAIRS]   (defaults 20 and 3)
set -eu
cd "$(dirname "$0")/../.."
go run ./bench/redact -mb "${1:-20}" -runs "${2:-3}"
