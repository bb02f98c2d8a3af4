#!/usr/bin/python3
"""Runs the ZSI reference implementation's own test path on one image.

    /usr/bin/python3 tests/reference/run_reference.py \
        --reference-repo DIR --checkpoint CKPT.pth \
        --vectors word_w2v_withbg_48_17.txt --voc vocabulary_w2v.txt \
        --config {48_17_zsi,48_17_gzsi,65_15_zsi,65_15_gzsi} \
        [--tiny-backbone DEPTH,WIDTH] --image IMG --out result.json \
        [--dump-intermediate DIR] [--names classes_48_17.txt] [--score-thr T]

The detector, heads, neck, backbone, RoI extractor and post-processing are the
reference's classes, imported from --reference-repo at run time (nothing of it
is copied here); see zsiref/loader.py for the stubs and the two patches.  The
model dict comes from the reference's test config file, with vec_path/voc_path
replaced by the given files and channel counts taken from the checkpoint.  The
image goes through mmdet's test pipeline re-implemented with mmcv 0.2.14
semantics (stubs/mmcv), then through ZeroShotMaskRCNN.forward(return_loss=
False, rescale=True), i.e. simple_test, exactly as tools/test.py does.

Output JSON: one entry per detection in the order of mmdet's results2json
(class by class, and within a class in detection order), with
  bbox   [x1, y1, x2, y2] in original-image pixels (the reference's floats)
  score
  label  0-based index into "seen classes then unseen classes" (the column
         order of the vectors file minus the background column).  In ZSI mode
         the reference's own label j (0..U-1) indexes the unseen classes, so
         label = S + j; in GZSI mode the reference already numbers seen 0..S-1,
         unseen S..S+U-1.
  ref_label  the reference's label (its index into bbox_results)
  det_index  position in det_bboxes (before the per-class regrouping)
  mask   COCO RLE {'size': [h, w], 'counts': str} of the reference's
         get_seg_masks (pycocotools if installed, else the equivalent fallback)
  class_name  with --names (a file with one name per class, seen then unseen)
"""
import argparse
import json
import os
import sys
import time
import warnings

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from zsiref import build as B  # noqa: E402
from zsiref import loader  # noqa: E402


def preprocess(mmcv, path, img_scale, mean, std, to_rgb, size_divisor):
    """mmdet test pipeline: LoadImageFromFile, Resize(keep_ratio), RandomFlip
    (no flip), Normalize, Pad(size_divisor), ImageToTensor, Collect."""
    img = mmcv.imread(path)  # BGR uint8
    ori_shape = img.shape
    img, scale_factor = mmcv.imrescale(img, img_scale, return_scale=True)
    img_shape = img.shape
    mean = np.array(mean, dtype=np.float32)
    std = np.array(std, dtype=np.float32)
    img = mmcv.imnormalize(img, mean, std, to_rgb)
    img = mmcv.impad_to_multiple(img, size_divisor, pad_val=0)
    pad_shape = img.shape
    tensor = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
    meta = dict(filename=path, ori_shape=ori_shape, img_shape=img_shape, pad_shape=pad_shape,
                scale_factor=scale_factor, flip=False,
                img_norm_cfg=dict(mean=mean, std=std, to_rgb=to_rgb))
    return tensor, meta


class Recorder(object):
    """Wraps methods of the built model instance to keep their outputs."""

    def __init__(self, model, ref):
        self.d = {}
        self.model = model
        rec = self.d

        rpn = model.rpn_head
        rpn_forward = rpn.forward

        def rpn_fwd(feats):
            out = rpn_forward(feats)
            rec['rpn_outs'] = out
            return out
        rpn.forward = rpn_fwd

        rpn_get_bboxes = rpn.get_bboxes

        def rpn_gb(*args, **kwargs):
            out = rpn_get_bboxes(*args, **kwargs)
            rec['proposals'] = out
            return out
        rpn.get_bboxes = rpn_gb

        bh = model.bbox_head
        bh_forward = bh.forward

        def bh_fwd(*args, **kwargs):
            out = bh_forward(*args, **kwargs)
            rec['bbox_head_out'] = out
            rec['bbox_head_vec'] = bh.vec.clone()
            rec['bbox_head_vec_unseen'] = bh.vec_unseen.clone()
            return out
        bh.forward = bh_fwd

        bh_gdb = bh.get_det_bboxes

        def bh_get_det(rois, semantic_score, bbox_pred, img_shape, scale_factor,
                       rescale=False, cfg=None):
            # the same call with cfg=None returns the pre-NMS boxes and scores
            pre = bh_gdb(rois, semantic_score, bbox_pred, img_shape, scale_factor,
                         rescale=rescale, cfg=None)
            rec['pre_nms'] = pre
            rec['rois'] = rois
            out = bh_gdb(rois, semantic_score, bbox_pred, img_shape, scale_factor,
                         rescale=rescale, cfg=cfg)
            rec['det'] = out
            return out
        bh.get_det_bboxes = bh_get_det

        mh = model.mask_head
        mh_forward = mh.forward

        def mh_fwd(*args, **kwargs):
            out = mh_forward(*args, **kwargs)
            rec['mask_head_out'] = out
            rec['mask_conv_vec'] = mh.conv_vec.weight.detach().clone()
            if hasattr(mh, 'conv_vec_unseen'):
                rec['mask_conv_vec_unseen'] = mh.conv_vec_unseen.weight.detach().clone()
                rec['mask_con_vec_t'] = mh.con_vec_t.weight.detach().clone()
            return out
        mh.forward = mh_fwd

        neck = model.neck
        neck_forward = neck.forward

        def neck_fwd(*args, **kwargs):
            out = neck_forward(*args, **kwargs)
            rec['fpn'] = out
            return out
        neck.forward = neck_fwd


def npy(t):
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    return np.asarray(t)


def dump_intermediate(rec, meta, img, out_dir, with_features):
    os.makedirs(out_dir, exist_ok=True)
    saved = []

    def save(name, arr):
        np.save(os.path.join(out_dir, name + '.npy'), npy(arr))
        saved.append(name)
    save('input', img)
    rpn_outs = rec['rpn_outs']
    for i, t in enumerate(rpn_outs[0]):
        save('rpn_cls_score_l{}'.format(i), t)
    for i, t in enumerate(rpn_outs[1]):
        save('rpn_bbox_pred_l{}'.format(i), t)
    if len(rpn_outs) == 3:
        save('bg_vector', rpn_outs[2][0].reshape(-1))
    save('proposals', rec['proposals'][0])
    save('rois', rec['rois'])
    bho = rec['bbox_head_out']
    save('bbox_cls_score', bho[0])  # logits before softmax (1 + S columns)
    save('bbox_pred', bho[1])
    save('bbox_head_vec', rec['bbox_head_vec'])  # 300 x (1+S) after the bg sync
    save('bbox_head_vec_unseen', rec['bbox_head_vec_unseen'])
    pre_boxes, pre_scores = rec['pre_nms']
    if isinstance(pre_scores, list):  # GZSI: [seen, unseen]
        save('pre_nms_boxes', pre_boxes[0])
        save('pre_nms_scores_seen', pre_scores[0])
        save('pre_nms_scores_unseen', pre_scores[1])
    else:
        save('pre_nms_boxes', pre_boxes)
        save('pre_nms_scores', pre_scores)
    det_bboxes, det_labels = rec['det']
    save('det_bboxes', det_bboxes)
    save('det_labels', det_labels)
    if 'mask_head_out' in rec:
        mo = rec['mask_head_out']
        if isinstance(mo, tuple):
            save('mask_logits_seen', mo[0])
            save('mask_logits_unseen', mo[1])
        else:
            save('mask_logits', mo)
        save('mask_conv_vec', rec['mask_conv_vec'])
        if 'mask_conv_vec_unseen' in rec:
            save('mask_conv_vec_unseen', rec['mask_conv_vec_unseen'])
            save('mask_con_vec_t', rec['mask_con_vec_t'])
    if with_features:
        for i, f in enumerate(rec['fpn']):
            save('fpn_p{}'.format(i + 2), f)
    with open(os.path.join(out_dir, 'img_meta.json'), 'w') as f:
        json.dump({k: (list(v) if isinstance(v, tuple) else v) for k, v in meta.items()
                   if k != 'img_norm_cfg'}, f, indent=1)
    return saved


def main():
    ap = argparse.ArgumentParser(description='ZSI reference test path on one image')
    ap.add_argument('--reference-repo', required=True)
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--vectors', required=True, help='word_w2v_withbg_*.txt (300 x (1+S+U))')
    ap.add_argument('--voc', default=None, help='vocabulary_w2v.txt (300 x K), required')
    ap.add_argument('--config', required=True, choices=sorted(B.CONFIGS))
    ap.add_argument('--tiny-backbone', default=None, help='DEPTH,WIDTH e.g. 18,8')
    ap.add_argument('--image', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--dump-intermediate', default=None, metavar='DIR')
    ap.add_argument('--dump-features', action='store_true', help='also FPN maps (large)')
    ap.add_argument('--names', default=None, help='class names, one per line, seen then unseen')
    ap.add_argument('--score-thr', type=float, default=None,
                    help="override test_cfg.rcnn.score_thr (and the GZSI path's hard-coded 0.05)")
    ap.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    ap.add_argument('--threads', type=int, default=0, help='torch threads (0: default)')
    args = ap.parse_args()
    warnings.simplefilter('ignore')
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    timings = {}
    t0 = time.time()

    ref = loader.load_reference(args.reference_repo)
    loader.apply_runtime_patches(ref, args.device)
    import mmcv  # the stub, on sys.path after load_reference
    cfg = B.read_config(ref.repo_dir, B.CONFIGS[args.config])
    timings['import'] = time.time() - t0

    t = time.time()
    ckpt, sd = B.read_checkpoint(args.checkpoint)
    timings['read_checkpoint'] = time.time() - t
    derived = B.derive_from_state_dict(sd)
    if args.voc is None:
        ap.error('--voc is required: every reference config builds the box head with the '
                 'VOC projection (bbox_head.kernel_semantic is 300 x K); the VOC-free branch '
                 'of the reference crashes with with_decoder=True')
    voc_cols = np.loadtxt(args.voc, dtype='float32', delimiter=',', max_rows=1).size
    if voc_cols != derived['voc_k']:
        sys.exit('VOC file has {} columns, checkpoint kernel_semantic expects {}'.format(
            voc_cols, derived['voc_k']))
    vectors = np.loadtxt(args.vectors, dtype='float32', delimiter=',')
    S = derived['bbox_num_classes'] - 1
    U = vectors.shape[1] - 1 - S
    split_s = int(args.config.split('_')[0])
    if S != split_s:
        print('note: checkpoint has {} seen classes, config {} expects {}'.format(
            S, args.config, split_s))
    tiny = None
    if args.tiny_backbone:
        depth, width = (int(x) for x in args.tiny_backbone.split(','))
        tiny = (depth, width)
    print('building {} (S={}, U={}, K={})'.format(args.config, S, U, derived['voc_k']))
    mcfg = B.model_cfg_for(cfg, os.path.abspath(args.vectors), os.path.abspath(args.voc),
                           derived, tiny)
    test_cfg = B.AttrDict.wrap(cfg['test_cfg'])
    if args.score_thr is not None:
        test_cfg.rcnn.score_thr = args.score_thr
        # bbox_head_semantic.py calls multiclass_nms(..., 0.05, ...) in the GZSI
        # branch regardless of cfg.score_thr; route the override there too.
        orig_nms = ref.bbox_head_semantic.multiclass_nms

        def multiclass_nms_thr(multi_bboxes, multi_scores, score_thr, nms_cfg, max_num=-1,
                               score_factors=None):
            return orig_nms(multi_bboxes, multi_scores, args.score_thr, nms_cfg, max_num,
                            score_factors)
        ref.bbox_head_semantic.multiclass_nms = multiclass_nms_thr
    t = time.time()
    model = B.build_detector(ref, mcfg, test_cfg)
    missing, unexpected, mismatched = B.load_state_dict_mmcv(model, sd)
    timings['build_and_load'] = time.time() - t
    print('checkpoint: {} tensors; missing in checkpoint: {}; unexpected: {}; shape mismatch: {}'
          .format(len(sd), missing, unexpected, mismatched))
    if unexpected or mismatched:
        sys.exit('checkpoint does not fit the model')
    if args.device == 'cuda':
        model = model.cuda()
    model.eval()

    img_scale, mean, std, to_rgb, size_divisor = B.test_pipeline_params(cfg)
    t = time.time()
    img, meta = preprocess(mmcv, args.image, img_scale, mean, std, to_rgb, size_divisor)
    timings['preprocess'] = time.time() - t
    if args.device == 'cuda':
        img = img.cuda()

    rec = Recorder(model, ref)
    t = time.time()
    with torch.no_grad():
        result = model(img=[img], img_meta=[[meta]], return_loss=False, rescale=True)
    timings['forward'] = time.time() - t
    bbox_results, segm_results = result

    det_bboxes, det_labels = (npy(x) for x in rec.d['det'])
    gzsi = bool(model.gzsd_mode)
    names = None
    if args.names:
        with open(args.names) as f:
            names = [line.strip() for line in f if line.strip()]
    detections = []
    for c, (boxes, segms) in enumerate(zip(bbox_results, segm_results)):
        if len(boxes) == 0:
            continue
        assert len(boxes) == len(segms), (c, len(boxes), len(segms))
        det_idx = np.flatnonzero(det_labels == c)
        assert len(det_idx) == len(boxes)
        label = c if gzsi else S + c
        for j in range(len(boxes)):
            rle = segms[j]
            counts = rle['counts']
            if isinstance(counts, bytes):
                counts = counts.decode('ascii')
            d = {'bbox': [float(v) for v in boxes[j, :4]], 'score': float(boxes[j, 4]),
                 'label': int(label), 'ref_label': int(c), 'det_index': int(det_idx[j]),
                 'mask': {'size': [int(s) for s in rle['size']], 'counts': counts}}
            if names is not None:
                d['class_name'] = names[label]
            detections.append(d)
    timings['total'] = time.time() - t0
    rpn_outs = rec.d['rpn_outs']
    out = {
        'config': args.config,
        'config_file': B.CONFIGS[args.config],
        'checkpoint': os.path.abspath(args.checkpoint),
        'image': os.path.abspath(args.image),
        'mode': 'gzsi' if gzsi else 'zsi',
        'num_seen': S, 'num_unseen': U,
        'img_meta': {'ori_shape': list(meta['ori_shape']), 'img_shape': list(meta['img_shape']),
                     'pad_shape': list(meta['pad_shape']),
                     'scale_factor': meta['scale_factor']},
        'score_thr': test_cfg.rcnn.score_thr,
        'num_proposals': int(rec.d['proposals'][0].shape[0]),
        'num_detections': len(detections),
        'bg_vector_l2': float(rpn_outs[2][0].norm()) if len(rpn_outs) == 3 else None,
        'missing_keys': missing,
        'timings_s': {k: round(v, 3) for k, v in timings.items()},
        'detections': detections,
    }
    if args.dump_intermediate:
        out['intermediate'] = dump_intermediate(rec.d, meta, img, args.dump_intermediate,
                                                args.dump_features)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
    print('{}: {} proposals, {} detections, forward {:.2f} s, total {:.2f} s -> {}'.format(
        args.config, out['num_proposals'], len(detections), timings['forward'],
        timings['total'], args.out))


if __name__ == '__main__':
    main()
