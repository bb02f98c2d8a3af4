#!/usr/bin/env bash
# ZSI model vs torchvision Mask R-CNN with the same ResNet-FPN depth, on the same machine,
# same threads, in one run; ZSI with its BatchNorms folded (the engine's default) and not.
# Usage: bench/model/compare.sh [threads] [depth 50|101]   (after ./zsi-dev build)
set -euo pipefail
cd "$(dirname "$0")/../.."
T="${1:-$(nproc)}"
DEPTH="${2:-50}"
zsi_out="$(build/bin/bench_model --threads "$T" --depth "$DEPTH" --fold-bn 1)"
zsi_unfolded="$(build/bin/bench_model --threads "$T" --depth "$DEPTH" --fold-bn 0 | sed 's/"impl": "zsi"/"impl": "zsi-unfolded"/')"
# The peer twice: as it comes, and with the same glibc malloc settings that zsi applies to
# itself at start-up (runtime/runtime.h tuneAllocator), so the comparison is like for like.
# TV_DEFAULT_MALLOC=0 skips the default-malloc run (minutes at ResNet-101; column shows "-").
if [[ "${TV_DEFAULT_MALLOC:-1}" == "1" ]]; then
  tv_out="$(/usr/bin/python3 bench/model/torchvision_peer.py --threads "$T" --depth "$DEPTH")"
else
  tv_out=""
fi
tv_tuned="$(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456 \
  /usr/bin/python3 bench/model/torchvision_peer.py --threads "$T" --depth "$DEPTH" | sed 's/"impl": "torchvision"/"impl": "torchvision-tuned"/')"
printf '%s\n\n%s\n\n%s\n\n%s\n\n' "$zsi_out" "$zsi_unfolded" "$tv_out" "$tv_tuned"
/usr/bin/python3 - "$DEPTH" "$zsi_out" "$zsi_unfolded" "$tv_out" "$tv_tuned" <<'PY'
import json, sys
depth = sys.argv[1]
rows = {}
for text in sys.argv[2:]:
    for line in text.splitlines():
        if line.startswith("JSON "):
            d = json.loads(line[5:])
            rows.setdefault(d["detections"], {})[d["impl"]] = d
print(f"ResNet-{depth}-FPN")
print("| final detections | ZSI full (ms) | ZSI, BN not folded (ms) | torchvision, default malloc (ms) "
      "| torchvision, same malloc settings (ms) | ZSI / torchvision (same malloc) "
      "| ZSI rescore +1 class (ms) | rescore / full | rescore +1 class near a detected one (ms) |")
print("|---|---|---|---|---|---|---|---|---|")
for n in sorted(rows):
    r = rows[n]
    z, u, tt = r["zsi"], r["zsi-unfolded"], r["torchvision-tuned"]
    t = f"{r['torchvision']['full_ms']:.0f}" if "torchvision" in r else "-"
    print(f"| {n} | {z['full_ms']:.0f} | {u['full_ms']:.0f} | {t} | {tt['full_ms']:.0f} "
          f"| {z['full_ms']/tt['full_ms']:.2f} | {z['rescore_ms']:.1f} "
          f"| {100 * z['rescore_ms'] / z['full_ms']:.2f}% | {z['rescore_near_ms']:.1f} |")
for n in sorted(rows):
    z = rows[n]["zsi"]
    print(f"provisional first pass (0.4 of the input size, <= 20 detections) for {n} detections: "
          f"{z['provisional_ms']:.0f} ms = {100 * z['provisional_ms'] / z['full_ms']:.0f}% of the full pass")
PY
