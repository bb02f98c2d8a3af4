#!/usr/bin/python3
"""Compares `zsi infer --json` output with run_reference.py output for the same image.

    /usr/bin/python3 tests/reference/compare_outputs.py REFERENCE.json OURS.json

Each reference detection is matched to one of ours with the same class label (nearest score
and box); prints the counts, the worst relative score difference, the worst box coordinate
difference (pixels) and the worst mask disagreement (pixels that differ / mask area).
Exit status 1 when the counts differ or a reference detection has no match.
"""
import json
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit('/', 1)[0])
try:
    from pycocotools import mask as mask_util  # noqa: E402
except ImportError:
    sys.path.insert(0, __file__.rsplit('/', 1)[0] + '/fallback')
    from pycocotools import mask as mask_util  # noqa: E402


def decode(rle):
    r = {'size': rle['size'], 'counts': rle['counts'].encode() if isinstance(rle['counts'], str) else rle['counts']}
    return mask_util.decode(r).astype(bool)


def main():
    ref = json.load(open(sys.argv[1]))['detections']
    ours = json.load(open(sys.argv[2]))['images'][0]['instances']
    print(f'reference {len(ref)} detections, ours {len(ours)}')
    used = [False] * len(ours)
    worst_score = worst_box = worst_mask = 0.0
    for d in ref:
        best, best_err = -1, 1e9
        for i, o in enumerate(ours):
            if used[i] or o['class_index'] != d['label']:
                continue
            err = abs(o['score'] - d['score']) + sum(abs(a - b) for a, b in zip(o['box'], d['bbox'])) / 1000
            if err < best_err:
                best, best_err = i, err
        if best < 0:
            print('no match for', d['label'], d['score'], d['bbox'])
            return 1
        used[best] = True
        o = ours[best]
        worst_score = max(worst_score, abs(o['score'] - d['score']) / max(d['score'], 1e-3))
        worst_box = max(worst_box, max(abs(a - b) for a, b in zip(o['box'], d['bbox'])))
        a, b = decode(d['mask']), decode(o['segmentation'])
        worst_mask = max(worst_mask, (a ^ b).sum() / max(1, a.sum()))
    print(f'worst relative score difference {worst_score:.3g}, box difference {worst_box:.3g} px, '
          f'mask pixel disagreement {worst_mask:.3g}')
    return 0 if len(ref) == len(ours) else 1


if __name__ == '__main__':
    sys.exit(main())
