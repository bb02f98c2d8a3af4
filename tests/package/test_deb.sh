#!/usr/bin/env bash
# ctest (label "package"): the Debian package, unpacked into a temporary root, then moved
# (the programs must find their data from wherever the tree lands).
#   test_deb.sh DEB VERSION
set -euo pipefail
deb="$1"
version="$2"
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$deb" ] || { echo "FAIL: no package $deb (run ./zsi-dev package)" >&2; exit 1; }
root="$(mktemp -d /tmp/zsi-deb-root.XXXXXX)"
trap 'rm -rf "$root" "$root.moved"' EXIT
dpkg-deb -x "$deb" "$root"
dpkg-deb -f "$deb" Version | grep -qx "$version" || { echo "FAIL: package version is not $version" >&2; exit 1; }
for f in usr/bin/zsi usr/bin/zsi-studio usr/share/zsi-studio/demo/model/model.json \
         usr/share/applications/io.github.zsi_studio.ZsiStudio.desktop \
         usr/share/metainfo/io.github.zsi_studio.ZsiStudio.metainfo.xml \
         usr/share/icons/hicolor/256x256/apps/zsi-studio.png usr/share/man/man1/zsi.1.gz \
         usr/share/man/man1/zsi-infer.1.gz usr/share/bash-completion/completions/zsi \
         usr/share/doc/zsi-studio/copyright; do
    [ -e "$root/$f" ] || { echo "FAIL: the package has no /$f" >&2; exit 1; }
done
"$here/check_installed_tree.sh" "$root/usr/bin" "$version"
mv "$root" "$root.moved"
echo "-- moved to $root.moved"
"$here/check_installed_tree.sh" "$root.moved/usr/bin" "$version"
