#!/bin/sh
# release.sh VERSION [OUTDIR]
#
# Builds static (CGO_ENABLED=0) lvxin binaries for linux/amd64, linux/arm64,
# darwin/arm64 and windows/amd64 from a clean checkout, stamped with the
# release version, the commit and the build date (shown by `lvxin version`
# and, to admins, in the web footer), and writes SHA256SUMS beside them.
# Example: scripts/release.sh v0.2.0   ->   dist/v0.2.0/
set -eu
version=${1:?usage: scripts/release.sh VERSION [OUTDIR]   e.g. v0.2.0}
repo=$(git rev-parse --show-toplevel)
cd "$repo"
case "$version" in
v[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "release.sh: version must look like v1.2.3, got $version" >&2; exit 2 ;;
esac
if [ -n "$(git status --porcelain --untracked-files=no)" ] && [ "${ALLOW_DIRTY:-}" != 1 ]; then
	echo "release.sh: the working tree has uncommitted changes; commit them (or set ALLOW_DIRTY=1 for a test build)" >&2
	exit 1
fi
commit=$(git rev-parse HEAD)
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
out=${2:-dist/$version}
mkdir -p "$out"
ldflags="-s -w -X main.version=$version -X main.commit=$commit -X main.buildDate=$date"
for target in linux/amd64 linux/arm64 darwin/arm64 windows/amd64; do
	os=${target%/*}
	arch=${target#*/}
	name="lvxin-$version-$os-$arch"
	[ "$os" = windows ] && name="$name.exe"
	echo "building $name"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/$name" ./cmd/lvxin
done
(cd "$out" && rm -f SHA256SUMS && sha256sum lvxin-* > SHA256SUMS && cat SHA256SUMS)
echo "release $version ($commit, $date) in $out"
