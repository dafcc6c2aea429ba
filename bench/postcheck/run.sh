#!/bin/sh
# Per-category precision and recall of the post check on the labelled post
# corpus (internal/postcheck/testdata/posts), tuning and held-out parts.
# Usage: bench/postcheck/run.sh [-misses]   (-misses also lists every miss and false alarm)
set -eu
cd "$(dirname "$0")/../.."
out=$(go test ./internal/postcheck -run '^TestPostCorpus$' -count=1 -v 2>&1) || status=$?
if [ "${1:-}" = "-misses" ]; then
	printf '%s\n' "$out" | grep -E 'missed|false|only a warning' || true
fi
printf '%s\n' "$out" | sed -n '/posts$/,/本人信息误报/p' | sed 's/^ *corpus_test.go:[0-9]*: //; s/^        //'
exit "${status:-0}"
