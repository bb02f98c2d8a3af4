#!/usr/bin/python3
"""Writes the torchvision reference outputs the C++ ops tests compare against.

Run with Debian's Python (torch 1.13, torchvision 0.14):
    /usr/bin/python3 tests/make_ops_fixtures.py
Each output file is a torch.save'd dict of tensors (zip format), which the C++ tests read
with torch::pickle_load. Inputs are drawn from a fixed seed, so reruns give the same files.
"""
import os

import torch
import torchvision
from torchvision.models.detection.roi_heads import paste_masks_in_image
from torchvision.ops import batched_nms, nms, roi_align

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "ops")


def save(name, d):
    path = os.path.join(OUT, name)
    torch.save({k: v.contiguous() for k, v in d.items()}, path)
    print(f"{path}: {len(d)} tensors, {os.path.getsize(path)} bytes")


def random_boxes(g, n, lo, hi, max_size):
    xy = torch.rand(n, 2, generator=g) * (hi - lo) + lo
    wh = torch.rand(n, 2, generator=g) * max_size
    return torch.cat([xy, xy + wh], 1)


def roi_align_works(feat, roi, out, scale, sr):
    # torchvision throws on some inverted rois (a negative sampling grid on one axis only
    # makes it allocate a vector of negative size); those cannot be fixtures.
    try:
        roi_align(feat, roi[None], out, scale, sr, aligned=True)
        return True
    except (RuntimeError, ValueError):
        return False


def make_roi_align(g):
    d = {}
    feat = torch.randn(2, 3, 13, 17, generator=g)
    d["features"] = feat
    # Image is 4x the feature map at scale 0.25 (52 x 68 pixels).
    cases = [  # (name, spatial_scale, sampling_ratio, out_h, out_w)
        ("s1_sr2_7x7", 1.0, 2, 7, 7),
        ("s025_adaptive_7x7", 0.25, -1, 7, 7),
        ("s05_sr0_3x5", 0.5, 0, 3, 5),
        ("s0125_sr3_2x2", 0.125, 3, 2, 2),
        ("s025_sr1_4x4", 0.25, 1, 4, 4),
    ]
    for name, scale, sr, oh, ow in cases:
        img = 1.0 / scale
        inside = random_boxes(g, 24, 0, 13 * img, 8 * img)
        outside = random_boxes(g, 8, -10 * img, 25 * img, 10 * img)  # partly/fully outside
        tiny = random_boxes(g, 4, 0, 13 * img, 0.3)
        zero = inside[:4].clone()
        zero[:, 2:] = zero[:, :2]  # zero size
        inverted = inside[4:10].clone()
        inverted[:, 2] = inverted[:, 0] - torch.rand(6, generator=g) * 2 * img
        inverted[:, 3] = inverted[:, 1] - torch.rand(6, generator=g) * 2 * img
        boxes = torch.cat([inside, outside, tiny, zero, inverted])
        batch = torch.randint(0, 2, (boxes.shape[0], 1), generator=g).float()
        rois = torch.cat([batch, boxes], 1)
        keep = [i for i in range(rois.shape[0]) if roi_align_works(feat, rois[i], (oh, ow), scale, sr)]
        rois = rois[keep]
        f = feat.clone().requires_grad_(True)
        out = roi_align(f, rois, (oh, ow), scale, sr, aligned=True)
        w = torch.randn(out.shape, generator=g)
        (out * w).sum().backward()
        d[name + "/rois"] = rois
        d[name + "/params"] = torch.tensor([scale, sr, oh, ow], dtype=torch.float64)
        d[name + "/out"] = out.detach()
        d[name + "/grad_weight"] = w
        d[name + "/grad_features"] = f.grad
    # float64 and an empty roi list.
    featd = feat.double()
    rois = d["s025_adaptive_7x7/rois"].double()
    d["f64/rois"] = rois
    d["f64/out"] = roi_align(featd, rois, (7, 7), 0.25, -1, aligned=True)
    d["empty/out"] = roi_align(feat, torch.zeros(0, 5), (7, 7), 0.25, 2, aligned=True)
    save("roi_align.pt", d)


def per_class_nms(boxes, scores, idxs, thr):
    keep = []
    for c in idxs.unique():
        m = torch.where(idxs == c)[0]
        keep.append(m[nms(boxes[m], scores[m], thr)])
    keep = torch.cat(keep).sort()[0]  # index order, so equal scores keep it
    return keep[scores[keep].sort(descending=True, stable=True)[1]]


def make_nms(g):
    d = {}
    n = 300
    boxes = torch.cat([
        random_boxes(g, 200, 0, 100, 40),  # clustered, lots of overlap
        random_boxes(g, 60, -50, 150, 60),  # partly or fully outside a 100x100 image
        random_boxes(g, 20, 0, 100, 0.5),  # tiny
    ])
    zero = boxes[:10].clone()
    zero[:, 2:] = zero[:, :2]
    inverted = boxes[10:20].clone()
    inverted[:, 2:] = inverted[:, :2] - torch.rand(10, 2, generator=g) * 10
    boxes = torch.cat([boxes, zero, inverted])
    assert boxes.shape[0] == n
    # Scores with many ties (rounded) to pin the tie order.
    scores = (torch.rand(n, generator=g) * 20).round() / 20
    idxs = torch.randint(0, 5, (n,), generator=g)
    d["boxes"] = boxes
    d["scores"] = scores
    d["idxs"] = idxs
    # Duplicates with equal scores: lower index must win.
    dup = torch.tensor([[10.0, 10, 50, 50], [10, 10, 50, 50], [12, 12, 50, 50], [10, 10, 50, 50]])
    d["dup/boxes"] = dup
    d["dup/scores"] = torch.tensor([0.5, 0.5, 0.9, 0.5])
    d["dup/keep"] = nms(dup, d["dup/scores"], 0.5)
    for thr in (0.3, 0.5, 0.7):
        key = f"t{int(thr * 10)}"
        d[key + "/keep"] = nms(boxes, scores, thr)
        # Boxes of one class only in the batched fixture: torchvision's coordinate-offset
        # trick lets classes overlap when coordinates are negative, so compare where it
        # agrees with true per-class NMS (checked here).
        inside = boxes[:200]
        bk = batched_nms(inside, scores[:200], idxs[:200], thr)
        assert torch.equal(bk, per_class_nms(inside, scores[:200], idxs[:200], thr)), thr
        d[key + "/batched_keep"] = bk
        d[key + "/per_class_keep"] = per_class_nms(boxes, scores, idxs, thr)
    d["f64/keep"] = nms(boxes.double(), scores.double(), 0.5)
    # Large batched case: torchvision switches to per-class NMS above 4000 coordinates.
    big = random_boxes(g, 1200, 0, 300, 50)
    big_scores = torch.rand(1200, generator=g)
    big_idxs = torch.randint(0, 20, (1200,), generator=g)
    d["big/boxes"] = big
    d["big/scores"] = big_scores
    d["big/idxs"] = big_idxs
    d["big/keep"] = batched_nms(big, big_scores, big_idxs, 0.5)
    d["empty/keep"] = nms(torch.zeros(0, 4), torch.zeros(0), 0.5)
    save("nms.pt", d)


def make_paste(g):
    d = {}
    H, W = 48, 64
    masks = torch.rand(12, 1, 28, 28, generator=g)
    boxes = torch.tensor([
        [10.3, 5.7, 40.2, 30.9],  # inside, fractional
        [0.0, 0.0, 63.0, 47.0],  # whole image
        [-12.5, -8.0, 20.0, 15.0],  # off the top-left
        [50.0, 30.0, 90.0, 70.0],  # off the bottom-right
        [20.0, 20.0, 20.0, 20.0],  # zero size
        [30.0, 10.0, 30.6, 10.4],  # tiny
        [5.0, 40.0, 60.0, 44.0],  # flat
        [2.2, 3.3, 6.6, 45.5],  # thin
        [58.0, 10.0, 80.0, 20.0],  # off the right edge
        [25.0, 25.0, 24.0, 24.5],  # inverted by a pixel
        [0.4, 0.6, 1.4, 1.6],
        [33.3, 1.1, 61.9, 46.9],
    ])
    # torchvision fails (shape mismatch from Python's negative slicing) for boxes that lie
    # entirely outside the image, so none are used here; the C++ tests cover those.
    full = paste_masks_in_image(masks, boxes, (H, W), padding=1)
    d["masks"] = masks[:, 0]
    d["boxes"] = boxes
    d["image_size"] = torch.tensor([H, W])
    d["full"] = full[:, 0]
    save("paste_masks.pt", d)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    print("torch", torch.__version__, "torchvision", torchvision.__version__)
    g = torch.Generator().manual_seed(20210601)
    make_roi_align(g)
    make_nms(g)
    make_paste(g)


if __name__ == "__main__":
    main()
