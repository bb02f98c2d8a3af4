"""Config reading, model construction with the reference builder, checkpoint
reading and loading (mmcv 0.2.14 semantics)."""
import copy
import os
import runpy
from collections import OrderedDict

import torch

CONFIGS = {
    '48_17_zsi': 'configs/zsi/48_17/test/zsi/zero-shot-mask-rcnn-BARPN-bbox_mask_sync_bg_decoder.py',
    '48_17_gzsi': 'configs/zsi/48_17/test/gzsi/zero-shot-mask-rcnn-BARPN-bbox_mask_sync_bg_decoder_gzsi.py',
    '65_15_zsi': 'configs/zsi/65_15/test/zsi/'
                 'zero-shot-mask-rcnn-BARPN-bbox_mask_sync_bg_65_15_decoder_notanh.py',
    '65_15_gzsi': 'configs/zsi/65_15/test/gzsi/'
                  'zero-shot-mask-rcnn-BARPN-bbox_mask_sync_bg_65_15_decoder_notanh_gzsi.py',
}
TRAIN_CONFIGS = {
    '48_17': 'configs/zsi/48_17/train/zero-shot-mask-rcnn-BARPN-bbox_mask_sync_bg_decoder.py',
    '65_15': 'configs/zsi/65_15/train/zero-shot-mask-rcnn-BARPN-bbox_mask_sync_bg_65_15_decoder_notanh.py',
}


class AttrDict(dict):
    """Stand-in for mmcv.ConfigDict: a dict whose keys read as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)

    def __setattr__(self, name, value):
        self[name] = value

    @staticmethod
    def wrap(obj):
        if isinstance(obj, dict):
            return AttrDict({k: AttrDict.wrap(v) for k, v in obj.items()})
        if isinstance(obj, list):
            return [AttrDict.wrap(v) for v in obj]
        return obj


def read_config(repo_dir, rel_path):
    """Executes a reference config file (plain Python assignments)."""
    path = os.path.join(repo_dir, rel_path)
    ns = runpy.run_path(path)
    return {k: v for k, v in ns.items() if not k.startswith('__')}


def test_pipeline_params(cfg):
    """(img_scale, mean, std, to_rgb, size_divisor) from the config's test
    pipeline; asserts it is the single-scale, no-flip pipeline of the ZSI
    configs."""
    pipe = cfg['test_pipeline']
    assert pipe[0]['type'] == 'LoadImageFromFile'
    aug = pipe[1]
    assert aug['type'] == 'MultiScaleFlipAug' and not aug.get('flip', False)
    img_scale = aug['img_scale']
    assert isinstance(img_scale, tuple)
    types = [t['type'] for t in aug['transforms']]
    assert types == ['Resize', 'RandomFlip', 'Normalize', 'Pad', 'ImageToTensor', 'Collect'], types
    assert aug['transforms'][0].get('keep_ratio', True)
    norm = aug['transforms'][2]
    pad = aug['transforms'][3]
    return img_scale, norm['mean'], norm['std'], norm.get('to_rgb', True), pad['size_divisor']


def read_checkpoint(path):
    """torch.load (legacy or zip format, any storage location) -> (ckpt, sd).
    Accepts {'state_dict': ...} (mmcv save_checkpoint / publish_model) and a
    bare state dict.  A 'module.' prefix is stripped, as mmcv does."""
    ckpt = torch.load(path, map_location='cpu')
    if isinstance(ckpt, dict) and 'state_dict' in ckpt:
        sd = ckpt['state_dict']
    elif isinstance(ckpt, dict) and all(torch.is_tensor(v) for v in ckpt.values()):
        sd = ckpt
    else:
        raise RuntimeError('No state_dict found in checkpoint file {}'.format(path))
    keys = list(sd.keys())
    if keys and keys[0].startswith('module.'):
        sd = OrderedDict((k[7:], v) for k, v in sd.items())
    return ckpt, sd


def derive_from_state_dict(sd):
    """Channel counts and class count as stored in the checkpoint."""
    d = {}
    n_lat = sum(1 for k in sd if k.startswith('neck.lateral_convs.') and k.endswith('.conv.weight'))
    d['neck_in'] = [int(sd['neck.lateral_convs.{}.conv.weight'.format(i)].shape[1])
                    for i in range(n_lat)]
    d['neck_out'] = int(sd['neck.lateral_convs.0.conv.weight'].shape[0])
    d['rpn_in'] = int(sd['rpn_head.rpn_conv.weight'].shape[1])
    d['rpn_feat'] = int(sd['rpn_head.rpn_conv.weight'].shape[0])
    d['rpn_semantic'] = int(sd['rpn_head.rpn_cls_conv_T.weight'].shape[0])
    d['rpn_anchors'] = int(sd['rpn_head.rpn_reg.weight'].shape[0]) // 4
    d['bbox_num_fcs'] = sum(1 for k in sd if k.startswith('bbox_head.shared_fcs.')
                            and k.endswith('.weight'))
    d['bbox_fc'] = int(sd['bbox_head.shared_fcs.0.weight'].shape[0])
    d['bbox_roi_in'] = int(sd['bbox_head.shared_fcs.0.weight'].shape[1])
    d['bbox_num_classes'] = int(sd['bbox_head.fc_reg.weight'].shape[0]) // 4
    d['bbox_semantic'] = int(sd['bbox_head.fc_semantic.weight'].shape[0])
    d['voc_k'] = int(sd['bbox_head.kernel_semantic.weight'].shape[1])
    d['mask_num_convs'] = sum(1 for k in sd if k.startswith('mask_head.convs.')
                              and k.endswith('.conv.weight'))
    d['mask_in'] = int(sd['mask_head.convs.0.conv.weight'].shape[1])
    d['mask_ch'] = int(sd['mask_head.convs.0.conv.weight'].shape[0])
    d['mask_num_classes'] = int(sd['mask_head.conv_vec.weight'].shape[0])
    return d


def model_cfg_for(cfg, vectors, voc, derived=None, tiny=None, log=print):
    """The config's model dict with file paths replaced, pretrained=None, an
    optional tiny backbone and the channel counts of the checkpoint."""
    m = copy.deepcopy(cfg['model'])
    m['pretrained'] = None
    for head in ('rpn_head', 'bbox_head', 'mask_head'):
        h = m[head]
        h['vec_path'] = vectors
        if h.get('voc_path') is not None:
            h['voc_path'] = voc
    if tiny is not None:
        depth, width = tiny
        from .tiny_backbone import tiny_channels
        m['backbone'] = dict(type='TinyTorchvisionResNet', depth=depth, base_width=width,
                             out_indices=m['backbone'].get('out_indices', (0, 1, 2, 3)),
                             frozen_stages=m['backbone'].get('frozen_stages', 1),
                             style=m['backbone'].get('style', 'pytorch'))
        m['neck']['in_channels'] = tiny_channels(depth, width)
    if derived is not None:
        d = derived

        def setv(dct, key, val, where):
            if dct.get(key) != val:
                log('  override {}.{}: {} -> {} (from checkpoint shapes)'.format(
                    where, key, dct.get(key), val))
            dct[key] = val
        setv(m['neck'], 'in_channels', d['neck_in'], 'neck')
        setv(m['neck'], 'out_channels', d['neck_out'], 'neck')
        setv(m['rpn_head'], 'in_channels', d['rpn_in'], 'rpn_head')
        setv(m['rpn_head'], 'feat_channels', d['rpn_feat'], 'rpn_head')
        setv(m['rpn_head'], 'semantic_dims', d['rpn_semantic'], 'rpn_head')
        na = len(m['rpn_head']['anchor_ratios']) * len(m['rpn_head']['anchor_scales'])
        assert na == d['rpn_anchors'], (na, d['rpn_anchors'])
        for ex in ('bbox_roi_extractor', 'mask_roi_extractor'):
            setv(m[ex], 'out_channels', d['neck_out'], ex)
        bh = m['bbox_head']
        roi = bh.get('roi_feat_size', 7)
        assert d['bbox_roi_in'] % (roi * roi) == 0
        setv(bh, 'in_channels', d['bbox_roi_in'] // (roi * roi), 'bbox_head')
        setv(bh, 'num_fcs', d['bbox_num_fcs'], 'bbox_head')
        setv(bh, 'fc_out_channels', d['bbox_fc'], 'bbox_head')
        setv(bh, 'num_classes', d['bbox_num_classes'], 'bbox_head')
        setv(bh, 'semantic_dims', d['bbox_semantic'], 'bbox_head')
        mh = m['mask_head']
        setv(mh, 'num_convs', d['mask_num_convs'], 'mask_head')
        setv(mh, 'in_channels', d['mask_in'], 'mask_head')
        setv(mh, 'conv_out_channels', d['mask_ch'], 'mask_head')
        setv(mh, 'num_classes', d['mask_num_classes'], 'mask_head')
    return m


def build_detector(ref, model_cfg, test_cfg):
    """The reference builder: build_from_cfg(cfg, DETECTORS, {train_cfg,
    test_cfg}); the detector's __init__ calls init_weights(pretrained=None)."""
    from .tiny_backbone import register_tiny_backbone
    register_tiny_backbone(ref)
    return ref.builder.build_detector(copy.deepcopy(model_cfg), train_cfg=None,
                                      test_cfg=AttrDict.wrap(test_cfg))


def load_state_dict_mmcv(module, state_dict):
    """mmcv 0.2.14 runner/checkpoint.py load_state_dict (strict=False):
    own_state[name].copy_(param) for every key with matching shape.  copy_ into
    the existing tensors matters: mask_head.conv_vec.weight is a transposed
    view of mask_head.vec (and con_vec_t.weight a view of the same storage), so
    loading it overwrites those too, exactly as in the reference."""
    unexpected, mismatched = [], []
    own_state = module.state_dict()
    for name, param in state_dict.items():
        if name not in own_state:
            unexpected.append(name)
            continue
        if isinstance(param, torch.nn.Parameter):
            param = param.data
        if param.size() != own_state[name].size():
            mismatched.append((name, tuple(own_state[name].size()), tuple(param.size())))
            continue
        own_state[name].copy_(param)
    missing = [k for k in own_state.keys()
               if k not in state_dict and 'num_batches_tracked' not in k]
    return missing, unexpected, mismatched
