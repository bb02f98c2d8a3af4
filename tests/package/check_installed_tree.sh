#!/usr/bin/env bash
# Runs an installed ZSI Studio the way a user would, away from the source tree:
#   check_installed_tree.sh BINDIR VERSION
# BINDIR holds zsi and zsi-studio (programs or launchers). Needs only bash and coreutils, so
# it also runs inside a minimal root (packaging/linux/check_minimal_root.sh). Checks, with HOME
# empty, a bare environment and the working directory /tmp: zsi --version prints VERSION; zsi infer finds the demo model on its own and segments
# a demo image; zsi-studio --screenshot draws its window offscreen.
set -euo pipefail
bindir="$1"
version="$2"
fail() { echo "FAIL: $*" >&2; exit 1; }

home="$(mktemp -d /tmp/zsi-pkg-home.XXXXXX)"
out="$(mktemp -d /tmp/zsi-pkg-out.XXXXXX)"
trap 'rm -rf "$home" "$out"' EXIT
chmod 755 "$home" "$out"
run() {
    (cd /tmp && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        XDG_RUNTIME_DIR="$home" "$@")
}

got="$(run "$bindir/zsi" --version)" || fail "zsi --version exited with $?"
echo "zsi --version: $got"
[[ "$got" == *"$version"* ]] || fail "zsi --version does not say $version"

# The share folder beside the programs, found without --data-dir or ZSI_DATA_DIR.
share="$bindir/../share/zsi-studio"
image="$share/demo/images/synth-000003.png"
test -f "$image" || fail "no demo image at $image"
run "$bindir/zsi" infer "$image" --json "$out/instances.json" >"$out/infer.log" 2>&1 ||
    { cat "$out/infer.log"; fail "zsi infer failed"; }
[ -s "$out/instances.json" ] || fail "zsi infer wrote no JSON"
n=$(grep -o '"segmentation"' "$out/instances.json" | wc -l)
echo "zsi infer: $n instances on $(basename "$image")"
[ "$n" -ge 1 ] || fail "zsi infer found no instance on the demo image"

run "$bindir/zsi-studio" --screenshot "$out/studio.png" --quit >"$out/studio.log" 2>&1 ||
    { cat "$out/studio.log"; fail "zsi-studio --screenshot failed"; }
[ "$(head -c 4 "$out/studio.png" | od -An -c | tr -d ' ')" = "211PNG" ] ||
    fail "zsi-studio wrote no PNG"
size=$(stat -c %s "$out/studio.png")
echo "zsi-studio --screenshot: $size bytes"
[ "$size" -gt 20000 ] || fail "the screenshot is suspiciously small ($size bytes)"
if [ -n "${ZSI_KEEP_SCREENSHOT:-}" ]; then cp "$out/studio.png" "$ZSI_KEEP_SCREENSHOT"; fi
echo "OK"
