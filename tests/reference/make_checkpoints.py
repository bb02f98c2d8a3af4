#!/usr/bin/python3
"""Writes random-weight checkpoints in the exact key layout of the ZSI
reference (Zheng et al., CVPR 2021; MMDetection v1 + mmcv 0.2.14), saved the
way the reference saves them, plus matching stand-in VOC files.

    /usr/bin/python3 tests/reference/make_checkpoints.py --out DIR \
        [--splits 48_17,65_15] [--full-r101] [--check-with-reference REPO]

Outputs (DIR):
  tiny_48_17.pth       ResNet-18 of base width 8, FPN/RPN/mask head 16 channels,
                       box-head fc 32, semantic dim 300, 48 seen classes + bg,
                       VOC K = 40  (tiny_65_15.pth with --splits ...,65_15)
  voc_stand_in_k40.txt 300 x 40 comma-separated '%.18e' (the format of the
                       reference's data/coco/*.txt files, read with
                       np.loadtxt(delimiter=','))
  r101_48_17.pth       with --full-r101: ResNet-101 48/17 stand-in, K = 4717
  voc_stand_in_k4717.txt
  manifest.json        seeds, sizes, sha256, key counts

How a real mmcv 0.2.14 checkpoint looks, and how this script mimics it:
  * torch.save(..., _use_new_zipfile_serialization=False): the legacy pickle
    format of PyTorch 1.1 (magic number, protocol 1001, sys info, pickle of the
    object with persistent ids ('storage', torch.FloatStorage, key, location,
    numel, None), then the raw storages).
  * {'meta': {mmdet_version, config (the config file text), CLASSES, epoch,
    iter, mmcv_version, time}, 'state_dict': OrderedDict, 'optimizer':
    {'state': {...}, 'param_groups': [...]}} (mmcv runner/checkpoint.py
    save_checkpoint; meta from tools/train.py + Runner.save_checkpoint).
    tools/publish_model.py deletes 'optimizer' AND 'meta', leaving
    {'state_dict': ...} (use --published for that variant).
  * state_dict = weights_to_cpu(model.state_dict()): a NEW OrderedDict (so no
    `_metadata` attribute), every value copied with .cpu().  In PyTorch 1.1
    that copy is contiguous (Tensor.to allocated at::empty(sizes) and copied),
    so mask_head.conv_vec.weight, a transposed view of the word-vector matrix
    in the live model, is written as a contiguous (C, 300, 1, 1) tensor with
    its own storage.  --conv-vec-layout view writes it as the live view
    instead (strides (1, C, 1, 1) over a 300 x C storage) to test loaders.
  * Location tags: the state dict was moved to the CPU, so its storages are
    tagged 'cpu'; the optimizer state is NOT moved, so in a real checkpoint
    every momentum buffer storage is tagged 'cuda:0' (map_location='cpu' is
    needed to read it without a GPU).  A GPU is not available here; with
    --optimizer-location cuda:0 the tag is written anyway (by patching
    torch.serialization.location_tag during the save).
  * Optimizer state_dict of PyTorch 1.1: keys are Python object ids of the
    parameters (large integers), not 0..N-1 indices (the integer packing came
    with later PyTorch).  param_groups[0] = {lr, momentum, dampening,
    weight_decay, nesterov, initial_lr (added by mmcv's LR hook), params: the
    ids of ALL model parameters in model.parameters() order}.  Momentum
    buffers exist only for parameters that received gradients (see
    zsiref/layout.py).  Fake ids are used here.
  * meta['CLASSES'] is the class tuple of the TRAINING dataset type; the
    48/17 training config uses dataset_type='CocoDatasetUnseen17', so the
    published 48/17 checkpoint would carry the 17 unseen names (65/15:
    CocoDatasetUnseen15, 15 names).  meta['config'] holds the config text; a
    placeholder is written here (the reference text is not copied).

Weights: deterministic (torch.Generator, --seed), shaped so that a forward pass
stays finite: He-scaled convs, BatchNorm with non-trivial statistics
(running_var uniform in [0.5, 2], running_mean ~ N(0, 0.1^2), weight in
[0.5, 1.5], last BN of each residual branch scaled down), num_batches_tracked
= 0 (torchvision-pretrained BN with norm_eval never updates it),
rpn_head.vec_fb rows 0/2/4 = background column of the vectors file plus noise
(the reference initialises them with it), mask_head.conv_vec = the first C
columns of the vectors file (frozen in training; for 65/15, where the mask
head synchronises the background during training, row 0 holds a background
vector close to, but not equal to, the mean of vec_fb rows 0/2/4).
"""
import argparse
import hashlib
import json
import os
import sys
import time
from collections import OrderedDict

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from zsiref import layout as L  # noqa: E402

DEFAULT_VECTORS = '/work/shared/data/zsi-coco-word-vectors'

TINY = dict(depth=18, width=8, fpn=16, rpn_feat=16, semantic=300, fc=32, voc_k=40, mask_ch=16)
FULL = dict(depth=101, width=64, fpn=256, rpn_feat=256, semantic=300, fc=1024, voc_k=4717,
            mask_ch=256)
SPLITS = {'48_17': (48, 17), '65_15': (65, 15)}
UNSEEN_NAMES = {
    '48_17': ('bus', 'dog', 'cow', 'elephant', 'umbrella', 'tie', 'skateboard', 'cup', 'knife',
              'cake', 'couch', 'keyboard', 'sink', 'scissors', 'airplane', 'cat', 'snowboard'),
    '65_15': ('airplane', 'train', 'parking_meter', 'cat', 'bear', 'suitcase', 'frisbee',
              'snowboard', 'fork', 'sandwich', 'hot_dog', 'toilet', 'mouse', 'toaster',
              'hair_drier'),
}


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def write_voc(path, k, semantic, seed):
    """Stand-in vocabulary matrix: 300 rows x K columns, each column scaled to
    the L2 norm of the class vectors (0.7666)."""
    rng = np.random.RandomState(seed)
    voc = rng.randn(semantic, k).astype(np.float32)
    voc *= 0.7666 / np.linalg.norm(voc, axis=0, keepdims=True)
    np.savetxt(path, voc, fmt='%.18e', delimiter=',')
    return path


def _is_last_branch_bn(name, depth):
    last = 'bn3' if depth >= 50 else 'bn2'
    return '.{}.'.format(last) in name and name.startswith('backbone.layer')


def make_state_dict(spec, num_classes, vectors, seed, split, conv_vec_layout):
    g = torch.Generator().manual_seed(seed)
    lay = L.model_layout(depth=spec['depth'], width=spec['width'], fpn=spec['fpn'],
                         rpn_feat=spec['rpn_feat'], semantic=spec['semantic'], fc=spec['fc'],
                         num_classes=num_classes, voc_k=spec['voc_k'], mask_ch=spec['mask_ch'])
    sd = OrderedDict()

    def normal(shape, std):
        return torch.randn(shape, generator=g) * std

    def uniform(shape, lo, hi):
        return torch.rand(shape, generator=g) * (hi - lo) + lo

    bg = torch.from_numpy(vectors[:, 0].copy())
    vec_fb = None
    for name, shape, kind, _ in lay:
        if name.endswith('num_batches_tracked'):
            t = torch.tensor(0, dtype=torch.int64)
        elif name.endswith('running_mean'):
            t = normal(shape, 0.1)
        elif name.endswith('running_var'):
            t = uniform(shape, 0.5, 2.0)
        elif '.bn' in name or 'downsample.1' in name:
            if name.endswith('.weight'):
                t = uniform(shape, 0.5, 1.5)
                if _is_last_branch_bn(name, spec['depth']):
                    t = t * 0.2
            else:
                t = normal(shape, 0.1)
        elif name == 'rpn_head.vec_fb.weight':
            t = normal(shape, 0.05)
            for r in (0, 2, 4):
                t[r, :, 0, 0] = bg + normal(bg.shape, 0.02)
            vec_fb = t
        elif name == 'mask_head.conv_vec.weight':
            w = torch.from_numpy(vectors[:, :num_classes].T.copy())
            if split == '65_15':
                vb = (vec_fb[0, :, 0, 0] + vec_fb[2, :, 0, 0] + vec_fb[4, :, 0, 0]) / 3.0
                w[0] = vb + normal(vb.shape, 0.001)
            t = w.reshape(num_classes, -1, 1, 1)
        elif name.endswith('.bias'):
            t = normal(shape, 0.01 if 'kernel_semantic' not in name else 0.001)
        elif len(shape) == 4:
            fan_in = shape[1] * shape[2] * shape[3]
            if name == 'mask_head.upsample.weight':  # ConvTranspose2d: (in, out, k, k)
                fan_in = shape[0] * shape[2] * shape[3] / 4.0
            t = normal(shape, (2.0 / fan_in) ** 0.5)
            if name.startswith('rpn_head.rpn_reg') or name.startswith('rpn_head.rpn_cls_conv_T'):
                t = t * 0.1
        elif len(shape) == 2:
            std = (1.0 / shape[1]) ** 0.5
            if name == 'bbox_head.fc_reg.weight':
                std = 0.1 * std
            t = normal(shape, std)
        else:
            raise AssertionError(name)
        assert tuple(t.shape) == tuple(shape), (name, t.shape, shape)
        sd[name] = t.contiguous()
    if conv_vec_layout == 'view':
        w = sd['mask_head.conv_vec.weight']
        base = w.reshape(num_classes, -1).t().contiguous()  # 300 x C storage, as mask_head.vec
        sd['mask_head.conv_vec.weight'] = torch.unsqueeze(torch.unsqueeze(base.t(), -1), -1)
    return sd, lay


def make_optimizer_state(sd, lay, lr0, seed):
    g = torch.Generator().manual_seed(seed + 1)
    fake_id = lambda i: 0x7F3A00000000 + 0x48 * i  # noqa: E731  (stand-in for id(param))
    params = [(name, shape, trained) for name, shape, kind, trained in lay if kind == 'param']
    state = OrderedDict()
    ids = []
    for i, (name, shape, trained) in enumerate(params):
        ids.append(fake_id(i))
        if trained:
            state[fake_id(i)] = {'momentum_buffer': torch.randn(shape, generator=g) * 1e-4}
    group = OrderedDict([('lr', lr0 * 0.1 ** 2), ('momentum', 0.9), ('dampening', 0),
                         ('weight_decay', 0.0001), ('nesterov', False), ('initial_lr', lr0),
                         ('params', ids)])
    return {'state': state, 'param_groups': [dict(group)]}


def save_legacy(obj, path, optimizer_location=None):
    """Legacy (non-zip) torch.save; optionally tags optimizer storages."""
    import torch.serialization as ser
    orig = ser.location_tag
    tagged = set()
    if optimizer_location:
        for st in obj.get('optimizer', {}).get('state', {}).values():
            for t in st.values():
                if torch.is_tensor(t):
                    tagged.add(t.data_ptr())

        def location_tag(storage):
            try:
                ptr = storage.data_ptr()
            except Exception:
                ptr = None
            if ptr in tagged:
                return optimizer_location
            return orig(storage)
        ser.location_tag = location_tag
    try:
        torch.save(obj, path, _use_new_zipfile_serialization=False)
    finally:
        ser.location_tag = orig


def write_checkpoint(path, spec, split, vectors, seed, args):
    seen, unseen = SPLITS[split]
    num_classes = seen + 1
    sd, lay = make_state_dict(spec, num_classes, vectors, seed, split, args.conv_vec_layout)
    if args.half:
        # Half precision halves the committed test fixtures; every reader converts to float32
        # (torch's load_state_dict copy_ and ZSI Studio's importer alike), so both see the
        # same weights. Tensor.half() keeps a strided view's strides (preserve_format).
        sd = OrderedDict((k, v.half() if v.is_floating_point() else v) for k, v in sd.items())
    if args.published:
        ckpt = {'state_dict': sd}
    else:
        lr0 = 0.01 if split == '48_17' else 0.0075
        meta = OrderedDict([
            ('mmdet_version', '1.0rc0+stand-in'),
            ('config', '# stand-in: the training config text of the reference goes here\n'),
            ('CLASSES', UNSEEN_NAMES[split]),
            ('epoch', 12), ('iter', 12 * 1000),
            ('mmcv_version', '0.2.14'),
            ('time', time.asctime(time.gmtime(0)))])
        ckpt = {'meta': dict(meta), 'state_dict': sd,
                'optimizer': make_optimizer_state(sd, lay, lr0, seed)}
    save_legacy(ckpt, path, args.optimizer_location)
    n_params = sum(1 for _, _, k, _ in lay if k == 'param')
    return {'file': os.path.basename(path), 'split': split, 'seed': seed,
            'keys': len(sd), 'params': n_params,
            'momentum_buffers': 0 if args.published else len(ckpt['optimizer']['state']),
            'bytes': os.path.getsize(path), 'sha256': sha256(path), 'spec': spec}


def check_with_reference(repo, out_dir, entries, vectors_dir, log=print):
    """Builds the real reference model (training and test configs) and compares
    its state_dict with the written checkpoints."""
    from zsiref import build as B
    from zsiref import loader
    ref = loader.load_reference(repo)
    loader.apply_runtime_patches(ref, 'cpu')
    ok = True
    for e in entries:
        path = os.path.join(out_dir, e['file'])
        _, sd = B.read_checkpoint(path)
        split = e['split']
        vec = os.path.join(vectors_dir, 'word_w2v_withbg_{}.txt'.format(split))
        voc = os.path.join(out_dir, 'voc_stand_in_k{}.txt'.format(e['spec']['voc_k']))
        derived = B.derive_from_state_dict(sd)
        tiny = None if e['spec']['depth'] == 101 else (e['spec']['depth'], e['spec']['width'])
        for mode, rel in [('train', B.TRAIN_CONFIGS[split]),
                          ('test-zsi', B.CONFIGS[split + '_zsi'])]:
            cfg = B.read_config(repo, rel)
            mcfg = B.model_cfg_for(cfg, vec, voc, derived, tiny, log=lambda *a: None)
            model = B.build_detector(ref, mcfg, cfg['test_cfg'])
            own = model.state_dict()
            own_list = [(k, tuple(v.shape)) for k, v in own.items()]
            ck_list = [(k, tuple(v.shape)) for k, v in sd.items()]
            if mode == 'train':
                if tiny is not None:
                    # the tiny backbone is not the reference class; compare the rest
                    own_list = [x for x in own_list if not x[0].startswith('backbone.')]
                    ck_list = [x for x in ck_list if not x[0].startswith('backbone.')]
                same = own_list == ck_list
                ok &= same
                log('  {} vs reference {} model: keys+shapes+order {}'.format(
                    e['file'], mode, 'IDENTICAL' if same else 'DIFFERENT'))
                if not same:
                    for a, b in zip(own_list, ck_list):
                        if a != b:
                            log('    first difference: model {} / checkpoint {}'.format(a, b))
                            break
            else:
                extra = [k for k, _ in own_list if k not in sd]
                log('  {} test config registers {} keys absent from the checkpoint: {}'.format(
                    e['file'], len(extra), extra))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--splits', default='48_17', help='comma list of 48_17,65_15 (tiny models)')
    ap.add_argument('--full-r101', action='store_true', help='also write r101_48_17.pth (K=4717)')
    ap.add_argument('--vectors-dir', default=DEFAULT_VECTORS,
                    help='folder with word_w2v_withbg_{48_17,65_15}.txt')
    ap.add_argument('--seed', type=int, default=20210601)
    ap.add_argument('--conv-vec-layout', choices=['contiguous', 'view'], default='contiguous')
    ap.add_argument('--optimizer-location', default=None,
                    help="storage location tag for momentum buffers, e.g. 'cuda:0'")
    ap.add_argument('--half', action='store_true',
                    help='store floating-point tensors as float16 (small test fixtures)')
    ap.add_argument('--published', action='store_true',
                    help='write {"state_dict": ...} only, as tools/publish_model.py leaves it')
    ap.add_argument('--check-with-reference', metavar='REPO', default=None,
                    help='build the real reference model and compare layouts')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    entries = []
    splits = [s for s in args.splits.split(',') if s]
    write_voc(os.path.join(args.out, 'voc_stand_in_k40.txt'), TINY['voc_k'], 300, args.seed)
    for i, split in enumerate(splits):
        vectors = np.loadtxt(os.path.join(args.vectors_dir, 'word_w2v_withbg_{}.txt'.format(split)),
                             dtype='float32', delimiter=',')
        path = os.path.join(args.out, 'tiny_{}.pth'.format(split))
        entries.append(write_checkpoint(path, TINY, split, vectors, args.seed + i, args))
        print('wrote {} ({} bytes)'.format(path, entries[-1]['bytes']))
    if args.full_r101:
        write_voc(os.path.join(args.out, 'voc_stand_in_k4717.txt'), FULL['voc_k'], 300, args.seed)
        vectors = np.loadtxt(os.path.join(args.vectors_dir, 'word_w2v_withbg_48_17.txt'),
                             dtype='float32', delimiter=',')
        path = os.path.join(args.out, 'r101_48_17.pth')
        entries.append(write_checkpoint(path, FULL, '48_17', vectors, args.seed + 100, args))
        print('wrote {} ({} bytes)'.format(path, entries[-1]['bytes']))
        ref_keys = os.path.join(args.vectors_dir, 'reference_keys_48_17.txt')
        if os.path.isfile(ref_keys):
            lay = L.model_layout(num_classes=49)
            with open(ref_keys) as f:
                want = [line.rstrip('\n') for line in f]
            same = L.format_keys(lay) == want
            print('r101 layout vs {}: {}'.format(ref_keys, 'IDENTICAL' if same else 'DIFFERENT'))
    manifest = {'args': vars(args), 'checkpoints': entries, 'seconds': round(time.time() - t0, 1)}
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    if args.check_with_reference:
        ok = check_with_reference(args.check_with_reference, args.out, entries, args.vectors_dir)
        if not ok:
            sys.exit(1)
    print('done in {:.1f} s'.format(time.time() - t0))


if __name__ == '__main__':
    main()
