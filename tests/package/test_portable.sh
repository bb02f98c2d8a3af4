#!/usr/bin/env bash
# ctest (label "package"): the portable bundle, unpacked into a temporary folder, then moved.
#   test_portable.sh TARBALL VERSION
set -euo pipefail
tarball="$1"
version="$2"
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$tarball" ] || { echo "FAIL: no bundle $tarball (run ./zsi-dev package)" >&2; exit 1; }
dir="$(mktemp -d /tmp/zsi-portable.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
tar -xzf "$tarball" -C "$dir"
top="$dir/$(basename "$tarball" .tar.gz)"
[ -x "$top/bin/zsi" ] || { echo "FAIL: no bin/zsi in the bundle" >&2; exit 1; }
"$here/check_installed_tree.sh" "$top/bin" "$version"
mv "$top" "$dir/renamed folder"
echo "-- moved to '$dir/renamed folder'"
"$here/check_installed_tree.sh" "$dir/renamed folder/bin" "$version"
