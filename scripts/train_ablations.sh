#!/usr/bin/env bash
# The ablation rows of the README's results table (issue 6): the full model and the three
# training ablations on one shorter schedule, each a real run of scripts/train_demo.sh with
# the demo settings. The scoring-rule rows need no training (evaluate with --scoring).
#
#   scripts/train_ablations.sh [BUILD_DIR] [OUT_ROOT]
#
# OUT_ROOT (default BUILD_DIR/ablations) receives one bundle per row: full, no-barpn,
# no-syncbg, no-decoders. ITERATIONS (default 1200) and WARMUP (default 200) can be set in
# the environment. Each run prints its wall time; on the 2-core build machine a row took
# ~15-20 minutes (see README).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
OUT_ROOT="${2:-$BUILD/ablations}"
export ITERATIONS="${ITERATIONS:-1200}" WARMUP="${WARMUP:-200}"

mkdir -p "$OUT_ROOT"
for row in ${ROWS:-full no-barpn no-syncbg no-decoders}; do
    ablation="$row"
    [[ "$row" == "full" ]] && ablation=none
    if [[ -f "$OUT_ROOT/$row.seconds" ]]; then
        echo "== $row: done already"; continue
    fi
    start=$(date +%s)
    echo "== $row (ablation $ablation, $ITERATIONS iterations)"
    if [[ -d "$OUT_ROOT/$row.training" ]]; then
        OUT="$OUT_ROOT/$row" RESUME=1 "$ROOT/scripts/train_demo.sh" "$BUILD"
    else
        OUT="$OUT_ROOT/$row" ABLATION="$ablation" "$ROOT/scripts/train_demo.sh" "$BUILD"
    fi
    # Wall time of this row (of the last leg when resumed), read by the README table.
    echo $(( $(date +%s) - start )) > "$OUT_ROOT/$row.seconds"
    echo "== $row: $(cat "$OUT_ROOT/$row.seconds") s"
done
