#!/usr/bin/env bash
# ctest (default suite): `cmake --install` into a temporary prefix, the installed programs run
# from there (data found as ../share/zsi-studio, no source tree), then the prefix is moved.
#   test_install_tree.sh CMAKE BUILD VERSION
set -euo pipefail
cmake="$1"
build="$2"
version="$3"
here="$(cd "$(dirname "$0")" && pwd)"
prefix="$(mktemp -d /tmp/zsi-install.XXXXXX)"
trap 'rm -rf "$prefix" "$prefix.moved"' EXIT
"$cmake" --install "$build" --prefix "$prefix/usr" >/dev/null
for f in bin/zsi bin/zsi-studio share/zsi-studio/demo/model/model.json share/zsi-studio/configs \
         share/zsi-studio/reference/classes_48_17.txt share/zsi-studio/emoji/manifest.json \
         share/applications/io.github.zsi_studio.ZsiStudio.desktop \
         share/metainfo/io.github.zsi_studio.ZsiStudio.metainfo.xml \
         share/icons/hicolor/48x48/apps/zsi-studio.png share/man/man1/zsi.1.gz \
         share/man/man1/zsi-export.1.gz share/man/man1/zsi-studio.1.gz \
         share/bash-completion/completions/zsi share/doc/zsi-studio/copyright \
         share/doc/zsi-studio/changelog.gz; do
    [ -e "$prefix/usr/$f" ] || { echo "FAIL: not installed: $f" >&2; exit 1; }
done
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/usr/share/applications/io.github.zsi_studio.ZsiStudio.desktop"
    echo "desktop-file-validate: ok"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net --pedantic "$prefix/usr/share/metainfo/io.github.zsi_studio.ZsiStudio.metainfo.xml"
fi
# The completion script is valid bash and completes subcommands.
bash -c "source '$prefix/usr/share/bash-completion/completions/zsi'; COMP_WORDS=(zsi inf); COMP_CWORD=1; _zsi; [ \"\${COMPREPLY[*]}\" = infer ]" ||
    { echo "FAIL: bash completion does not complete 'zsi inf'" >&2; exit 1; }
"$here/check_installed_tree.sh" "$prefix/usr/bin" "$version"
mv "$prefix" "$prefix.moved"
echo "-- moved to $prefix.moved"
"$here/check_installed_tree.sh" "$prefix.moved/usr/bin" "$version"
