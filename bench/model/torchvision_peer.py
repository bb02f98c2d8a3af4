#!/usr/bin/env python3
"""The peer of bench_model: torchvision's Mask R-CNN (random weights, 49 classes) with a
ResNet-50-FPN (maskrcnn_resnet50_fpn) or ResNet-101-FPN backbone (resnet_fpn_backbone, frozen
BatchNorm as torchvision builds it) on the same 800 x 1333 input with the same thread count,
forced to N final detections (score threshold 0). Run with Debian's python3-torch /
python3-torchvision:
    /usr/bin/python3 bench/model/torchvision_peer.py --threads 2 [--depth 101]
"""
import argparse
import json
import statistics
import time

import torch
import torchvision


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--depth", type=int, default=50, choices=(50, 101))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    img = torch.rand(3, 800, 1333)
    print(f"torchvision {torchvision.__version__} Mask R-CNN ResNet-{a.depth}-FPN, "
          f"{torch.get_num_threads()} threads, image 1333x800, median of {a.repeats}")
    for n in (20, 100):
        kw = dict(num_classes=49, box_detections_per_img=n, box_score_thresh=0.0, min_size=800,
                  max_size=1333)
        if a.depth == 50:
            m = torchvision.models.detection.maskrcnn_resnet50_fpn(
                weights=None, weights_backbone=None, **kw).eval()
        else:
            from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
            backbone = resnet_fpn_backbone(backbone_name="resnet101", weights=None,
                                           trainable_layers=3)
            # Random ResNet-101 features grow to ~1e5 through 33 residual blocks and no box
            # survives: damp each block's last BatchNorm (bench_model does the same).
            from torchvision.models.resnet import Bottleneck
            for mod in backbone.body.modules():
                if isinstance(mod, Bottleneck):
                    mod.bn3.weight.fill_(0.3)
            m = torchvision.models.detection.MaskRCNN(backbone, **kw).eval()
        with torch.no_grad():
            m([img])  # warm-up
            times, count = [], 0
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                out = m([img])
                times.append((time.perf_counter() - t0) * 1000)
                count = len(out[0]["scores"])
        med = statistics.median(times)
        print(f"full inference, {n} detections   {med:10.0f} ms {count:6d} instances")
        print("JSON " + json.dumps({"impl": "torchvision", "depth": a.depth, "detections": n,
                                    "full_ms": round(med, 1), "instances": count}))


if __name__ == "__main__":
    main()
