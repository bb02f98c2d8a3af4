"""Pure-PyTorch replacements for the two compiled ops of MMDetection v1 that the
ZSI test path uses: RoIAlign (mmdet/ops/roi_align) and NMS (mmdet/ops/nms).

Both follow the CUDA kernels the published numbers were produced with, formula
by formula and in float32, in the order the C source writes the operations.
What cannot be reproduced bit for bit: nvcc contracts a*b+c into FMA by
default, so the GPU may round some sampling coordinates / IoUs one ulp
differently; and the order of tied scores after the GPU sort is unspecified
(stable sort is used here).

RoIAlign (roi_align_kernel.cu, ROIAlignForward / bilinear_interpolate):
  start = x1 * scale, end = (x2 + 1) * scale        (legacy "+1", not aligned)
  roi_w = max(end - start, 0)                        (no minimum of 1)
  bin = roi_w / pooled_w
  sample x = start + pw * bin + (ix + 0.5) * bin / n   (n = sample_num = 2)
  bilinear: zero if y < -1 or y > H or x < -1 or x > W; y <= 0 -> 0;
            low = (int) y; if low >= H - 1: low = high = H - 1, y = low;
            val = hy*hx*v00 + hy*lx*v01 + ly*hx*v10 + ly*lx*v11
  output = (sum over iy, then ix, in that order) / (n * n)

NMS (nms_kernel.cu): sort by score descending, IoU with "+1" widths
  inter = max(min(x2)-max(x1)+1, 0) * max(min(y2)-max(y1)+1, 0)
  iou = inter / (area_a + area_b - inter), suppressed when iou > thr
  (strict; the CPU op of mmdet uses >=), greedy in score order.
  The kept indices are returned SORTED ASCENDING (the kernel ends with
  order_t.index(keep).sort(0, false)), i.e. the kept boxes stay in their input
  order, not in score order.
"""
import numpy as np
import torch
import torch.nn as nn
from torch.nn.modules.utils import _pair

_F32 = torch.float32


def _bilinear_gather(feat, y, x):
    """feat: C x H x W; y, x: float32 tensors of equal shape S (sample coords).
    Returns C x S values following bilinear_interpolate() of the kernel."""
    C, H, W = feat.shape
    outside = (y < -1.0) | (y > float(H)) | (x < -1.0) | (x > float(W))
    y = torch.where(y <= 0, torch.zeros_like(y), y)
    x = torch.where(x <= 0, torch.zeros_like(x), x)
    y_low = y.to(torch.int64)  # (int) truncation; y >= 0 here
    x_low = x.to(torch.int64)
    y_clip = y_low >= H - 1
    x_clip = x_low >= W - 1
    y_low = torch.where(y_clip, torch.full_like(y_low, H - 1), y_low)
    x_low = torch.where(x_clip, torch.full_like(x_low, W - 1), x_low)
    y_high = torch.where(y_clip, y_low, y_low + 1)
    x_high = torch.where(x_clip, x_low, x_low + 1)
    y = torch.where(y_clip, y_low.to(_F32), y)
    x = torch.where(x_clip, x_low.to(_F32), x)
    ly = y - y_low.to(_F32)
    lx = x - x_low.to(_F32)
    hy = 1.0 - ly
    hx = 1.0 - lx
    w1 = hy * hx
    w2 = hy * lx
    w3 = ly * hx
    w4 = ly * lx
    flat = feat.reshape(C, H * W)
    # indices are clamped only so that the gather is legal for outside points
    # (whose value is replaced by 0 below)
    def g(yy, xx):
        idx = (yy.clamp(0, H - 1) * W + xx.clamp(0, W - 1)).reshape(-1)
        return flat[:, idx].reshape((C, ) + tuple(yy.shape))
    val = ((w1 * g(y_low, x_low) + w2 * g(y_low, x_high)) + w3 * g(y_high, x_low)) \
        + w4 * g(y_high, x_high)
    return torch.where(outside.unsqueeze(0), torch.zeros_like(val), val)


def roi_align(features, rois, out_size, spatial_scale, sample_num):
    """features: N x C x H x W float32; rois: K x 5 (batch, x1, y1, x2, y2)."""
    out_h, out_w = _pair(out_size)
    if sample_num <= 0:
        raise NotImplementedError('adaptive sampling (sample_num=0) is not used by the ZSI configs')
    K = rois.shape[0]
    N, C, H, W = features.shape
    output = features.new_zeros(K, C, out_h, out_w)
    if K == 0:
        return output
    rois = rois.to(_F32)
    scale = torch.tensor(spatial_scale, dtype=_F32)
    n = sample_num
    ph = torch.arange(out_h, dtype=_F32, device=rois.device)
    pw = torch.arange(out_w, dtype=_F32, device=rois.device)
    for b in range(N):
        sel = torch.nonzero(rois[:, 0].to(torch.int64) == b).flatten()
        if sel.numel() == 0:
            continue
        r = rois[sel]
        start_w = r[:, 1] * scale
        start_h = r[:, 2] * scale
        end_w = (r[:, 3] + 1) * scale
        end_h = (r[:, 4] + 1) * scale
        roi_w = torch.clamp(end_w - start_w, min=0.0)
        roi_h = torch.clamp(end_h - start_h, min=0.0)
        bin_h = roi_h / out_h
        bin_w = roi_w / out_w
        acc = None
        for iy in range(n):
            # sample row: (start + ph * bin) + ((iy + 0.5) * bin) / n, evaluated left to right
            y = (start_h[:, None] + ph[None, :] * bin_h[:, None]) \
                + (torch.tensor(iy + 0.5, dtype=_F32) * bin_h[:, None]) / float(n)
            for ix in range(n):
                x = (start_w[:, None] + pw[None, :] * bin_w[:, None]) \
                    + (torch.tensor(ix + 0.5, dtype=_F32) * bin_w[:, None]) / float(n)
                yy = y[:, :, None].expand(-1, out_h, out_w)
                xx = x[:, None, :].expand(-1, out_h, out_w)
                val = _bilinear_gather(features[b], yy.contiguous(), xx.contiguous())
                acc = val if acc is None else acc + val  # running sum, iy outer, ix inner
        # mean over the n * n samples: one float division by n * n
        output[sel] = (acc / float(n * n)).permute(1, 0, 2, 3)
    return output


class RoIAlign(nn.Module):
    """Drop-in for mmdet.ops.RoIAlign(out_size, spatial_scale, sample_num)."""

    def __init__(self, out_size, spatial_scale, sample_num=0, use_torchvision=False):
        super(RoIAlign, self).__init__()
        self.out_size = _pair(out_size)
        self.spatial_scale = float(spatial_scale)
        self.sample_num = int(sample_num)
        assert not use_torchvision

    def forward(self, features, rois):
        return roi_align(features, rois, self.out_size, self.spatial_scale, self.sample_num)

    def __repr__(self):
        return '{}(out_size={}, spatial_scale={}, sample_num={})'.format(
            self.__class__.__name__, self.out_size, self.spatial_scale, self.sample_num)


def iou_matrix_plus1(boxes):
    """Pairwise IoU in float32 exactly as devIoU() of nms_kernel.cu."""
    b = boxes.to(_F32)
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    left = torch.max(x1[:, None], x1[None, :])
    right = torch.min(x2[:, None], x2[None, :])
    top = torch.max(y1[:, None], y1[None, :])
    bottom = torch.min(y2[:, None], y2[None, :])
    width = torch.clamp((right - left) + 1, min=0.0)
    height = torch.clamp((bottom - top) + 1, min=0.0)
    inter = width * height
    area = ((x2 - x1) + 1) * ((y2 - y1) + 1)
    return inter / ((area[:, None] + area[None, :]) - inter)


def nms_indices(dets, iou_thr):
    """Indices kept by mmdet v1 CUDA NMS, ascending (input order)."""
    if dets.shape[0] == 0:
        return dets.new_zeros(0, dtype=torch.long)
    scores = dets[:, 4]
    order = torch.sort(scores, descending=True, stable=True)[1]
    boxes = dets[order, :4]
    thr = torch.tensor(iou_thr, dtype=_F32)  # the kernel's float threshold
    over = (iou_matrix_plus1(boxes) > thr).cpu().numpy()
    n = over.shape[0]
    removed = np.zeros(n, dtype=bool)
    keep = []
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)  # only j > i is marked
    for i in range(n):
        if removed[i]:
            continue
        keep.append(i)
        removed |= over[i] & upper[i]
    keep = torch.as_tensor(keep, dtype=torch.long, device=dets.device)
    return torch.sort(order[keep])[0]


def nms(dets, iou_thr, device_id=None):
    """mmdet.ops.nms(dets, iou_thr) -> (kept dets, kept indices)."""
    if isinstance(dets, np.ndarray):
        dets_th = torch.from_numpy(dets)
        inds = nms_indices(dets_th, iou_thr).cpu().numpy()
        return dets[inds, :], inds
    inds = nms_indices(dets, iou_thr)
    return dets[inds, :], inds


def soft_nms(*args, **kwargs):
    raise NotImplementedError('soft_nms is not used by the ZSI configs')
