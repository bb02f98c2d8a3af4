#!/usr/bin/env bash
# ZSI model vs torchvision Mask R-CNN (ResNet-50-FPN) on the same machine, same threads, in
# one run. Usage: bench/model/compare.sh [threads]   (after ./zsi-dev build)
set -euo pipefail
cd "$(dirname "$0")/../.."
T="${1:-$(nproc)}"
zsi_out="$(build/bin/bench_model --threads "$T")"
# The peer twice: as it comes, and with the same glibc malloc settings that zsi applies to
# itself at start-up (runtime/runtime.h tuneAllocator), so the comparison is like for like.
tv_out="$(/usr/bin/python3 bench/model/torchvision_peer.py --threads "$T")"
tv_tuned="$(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456 \
  /usr/bin/python3 bench/model/torchvision_peer.py --threads "$T" | sed 's/"impl": "torchvision"/"impl": "torchvision-tuned"/')"
printf '%s\n\n%s\n\n%s\n\n' "$zsi_out" "$tv_out" "$tv_tuned"
/usr/bin/python3 - "$zsi_out" "$tv_out" "$tv_tuned" <<'PY'
import json, sys
rows = {}
for text in sys.argv[1:]:
    for line in text.splitlines():
        if line.startswith("JSON "):
            d = json.loads(line[5:])
            rows.setdefault(d["detections"], {})[d["impl"]] = d
print("| final detections | ZSI full (ms) | torchvision, default malloc (ms) | torchvision, same malloc settings (ms) "
      "| ZSI / torchvision (same malloc) | ZSI rescore +1 class (ms) | full / rescore |")
print("|---|---|---|---|---|---|---|")
for n in sorted(rows):
    z, t, tt = rows[n]["zsi"], rows[n]["torchvision"], rows[n]["torchvision-tuned"]
    print(f"| {n} | {z['full_ms']:.0f} | {t['full_ms']:.0f} | {tt['full_ms']:.0f} | {z['full_ms']/tt['full_ms']:.2f} "
          f"| {z['rescore_ms']:.1f} | {z['full_ms']/z['rescore_ms']:.0f}x |")
PY
