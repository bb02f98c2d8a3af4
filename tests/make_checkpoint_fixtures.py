#!/usr/bin/env python3
"""Writes the small torch.save files that tests/checkpoint reads (run once, output committed).

Uses Debian's python3-torch (/usr/bin/python3). Each file covers one way torch.save has
written checkpoints; expected.json lists every tensor of every file (name, dtype, shape and
values as float64) so the C++ tests need no Python.

    /usr/bin/python3 tests/make_checkpoint_fixtures.py tests/fixtures/checkpoint
"""
import collections
import json
import os
import sys

import torch
import torch.serialization as ser


def base_state():
    g = torch.Generator().manual_seed(7)
    sd = collections.OrderedDict()
    sd['conv.weight'] = torch.randn(4, 3, 3, 3, generator=g)
    sd['conv.bias'] = torch.randn(4, generator=g)
    # A strided view: the transpose of a 5 x 6 storage, as conv_vec.weight is in the
    # reference checkpoints (a view of the class-vector matrix).
    base = torch.randn(5, 6, generator=g)
    sd['head.vec'] = base.t().reshape(6, 5)[:, :].t().t()  # contiguous copy ...
    sd['head.view'] = base.t()  # ... and a real strided view of `base`
    sd['head.offset_view'] = base.view(-1)[7:19].view(3, 4)  # storage offset 7
    sd['bn.running_mean'] = torch.randn(4, generator=g)
    sd['bn.num_batches_tracked'] = torch.tensor(123, dtype=torch.long)
    sd['empty'] = torch.zeros(0, 3)
    return sd


def mmcv_checkpoint(sd):
    # mmcv 0.2 save_checkpoint: meta, state_dict and the optimizer's state.
    momentum = {i: {'momentum_buffer': torch.full_like(t, 0.5)}
                for i, t in enumerate(sd.values()) if t.is_floating_point()}
    return {
        'meta': {'mmcv_version': '0.2.14', 'time': 'Mon Jan  6 10:00:00 2020',
                 'CLASSES': ('person', 'bicycle', 'traffic light'), 'epoch': 12, 'iter': 87840},
        'state_dict': sd,
        'optimizer': {'state': momentum,
                      'param_groups': [{'lr': 0.0001, 'momentum': 0.9, 'dampening': 0,
                                        'weight_decay': 0.0001, 'nesterov': False,
                                        'params': list(momentum.keys())}]},
    }


def save(obj, path, legacy):
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'tests/fixtures/checkpoint'
    os.makedirs(out, exist_ok=True)
    expected = {}

    def record(name, sd):
        expected[name] = [{'name': k, 'dtype': str(t.dtype).replace('torch.', ''),
                           'shape': list(t.shape),
                           'values': t.double().flatten().tolist()} for k, t in sd.items()]

    sd = base_state()
    save(mmcv_checkpoint(sd), os.path.join(out, 'mmcv_legacy.pth'), legacy=True)
    record('mmcv_legacy.pth', sd)
    save(mmcv_checkpoint(sd), os.path.join(out, 'mmcv_zip.pth'), legacy=False)
    record('mmcv_zip.pth', sd)
    # publish_model.py: only 'state_dict' is left.
    save({'state_dict': sd}, os.path.join(out, 'published_legacy.pth'), legacy=True)
    record('published_legacy.pth', sd)
    # A bare state dict saved from a DataParallel model (module. prefix), in half precision.
    half = collections.OrderedDict(('module.' + k, t.half() if t.is_floating_point() else t)
                                   for k, t in sd.items())
    save(half, os.path.join(out, 'bare_module_fp16.pth'), legacy=True)
    record('bare_module_fp16.pth', collections.OrderedDict(
        (k[7:], t) for k, t in half.items()))
    dbl = collections.OrderedDict((k, t.double() if t.is_floating_point() else t) for k, t in sd.items())
    save(dbl, os.path.join(out, 'bare_fp64_zip.pth'), legacy=False)
    record('bare_fp64_zip.pth', dbl)
    bf = collections.OrderedDict((k, t.bfloat16() if t.is_floating_point() else t) for k, t in sd.items())
    save({'state_dict': bf}, os.path.join(out, 'bf16_zip.pth'), legacy=False)
    record('bf16_zip.pth', bf)
    # Storages tagged as saved from a GPU (what a checkpoint trained on CUDA carries).
    real_tag = ser.location_tag
    ser.location_tag = lambda storage: 'cuda:0'
    try:
        save({'state_dict': sd}, os.path.join(out, 'cuda_tagged_legacy.pth'), legacy=True)
        save({'state_dict': sd}, os.path.join(out, 'cuda_tagged_zip.pth'), legacy=False)
    finally:
        ser.location_tag = real_tag
    record('cuda_tagged_legacy.pth', sd)
    record('cuda_tagged_zip.pth', sd)
    # Parameters (nn.Parameter pickles through torch._utils._rebuild_parameter).
    params = collections.OrderedDict(
        (k, torch.nn.Parameter(t)) for k, t in sd.items() if t.is_floating_point() and t.numel())
    save({'state_dict': params}, os.path.join(out, 'parameters_legacy.pth'), legacy=True)
    record('parameters_legacy.pth', params)
    # Not checkpoints.
    save([1, 2, 3], os.path.join(out, 'a_list.pth'), legacy=True)
    save({'epoch': 3}, os.path.join(out, 'no_tensors.pth'), legacy=False)

    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump(expected, f)
    print('wrote', sorted(os.listdir(out)))


if __name__ == '__main__':
    main()
