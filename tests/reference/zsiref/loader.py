"""Imports the ZSI reference classes (an MMDetection v1 fork) from a checkout
given at run time, without building or installing it.

The reference's package __init__ files import everything (deformable conv,
HRNet, datasets, albumentations, the compiled CUDA ops ...).  Instead of
executing them, the packages on the import path of the test-time classes are
created here as empty namespace modules whose __path__ points into the
checkout, and the few names other modules import from them are filled in from
the real submodules.  The model code itself (detector, test mixins, BA-RPN,
box head, mask head, FPN, ResNet, RoI extractor, anchor generator, delta2bbox,
multiclass_nms, bbox2roi, bbox2result, fp16 decorators, losses used at
construction) is the reference's own source, imported unchanged.

Replaced, and why:
  mmcv                 -> tests/reference/stubs/mmcv (not installable here)
  mmdet.ops.RoIAlign   -> zsiref.ops.RoIAlign  (CUDA-only in the reference)
  mmdet.ops.nms        -> zsiref.ops.nms       (compiled extension)
  DeformConv, ContextBlock, ModulatedDeformConv, RoIPool, sigmoid_focal_loss
                       -> placeholders that raise (not used by the ZSI configs)
  training-only helpers of mmdet.core (anchor_target, bbox_target,
  mask_target, build_assigner, build_sampler) -> placeholders that raise
  LSoftmaxLinear       -> placeholder (needs scipy; use_lsoftmax=False in all
                          ZSI configs)
  pycocotools          -> tests/reference/fallback, only if not installed

Patched at run time (see apply_runtime_patches):
  torch.Tensor.cuda    -> identity when running on CPU: the heads call
                          .cuda() on their word-vector tensors in __init__.
  test_mixins.torch    -> the reference's test_mixins.py uses torch.cat in the
                          GZSI mask branch (line 153) but never imports torch,
                          so GZSI segmentation raises NameError as published.
                          The name is injected so that the evident intent runs.
"""
import importlib
import os
import sys
import types

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(os.path.dirname(HERE), 'stubs')
FALLBACK = os.path.join(os.path.dirname(HERE), 'fallback')

_loaded = {}


def _unavailable(name):
    def fn(*args, **kwargs):
        raise NotImplementedError('{} is not available in the reference runner '
                                  '(training-only or unused by the ZSI configs)'.format(name))
    fn.__name__ = name
    return fn


class _UnavailableModule(torch.nn.Module):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError('{} is not used by the ZSI configs'.format(type(self).__name__))


def _placeholder_class(name):
    return type(name, (_UnavailableModule, ), {})


def _namespace(name, path=None):
    """Registers an empty package module `name` (optionally with __path__)."""
    mod = types.ModuleType(name)
    if path is not None:
        mod.__path__ = [path]
    mod.__file__ = None
    sys.modules[name] = mod
    parent, _, child = name.rpartition('.')
    if parent:
        setattr(sys.modules[parent], child, mod)
    return mod


def _export(target, source, names):
    for n in names:
        setattr(target, n, getattr(source, n))


def load_reference(repo_dir):
    """Returns a namespace with the reference modules; idempotent."""
    repo_dir = os.path.abspath(repo_dir)
    if repo_dir in _loaded:
        return _loaded[repo_dir]
    if _loaded:
        raise RuntimeError('a different reference checkout is already loaded')
    mm = os.path.join(repo_dir, 'mmdet')
    if not os.path.isfile(os.path.join(mm, 'models', 'detectors', 'zero_shot_mask_rcnn.py')):
        raise FileNotFoundError('{} does not look like the ZSI reference checkout'.format(repo_dir))

    if STUBS not in sys.path:
        sys.path.insert(0, STUBS)
    try:
        import pycocotools.mask  # noqa: F401  (real one if installed)
    except ImportError:
        sys.path.append(FALLBACK)
    import mmcv  # noqa: F401  (the stub)
    assert os.path.dirname(os.path.dirname(mmcv.__file__)) == STUBS, mmcv.__file__

    from . import ops as refops

    def sub(*parts):
        return os.path.join(mm, *parts)

    mmdet = _namespace('mmdet', mm)
    mmdet.__version__ = 'zsi-reference'

    # mmdet.utils: only the registry (flops_counter is not needed)
    utils = _namespace('mmdet.utils', sub('utils'))
    reg = importlib.import_module('mmdet.utils.registry')
    _export(utils, reg, ['Registry', 'build_from_cfg'])

    # mmdet.ops: pure-PyTorch RoIAlign / nms, placeholders for the rest
    ops = _namespace('mmdet.ops', sub('ops'))
    nms_pkg = _namespace('mmdet.ops.nms', sub('ops', 'nms'))
    nms_wrapper = _namespace('mmdet.ops.nms.nms_wrapper')
    for m in (nms_wrapper, nms_pkg, ops):
        m.nms = refops.nms
        m.soft_nms = refops.soft_nms
    nms_pkg.nms_wrapper = nms_wrapper
    ops.RoIAlign = refops.RoIAlign
    ops.roi_align = refops.roi_align
    for n in ['DeformConv', 'DeformConvPack', 'ModulatedDeformConv', 'ModulatedDeformConvPack',
              'DeformRoIPooling', 'DeformRoIPoolingPack', 'ModulatedDeformRoIPoolingPack',
              'MaskedConv2d', 'ContextBlock', 'RoIPool', 'SigmoidFocalLoss']:
        setattr(ops, n, _placeholder_class(n))
    for n in ['deform_conv', 'modulated_deform_conv', 'deform_roi_pooling', 'roi_pool',
              'sigmoid_focal_loss']:
        setattr(ops, n, _unavailable(n))

    # mmdet.core: the real geometry / post-processing code
    core = _namespace('mmdet.core', sub('core'))
    for p in ['bbox', 'anchor', 'post_processing', 'fp16', 'utils', 'evaluation', 'mask']:
        _namespace('mmdet.core.' + p, sub('core', p))
    transforms = importlib.import_module('mmdet.core.bbox.transforms')
    tnames = ['bbox2delta', 'delta2bbox', 'bbox_flip', 'bbox_mapping', 'bbox_mapping_back',
              'bbox2roi', 'roi2bbox', 'bbox2result', 'distance2bbox']
    _export(core.bbox, transforms, tnames)
    _export(core, transforms, tnames)
    geometry = importlib.import_module('mmdet.core.bbox.geometry')
    _export(core.bbox, geometry, ['bbox_overlaps'])
    _export(core, geometry, ['bbox_overlaps'])
    anchor_gen = importlib.import_module('mmdet.core.anchor.anchor_generator')
    _export(core.anchor, anchor_gen, ['AnchorGenerator'])
    _export(core, anchor_gen, ['AnchorGenerator'])
    misc = importlib.import_module('mmdet.core.utils.misc')
    _export(core.utils, misc, ['multi_apply', 'tensor2imgs', 'unmap'])
    _export(core, misc, ['multi_apply', 'tensor2imgs', 'unmap'])
    fp16 = importlib.import_module('mmdet.core.fp16.decorators')
    _export(core.fp16, fp16, ['auto_fp16', 'force_fp32'])
    _export(core, fp16, ['auto_fp16', 'force_fp32'])
    bbox_nms = importlib.import_module('mmdet.core.post_processing.bbox_nms')
    merge_augs = importlib.import_module('mmdet.core.post_processing.merge_augs')
    _export(core.post_processing, bbox_nms, ['multiclass_nms'])
    _export(core, bbox_nms, ['multiclass_nms'])
    mnames = ['merge_aug_proposals', 'merge_aug_bboxes', 'merge_aug_scores', 'merge_aug_masks']
    _export(core.post_processing, merge_augs, mnames)
    _export(core, merge_augs, mnames)
    class_names = importlib.import_module('mmdet.core.evaluation.class_names')
    _export(core, class_names, ['get_classes'])
    for n in ['anchor_target', 'bbox_target', 'mask_target', 'build_assigner', 'build_sampler',
              'wrap_fp16_model']:
        setattr(core, n, _unavailable(n))

    # mmdet.models
    _namespace('mmdet.models', sub('models'))
    registry = importlib.import_module('mmdet.models.registry')
    builder = importlib.import_module('mmdet.models.builder')
    losses = _namespace('mmdet.models.losses', sub('models', 'losses'))
    for m in ['accuracy', 'cross_entropy_loss', 'mse_loss', 'smooth_l1_loss', 'utils']:
        lm = importlib.import_module('mmdet.models.losses.' + m)
        for n in dir(lm):
            if not n.startswith('_'):
                setattr(losses, n, getattr(lm, n))
    losses.LSoftmaxLinear = _placeholder_class('LSoftmaxLinear')
    importlib.import_module('mmdet.models.utils')  # real package __init__ (light)
    plugins = _namespace('mmdet.models.plugins', sub('models', 'plugins'))
    ga = importlib.import_module('mmdet.models.plugins.generalized_attention')
    plugins.GeneralizedAttention = ga.GeneralizedAttention
    for p in ['backbones', 'necks', 'anchor_heads', 'bbox_heads', 'mask_heads',
              'roi_extractors', 'detectors']:
        _namespace('mmdet.models.' + p, sub('models', p))
    ns = types.SimpleNamespace(
        repo_dir=repo_dir,
        registry=registry,
        builder=builder,
        resnet=importlib.import_module('mmdet.models.backbones.resnet'),
        fpn=importlib.import_module('mmdet.models.necks.fpn'),
        ba_anchor_head=importlib.import_module('mmdet.models.anchor_heads.ba_anchor_head'),
        barpn_head=importlib.import_module('mmdet.models.anchor_heads.barpn_head'),
        bbox_head_semantic=importlib.import_module('mmdet.models.bbox_heads.bbox_head_semantic'),
        convfc_bbox_semantic_head=importlib.import_module(
            'mmdet.models.bbox_heads.convfc_bbox_semantic_head'),
        semantic_fcn_mask_head=importlib.import_module(
            'mmdet.models.mask_heads.semantic_fcn_mask_head'),
        single_level=importlib.import_module('mmdet.models.roi_extractors.single_level'),
        test_mixins=importlib.import_module('mmdet.models.detectors.test_mixins'),
        zero_shot_two_stage=importlib.import_module('mmdet.models.detectors.zero_shot_two_stage'),
        zero_shot_mask_rcnn=importlib.import_module('mmdet.models.detectors.zero_shot_mask_rcnn'),
        bbox_nms=bbox_nms,
        transforms=transforms,
        refops=refops,
    )
    _loaded[repo_dir] = ns
    return ns


def apply_runtime_patches(ns, device):
    """See the module docstring.  `device` is 'cpu' or 'cuda'."""
    if device == 'cpu':
        def _cuda_identity(self, device=None, non_blocking=False, **kwargs):
            return self
        torch.Tensor.cuda = _cuda_identity
    if not hasattr(ns.test_mixins, 'torch'):
        ns.test_mixins.torch = torch
