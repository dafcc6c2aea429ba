#!/bin/sh
# Redaction throughput against a plain regexp phone scan over the same text,
# alternating scan and redaction in pairs (default 3); prints each pair, the
# median ratio, its spread and the load average. Runs twice: on generated
# sentences (the figure docs/REDACTION.md has tracked since round 1) and on
# the labelled post corpus repeated to the same size (real posts, denser in
# names).
# Usage: bench/redact/run.sh [MB] [PAIRS]   (default 20 3)
set -eu
cd "$(dirname "$0")/../.."
go build -o /tmp/lvxin-redactbench ./bench/redact
/tmp/lvxin-redactbench -mb "${1:-20}" -pairs "${2:-3}"
/tmp/lvxin-redactbench -mb "${1:-20}" -pairs "${2:-3}" -corpus internal/redact/testdata/corpus.txt
rm -f /tmp/lvxin-redactbench
