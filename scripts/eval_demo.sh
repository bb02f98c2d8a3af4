#!/usr/bin/env bash
# Evaluates a model bundle on the demo benchmark (issue 6): fixed-seed test sets of the
# demo split, ZSD/ZSI (unseen classes, images with unseen objects) and GZSD/GZSI (seen and
# unseen classes, mixed images), through the same commands a user runs:
#   zsi export --format results --gt ...   then   zsi eval --protocol zsi|gzsi
#
#   scripts/eval_demo.sh BUNDLE NAME [SCORING] [BUILD_DIR]
#
# Writes BUILD_DIR/demo-eval/results/NAME/{zsi,gzsi}-{bbox,segm}.json (zsi eval --json);
# scripts/results_table.py turns those into the README table. SCORING: the bundle's rule
# when empty, else reference or direct. Detections down to score 0.05 are kept (the COCO
# convention for AP; the demo bundle itself shows only those above 0.3 by default).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="$1"
NAME="$2"
SCORING="${3:-}"
BUILD="${4:-$ROOT/build}"
ZSI="$BUILD/bin/zsi"
SPLIT="$ROOT/resources/demo/split.json"
EVAL="$BUILD/demo-eval"
IMAGES="${IMAGES:-300}"
THREADS="${THREADS:-1}"
OUT="$EVAL/results/$NAME"
mkdir -p "$OUT"

# The test sets: seeds 101 (zsi-test, unseen objects in every image) and 102 (gzsi-test).
for set in zsi-test gzsi-test; do
    seed=101; [[ "$set" == gzsi-test ]] && seed=102
    if [[ ! -f "$EVAL/$set/instances.json" ]]; then
        "$ZSI" synth --quiet --out "$EVAL/$set" --images "$IMAGES" --seed "$seed" --split "$SPLIT" \
            --set "$set" --size 256
    fi
done

scoring=()
[[ -n "$SCORING" ]] && scoring=(--scoring "$SCORING")
for protocol in zsi gzsi; do
    set="$protocol-test"
    "$ZSI" --threads "$THREADS" export --quiet --images "$EVAL/$set/images" --gt "$EVAL/$set/instances.json" \
        --model "$BUNDLE" --split "$SPLIT" --mode "$protocol" "${scoring[@]}" --score-threshold 0.05 \
        --format results --out "$OUT/$protocol-results.json" > "$OUT/$protocol-export.log"
    for iou in bbox segm; do
        "$ZSI" eval --gt "$EVAL/$set/instances.json" --dt "$OUT/$protocol-results.json" --protocol "$protocol" \
            --split "$SPLIT" --iou-type "$iou" --json "$OUT/$protocol-$iou.json" > "$OUT/$protocol-$iou.txt"
    done
    rm -f "$OUT/$protocol-results.json"
done
echo "evaluated $NAME: $OUT"
