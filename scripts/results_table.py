#!/usr/bin/env python3
"""Prints the README's results table from scripts/eval_demo.sh outputs.

    scripts/results_table.py RESULTS_DIR NAME[=LABEL[=SECONDS_FILE]] ...

Percent, as the paper reports them. ZSD/ZSI: Recall@100 at IoU 0.4/0.5/0.6 and mAP@0.5 on
the unseen classes; GZSD/GZSI: mAP@0.5 of seen, unseen and their harmonic mean.
"""
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    root = sys.argv[1]
    head = ("| Row | ZSD R@100 (0.4/0.5/0.6) | ZSD mAP@0.5 | ZSI R@100 (0.4/0.5/0.6) | ZSI mAP@0.5 "
            "| GZSD S/U/HM | GZSI S/U/HM | Training |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for spec in sys.argv[2:]:
        parts = spec.split("=")
        name, label = parts[0], parts[1] if len(parts) > 1 else parts[0]
        train = ""
        if len(parts) > 2 and os.path.exists(parts[2]):
            s = int(open(parts[2]).read().strip())
            train = f"{s // 60} min"
        d = os.path.join(root, name)
        cells = [label]
        for iou in ("bbox", "segm"):
            z = load(os.path.join(d, f"zsi-{iou}.json"))
            r = z["unseen"]["recall"]
            cells.append("/".join(f"{100 * x:.1f}" for x in r))
            cells.append(f"{100 * z['map50']['unseen']:.1f}")
        for iou in ("bbox", "segm"):
            g = load(os.path.join(d, f"gzsi-{iou}.json"))["map50"]
            cells.append(f"{100 * g['seen']:.1f} / {100 * g['unseen']:.1f} / {100 * g['harmonic']:.1f}")
        cells.append(train)
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
