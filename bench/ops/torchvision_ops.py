#!/usr/bin/python3
"""torchvision's times on the same inputs as bench_ops (same seed, same draw order).

    /usr/bin/python3 bench/ops/torchvision_ops.py [threads=2] [repeats=5]
Compare the checksum column with bench_ops' to confirm the inputs match.
"""
import statistics
import sys
import time

import torch
from torchvision.models.detection.roi_heads import paste_masks_in_image
from torchvision.ops import batched_nms, nms, roi_align


def median_ms(repeats, fn):
    fn()
    ms = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms)


def random_boxes(n, img_w, img_h, max_size):
    xy = torch.rand(n, 2) * torch.tensor([img_w, img_h])
    wh = torch.rand(n, 2) * max_size
    return torch.cat([xy, xy + wh], 1)


def row(op, cfg, ms, checksum):
    print(f"| {op:<22} | {cfg:<44} | {ms:9.2f} | {checksum:14.6g} |")


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    features = torch.randn(1, 256, 200, 336)
    boxes = random_boxes(1000, 1344, 800, 300)
    rois = torch.cat([torch.zeros(1000, 1), boxes], 1)
    nms_boxes = random_boxes(5000, 1333, 800, 200)
    nms_scores = torch.rand(5000)
    nms_idxs = torch.randint(0, 80, (5000,))
    masks = torch.rand(100, 28, 28)
    mask_boxes = random_boxes(100, 1200, 700, 300)
    print(f"torchvision: {threads} thread(s), median of {repeats} runs\n")
    out = None
    with torch.no_grad():
        for sr in (2, 0):
            cfg = f"1000 rois, 256x200x336, 7x7, scale 1/4, sr {sr}"
            ms = median_ms(repeats, lambda: globals().__setitem__("o", roi_align(features, rois, 7, 0.25, sr, True)))
            row("roi_align aligned", cfg, ms, o.sum().item())
        f16 = features[:, :, :50, :84].contiguous()
        ms = median_ms(repeats, lambda: globals().__setitem__("o", roi_align(f16, rois, 14, 1 / 16, 2, True)))
        row("roi_align aligned", "1000 rois, 256x50x84, 14x14, scale 1/16, sr 2", ms, o.sum().item())
    f = features.clone().requires_grad_(True)
    w = torch.ones(1000, 256, 7, 7)

    def fwd_bwd():
        y = roi_align(f, rois, 7, 0.25, 2, True)
        y.backward(w)
        globals()["o"] = f.grad.clone()
        f.grad.zero_()

    ms = median_ms(repeats, fwd_bwd)
    row("roi_align fwd+bwd", "1000 rois, 256x200x336, 7x7, scale 1/4, sr 2", ms, o.sum().item())
    for thr in (0.7, 0.5):
        ms = median_ms(repeats, lambda: globals().__setitem__("o", nms(nms_boxes, nms_scores, thr)))
        row("nms", f"5000 boxes, iou {thr}, kept {o.numel()}", ms, o.sum().item())
    ms = median_ms(repeats, lambda: globals().__setitem__("o", batched_nms(nms_boxes, nms_scores, nms_idxs, 0.5)))
    row("batched_nms", f"5000 boxes, 80 classes, iou 0.5, kept {o.numel()}", ms, o.sum().item())
    # paste_masks_in_image returns full-image masks (what torchvision's model does).
    ms = median_ms(repeats, lambda: globals().__setitem__("o", paste_masks_in_image(masks[:, None], mask_boxes, (800, 1333))))
    row("paste_masks_in_image", "100 masks 28x28 -> 800x1333 (full images)", ms, o.sum().item())


if __name__ == "__main__":
    main()
