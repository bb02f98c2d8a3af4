"""The state-dict layout of the ZSI reference model (ZeroShotMaskRCNN built
from the TRAINING config, i.e. what mmcv's save_checkpoint writes), derived
from the module definitions, in registration order.

Each entry: (name, shape, kind, trained) with kind 'param' or 'buffer' and
trained = whether SGD keeps a momentum buffer for it after training (the
parameter requires grad and receives a gradient).  No momentum buffer exists
for: the frozen stem and layer1 (frozen_stages=1), mask_head.conv_vec (frozen
word vectors), bbox_head.fc_res and mask_head.convs.0-2 (registered but never
used by the forward pass, so their grad stays None).
"""

BLOCKS = {18: ('basic', (2, 2, 2, 2)), 34: ('basic', (3, 4, 6, 3)),
          50: ('bottleneck', (3, 4, 6, 3)), 101: ('bottleneck', (3, 4, 23, 3)),
          152: ('bottleneck', (3, 8, 36, 3))}


def _bn(prefix, c, trained):
    return [(prefix + '.weight', (c, ), 'param', trained),
            (prefix + '.bias', (c, ), 'param', trained),
            (prefix + '.running_mean', (c, ), 'buffer', False),
            (prefix + '.running_var', (c, ), 'buffer', False),
            (prefix + '.num_batches_tracked', (), 'buffer', False)]


def backbone_layout(depth, width=64, frozen_stages=1, prefix='backbone.'):
    kind, stages = BLOCKS[depth]
    expansion = 1 if kind == 'basic' else 4
    out = [(prefix + 'conv1.weight', (width, 3, 7, 7), 'param', frozen_stages < 0)]
    out += _bn(prefix + 'bn1', width, frozen_stages < 0)
    inplanes = width
    channels = []
    for i, n in enumerate(stages):
        planes = width * 2 ** i
        stride = 1 if i == 0 else 2
        trained = (i + 1) > frozen_stages
        for j in range(n):
            p = '{}layer{}.{}.'.format(prefix, i + 1, j)
            if kind == 'basic':
                out.append((p + 'conv1.weight', (planes, inplanes, 3, 3), 'param', trained))
                out += _bn(p + 'bn1', planes, trained)
                out.append((p + 'conv2.weight', (planes, planes, 3, 3), 'param', trained))
                out += _bn(p + 'bn2', planes, trained)
            else:
                out.append((p + 'conv1.weight', (planes, inplanes, 1, 1), 'param', trained))
                out += _bn(p + 'bn1', planes, trained)
                out.append((p + 'conv2.weight', (planes, planes, 3, 3), 'param', trained))
                out += _bn(p + 'bn2', planes, trained)
                out.append((p + 'conv3.weight', (planes * 4, planes, 1, 1), 'param', trained))
                out += _bn(p + 'bn3', planes * 4, trained)
            if j == 0 and (stride != 1 or inplanes != planes * expansion):
                out.append((p + 'downsample.0.weight', (planes * expansion, inplanes, 1, 1),
                            'param', trained))
                out += _bn(p + 'downsample.1', planes * expansion, trained)
            inplanes = planes * expansion
        channels.append(inplanes)
    return out, channels


def model_layout(depth=101, width=64, fpn=256, rpn_feat=256, semantic=300, fc=1024,
                 num_classes=49, voc_k=4717, mask_ch=256, num_anchors=3):
    """num_classes includes the background (49 for 48/17, 66 for 65/15)."""
    out, chans = backbone_layout(depth, width)
    for i, c in enumerate(chans):
        out += [('neck.lateral_convs.{}.conv.weight'.format(i), (fpn, c, 1, 1), 'param', True),
                ('neck.lateral_convs.{}.conv.bias'.format(i), (fpn, ), 'param', True)]
    for i in range(len(chans)):
        out += [('neck.fpn_convs.{}.conv.weight'.format(i), (fpn, fpn, 3, 3), 'param', True),
                ('neck.fpn_convs.{}.conv.bias'.format(i), (fpn, ), 'param', True)]
    out += [('rpn_head.rpn_conv.weight', (rpn_feat, fpn, 3, 3), 'param', True),
            ('rpn_head.rpn_conv.bias', (rpn_feat, ), 'param', True),
            ('rpn_head.rpn_cls_conv_T.weight', (semantic, rpn_feat, 1, 1), 'param', True),
            ('rpn_head.rpn_cls_conv_T.bias', (semantic, ), 'param', True),
            ('rpn_head.rpn_reg.weight', (num_anchors * 4, rpn_feat, 1, 1), 'param', True),
            ('rpn_head.rpn_reg.bias', (num_anchors * 4, ), 'param', True),
            ('rpn_head.vec_fb.weight', (2 * num_anchors, semantic, 1, 1), 'param', True)]
    roi_in = fpn * 7 * 7
    out += [('bbox_head.fc_reg.weight', (4 * num_classes, fc), 'param', True),
            ('bbox_head.fc_reg.bias', (4 * num_classes, ), 'param', True),
            ('bbox_head.fc_semantic.weight', (semantic, fc), 'param', True),
            ('bbox_head.fc_semantic.bias', (semantic, ), 'param', True),
            ('bbox_head.kernel_semantic.weight', (semantic, voc_k), 'param', True),
            ('bbox_head.kernel_semantic.bias', (semantic, ), 'param', True),
            ('bbox_head.shared_fcs.0.weight', (fc, roi_in), 'param', True),
            ('bbox_head.shared_fcs.0.bias', (fc, ), 'param', True),
            ('bbox_head.shared_fcs.1.weight', (fc, fc), 'param', True),
            ('bbox_head.shared_fcs.1.bias', (fc, ), 'param', True),
            ('bbox_head.d_fc_semantic.weight', (fc, semantic), 'param', True),
            ('bbox_head.d_fc_semantic.bias', (fc, ), 'param', True),
            ('bbox_head.d_kernel_semantic.weight', (voc_k, semantic), 'param', True),
            ('bbox_head.d_kernel_semantic.bias', (voc_k, ), 'param', True),
            ('bbox_head.fc_res.weight', (semantic, semantic), 'param', False),
            ('bbox_head.fc_res.bias', (semantic, ), 'param', False)]
    for i in range(4):
        cin = fpn if i == 0 else mask_ch
        out += [('mask_head.convs.{}.conv.weight'.format(i), (mask_ch, cin, 3, 3), 'param', i == 3),
                ('mask_head.convs.{}.conv.bias'.format(i), (mask_ch, ), 'param', i == 3)]
    # the mask head's semantic width is hard-coded to 300 in the reference
    out += [('mask_head.convT.conv.weight', (300, mask_ch, 3, 3), 'param', True),
            ('mask_head.convT.conv.bias', (300, ), 'param', True),
            ('mask_head.dconvT.conv.weight', (mask_ch, 300, 3, 3), 'param', True),
            ('mask_head.dconvT.conv.bias', (mask_ch, ), 'param', True),
            ('mask_head.upsample.weight', (mask_ch, mask_ch, 2, 2), 'param', True),
            ('mask_head.upsample.bias', (mask_ch, ), 'param', True),
            ('mask_head.conv_vec.weight', (num_classes, 300, 1, 1), 'param', False),
            ('mask_head.kernel_semantic.weight', (300, 300, 3, 3), 'param', True),
            ('mask_head.kernel_semantic.bias', (300, ), 'param', True),
            ('mask_head.d_kernel_semantic.weight', (300, 300, 3, 3), 'param', True),
            ('mask_head.d_kernel_semantic.bias', (300, ), 'param', True)]
    return out


def format_keys(layout):
    """`name (d0, d1, ...)` lines as in reference_keys_*.txt."""
    lines = []
    for name, shape, _, _ in layout:
        lines.append('{} ({})'.format(name, ', '.join(str(s) for s in shape)))
    return lines
