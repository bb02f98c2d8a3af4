#!/usr/bin/python3
"""Self-test of zsiref/ops.py (no reference checkout needed).

  * RoIAlign: mmdet v1's legacy kernel equals torchvision's roi_align with
    aligned=False when every RoI is given x2 + 1, y2 + 1 and is at least one
    feature cell wide (torchvision clamps the RoI size to >= 1, mmdet to >= 0).
    Expected difference: exactly 0.
  * NMS: against a direct transcription of the greedy loop with "+1" IoU and a
    strict '>' threshold; kept indices must be ascending (input order).
  * The pycocotools fallback: encode/decode round trip.
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402

from zsiref import ops  # noqa: E402


def check_roi_align(g):
    feat = torch.randn(2, 5, 23, 31, generator=g)
    xy = torch.rand(300, 2, generator=g) * 140 - 10
    wh = torch.rand(300, 2, generator=g) * 90 + 9
    b = torch.randint(0, 2, (300, 1), generator=g).float()
    rois = torch.cat([b, xy, xy + wh], 1)
    worst = 0.0
    for scale, out in ((0.25, 7), (0.125, 14), (0.0625, 7)):
        ok = ((rois[:, 3:] - rois[:, 1:3] + 1) * scale >= 1).all(1)
        a = ops.roi_align(feat, rois[ok], out, scale, 2)
        r2 = rois[ok].clone()
        r2[:, 3:] += 1
        t = torchvision.ops.roi_align(feat, r2, out, scale, 2, aligned=False)
        worst = max(worst, (a - t).abs().max().item())
    return worst


def naive_nms(d, thr):
    s = d[:, 4]
    order = torch.sort(s, descending=True, stable=True)[1].tolist()
    sup, keep = set(), []
    for ii, i in enumerate(order):
        if i in sup:
            continue
        keep.append(i)
        for j in order[ii + 1:]:
            bi, bj = d[i], d[j]
            w = max(float(min(bi[2], bj[2]) - max(bi[0], bj[0]) + 1), 0.0)
            h = max(float(min(bi[3], bj[3]) - max(bi[1], bj[1]) + 1), 0.0)
            inter = w * h
            ai = float((bi[2] - bi[0] + 1) * (bi[3] - bi[1] + 1))
            aj = float((bj[2] - bj[0] + 1) * (bj[3] - bj[1] + 1))
            if np.float32(inter) / np.float32(ai + aj - inter) > np.float32(thr):
                sup.add(j)
    return sorted(keep)


def main():
    g = torch.Generator().manual_seed(0)
    worst = check_roi_align(g)
    print('roi_align vs torchvision(aligned=False, x2+1): max |diff| = {}'.format(worst))
    assert worst == 0.0
    for trial in range(10):
        n = 200
        xy = torch.rand(n, 2, generator=g) * 50
        wh = torch.rand(n, 2, generator=g) * 30
        s = torch.rand(n, generator=g)
        d = torch.cat([xy, xy + wh, s[:, None]], 1)
        assert ops.nms_indices(d, 0.5).tolist() == naive_nms(d, 0.5), trial
    print('nms: 10 random sets agree with the greedy transcription')
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fallback'))
    from pycocotools import mask as M
    rng = np.random.RandomState(0)
    for _ in range(100):
        h, w = rng.randint(1, 40, 2)
        a = (rng.rand(h, w) > rng.rand()).astype(np.uint8)
        r = M.encode(np.asfortranarray(a[:, :, None]))[0]
        assert (M.decode(r) == a).all() and M.area(r) == a.sum()
    print('pycocotools ({}): 100 RLE round trips ok'.format(M.__file__))


if __name__ == '__main__':
    main()
