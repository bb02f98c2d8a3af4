#!/usr/bin/env bash
# Proves the package's Depends and the portable bundle's library set on a machine without any
# -dev package: a minimal Debian 12 root (debootstrap --variant=minbase, from the archive apt
# uses here), where
#   1. the portable bundle is unpacked and run as it is (nothing installed);
#   2. the .deb is installed with apt (which must pull every dependency from Depends) and run.
# Needs root, debootstrap and network access to the Debian archive.
#   packaging/linux/check_minimal_root.sh DEB TARBALL VERSION [ROOT]
set -euo pipefail
deb="$(readlink -f "$1")"
tarball="$(readlink -f "$2")"
version="$3"
root="${4:-/tmp/zsi-minbase}"
here="$(cd "$(dirname "$0")" && pwd)"
check="$here/../../tests/package/check_installed_tree.sh"
log() { printf '\033[1m[minimal-root]\033[0m %s\n' "$*" >&2; }

if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
fi
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
cache="/tmp/zsi-minbase-bookworm.tar"
if [ ! -f "$cache" ]; then
    log "debootstrap --variant=minbase bookworm from $mirror"
    rm -rf "$root.boot"
    debootstrap --variant=minbase bookworm "$root.boot" "$mirror" >/tmp/zsi-debootstrap.log 2>&1 ||
        { tail -20 /tmp/zsi-debootstrap.log; exit 1; }
    tar -C "$root.boot" -cf "$cache" .
    rm -rf "$root.boot"
fi
cleanup() { umount "$root/proc" 2>/dev/null || true; }
trap cleanup EXIT
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$cache"
mount -t proc proc "$root/proc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$check" "$root/check_installed_tree.sh"
log "minimal root: $(chroot "$root" dpkg-query -W -f='${Package}\n' | wc -l) packages installed"

log "1. portable bundle, nothing installed"
tar -xzf "$tarball" -C "$root/opt"
name="$(basename "$tarball" .tar.gz)"
chroot "$root" env ZSI_KEEP_SCREENSHOT=/portable.png /bin/bash /check_installed_tree.sh "/opt/$name/bin" "$version"
cp "$root/portable.png" "$root.portable.png"
log "the bundle's window, drawn with no system font: $root.portable.png"

log "2. apt install the .deb"
cp "$deb" "$root/tmp/"
chroot "$root" apt-get update -q >/dev/null
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "/tmp/$(basename "$deb")" >/tmp/zsi-apt-install.log 2>&1 ||
    { tail -30 /tmp/zsi-apt-install.log; exit 1; }
log "apt pulled $(grep -c '^Setting up' /tmp/zsi-apt-install.log) packages; $(du -sxh "$root" 2>/dev/null | cut -f1) in the root"
chroot "$root" env ZSI_KEEP_SCREENSHOT=/deb.png /bin/bash /check_installed_tree.sh /usr/bin "$version"
cp "$root/deb.png" "$root.deb.png"
log "both checks passed in a minimal Debian 12 root"
