#!/usr/bin/env bash
# Evaluates a model bundle on the emoji benchmark (issue 16), through the commands a user runs:
#   zsi export --format results --gt ...   then   zsi eval --protocol zsi|gzsi
# on the fixed-seed test sets scripts/train_emoji.sh generates: drawings in the training
# styles (noto + twemoji: "instyle") and in a style never trained on (fluent).
#
#   scripts/eval_emoji.sh BUNDLE NAME [SCORING] [BUILD_DIR]
#
# Writes BUILD_DIR/emoji-eval/<style>/NAME/{zsi,gzsi}-{bbox,segm}.json; scripts/results_table.py
# BUILD_DIR/emoji-eval/<style> NAME... prints the README table. SPLIT (default
# emoji-coco-48-17), DATA (default BUILD_DIR/emoji) and PROTOCOLS can be overridden.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="$1"
NAME="$2"
SCORING="${3:-}"
BUILD="${4:-$ROOT/build}"
ZSI="$BUILD/bin/zsi"
SPLIT="${SPLIT:-$ROOT/resources/emoji/splits/emoji-coco-48-17.json}"
DATA="${DATA:-$BUILD/emoji}"
THREADS="${THREADS:-1}"
# PROTOCOLS=zsi scores only the ZSI sets: e.g. the emoji-wide model (SPLIT=its split) on the
# emoji-coco-48-17 ZSI sets, which hold only the 14 unseen classes both splits share.
PROTOCOLS="${PROTOCOLS:-zsi gzsi}"
scoring=()
[[ -n "$SCORING" ]] && scoring=(--scoring "$SCORING")
for style in instyle fluent; do
    OUT="$BUILD/emoji-eval/$style/$NAME"
    mkdir -p "$OUT"
    for protocol in $PROTOCOLS; do
        set="$DATA/$style-$protocol"
        [[ -f "$set/instances.json" ]] || { echo "missing $set (run scripts/train_emoji.sh first)" >&2; exit 1; }
        "$ZSI" --threads "$THREADS" export --quiet --images "$set/images" --gt "$set/instances.json" \
            --model "$BUNDLE" --split "$SPLIT" --mode "$protocol" "${scoring[@]}" --score-threshold 0.05 \
            --format results --out "$OUT/$protocol-results.json" > "$OUT/$protocol-export.log"
        for iou in bbox segm; do
            "$ZSI" eval --gt "$set/instances.json" --dt "$OUT/$protocol-results.json" --protocol "$protocol" \
                --split "$SPLIT" --iou-type "$iou" --json "$OUT/$protocol-$iou.json" > "$OUT/$protocol-$iou.txt"
        done
        rm -f "$OUT/$protocol-results.json"
    done
    echo "evaluated $NAME on $style: $OUT"
done
