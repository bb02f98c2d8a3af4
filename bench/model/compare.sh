#!/usr/bin/env bash
# ZSI model vs torchvision Mask R-CNN (ResNet-50-FPN) on the same machine, same threads, in
# one run. Usage: bench/model/compare.sh [threads]   (after ./zsi-dev build)
set -euo pipefail
cd "$(dirname "$0")/../.."
T="${1:-$(nproc)}"
zsi_out="$(build/bin/bench_model --threads "$T")"
tv_out="$(/usr/bin/python3 bench/model/torchvision_peer.py --threads "$T")"
printf '%s\n\n%s\n\n' "$zsi_out" "$tv_out"
/usr/bin/python3 - "$zsi_out" "$tv_out" <<'PY'
import json, sys
rows = {}
for text in sys.argv[1:]:
    for line in text.splitlines():
        if line.startswith("JSON "):
            d = json.loads(line[5:])
            rows.setdefault(d["detections"], {})[d["impl"]] = d
print(f"{'detections':>10} {'ZSI full ms':>12} {'torchvision ms':>15} {'ratio':>7} {'ZSI rescore ms':>15} {'full/rescore':>13}")
for n in sorted(rows):
    z, t = rows[n]["zsi"], rows[n]["torchvision"]
    print(f"{n:>10} {z['full_ms']:>12.0f} {t['full_ms']:>15.0f} {z['full_ms']/t['full_ms']:>7.2f} "
          f"{z['rescore_ms']:>15.1f} {z['full_ms']/z['rescore_ms']:>13.0f}x")
PY
