#!/usr/bin/env bash
# Photo backgrounds for the emoji benchmark: object-free photos (textures, a star field, text)
# from Debian's python3-skimage data, extracted from the package without installing it.
# None shows an object of a benchmark class (the astronaut, cat, coffee, horse, motorcycle and
# rocket photos are left out, so no unlabelled object of a class ends up as "background").
#
#   scripts/emoji/get_backgrounds.sh [OUT_DIR]     (default build/emoji-backgrounds)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/build/emoji-backgrounds}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"  # absolute: the work below happens in a temporary folder
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download python3-skimage >/dev/null
dpkg -x python3-skimage_*.deb x
mkdir -p "$out"
# Re-encoded as plain PNG (no colour profile: libpng warns about one of them on every read).
for f in brick grass gravel hubble_deep_field page text moon coins color; do
  for ext in png jpg; do
    src="x/usr/lib/python3/dist-packages/skimage/data/$f.$ext"
    [[ -f "$src" ]] && /usr/bin/python3 -c "import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert('RGB'); im.info.pop('icc_profile', None); im.save(sys.argv[2], icc_profile=None)" "$src" "$out/$f.png"
  done
done
ls "$out"
