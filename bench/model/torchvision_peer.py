#!/usr/bin/env python3
"""The peer of bench_model: torchvision's maskrcnn_resnet50_fpn (random weights, 49 classes)
on the same 800 x 1333 input with the same thread count, forced to N final detections
(score threshold 0). Run with Debian's python3-torch / python3-torchvision:
    /usr/bin/python3 bench/model/torchvision_peer.py --threads 2
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
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    img = torch.rand(3, 800, 1333)
    print(f"torchvision {torchvision.__version__} maskrcnn_resnet50_fpn, {torch.get_num_threads()} threads, "
          f"image 1333x800, median of {a.repeats}")
    for n in (20, 100):
        m = torchvision.models.detection.maskrcnn_resnet50_fpn(
            weights=None, weights_backbone=None, num_classes=49, box_detections_per_img=n,
            box_score_thresh=0.0, min_size=800, max_size=1333).eval()
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
        print("JSON " + json.dumps({"impl": "torchvision", "detections": n, "full_ms": round(med, 1), "instances": count}))


if __name__ == "__main__":
    main()
