#!/bin/sh
# make-upgrade-fixture.sh [COMMIT]
#
# Builds lvxin as it was at COMMIT (default a7f5e51, the last landed
# release) in a temporary git worktree, and has that binary make a realistic
# database on SQLite and, when LVXIN_TEST_POSTGRES_URL names a server, on
# PostgreSQL: the demo firm, imported chats with an attachment, evidence
# with checkpoints and RFC 3161 timestamps, saved deadlines, the audit trail.
# The result goes to e2e/testdata/upgrade/COMMIT/:
#   sqlite-data.tar.gz      the data folder (lvxin.db, blobs/, keys/)
#   postgres.dump           pg_dump --format=custom of the database
#   postgres-data.tar.gz    the data folder of the PostgreSQL run (blobs/, keys/)
#   ENGINE-backup.tar.gz    a backup made by the old binary (lvxin backup)
#   ENGINE-manifest.json    what every user saw in the old binary's web UI,
#                           what its CLI found, row counts and blob digests
# e2e/upgrade_test.go upgrades these with today's binary and compares.
set -eu
commit=${1:-a7f5e51}
repo=$(git rev-parse --show-toplevel)
cd "$repo"
full=$(git rev-parse --verify "$commit^{commit}")
short=$(git rev-parse --short=7 "$full")
work=$(mktemp -d)
cleanup() {
	git worktree remove --force "$work/src" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
git worktree add --detach "$work/src" "$full" >/dev/null
echo "building lvxin at $short"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath \
	-ldflags "-X main.version=$short" -o "$work/lvxin-old" ./cmd/lvxin)
out="$repo/e2e/testdata/upgrade/$short"
rm -rf "$out"
mkdir -p "$out"
go run ./scripts/upgradefixture -bin "$work/lvxin-old" -commit "$short" -out "$out" \
	-chats "$repo/internal/chatexport/testdata" -postgres "${LVXIN_TEST_POSTGRES_URL:-}"
du -sh "$out"
ls -l "$out"
