"""A narrow torchvision-layout ResNet for small test checkpoints.

The reference ResNet (mmdet/models/backbones/resnet.py) hard-codes a stem of
64 channels and planes = 64 * 2**i.  This backbone keeps everything else of it
(its BasicBlock/Bottleneck classes and make_res_layer are imported from the
reference checkout, so blocks, strides, "pytorch" style and key names are the
reference's) and only replaces 64 by `base_width`.  Key names: conv1, bn1,
layer{1-4}.{j}.conv{1,2[,3]}, bn{1,2[,3]}, downsample.0 / downsample.1.
BatchNorm is kept in eval mode (frozen statistics), as norm_eval=True does in
the reference.
"""
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm

_registered = {}


def register_tiny_backbone(ref):
    """Registers 'TinyTorchvisionResNet' in the reference BACKBONES registry."""
    if 'cls' in _registered:
        return _registered['cls']
    resnet = ref.resnet

    class TinyTorchvisionResNet(nn.Module):
        def __init__(self, depth=18, base_width=8, out_indices=(0, 1, 2, 3),
                     strides=(1, 2, 2, 2), dilations=(1, 1, 1, 1), style='pytorch',
                     frozen_stages=1, norm_eval=True, num_stages=4):
            super(TinyTorchvisionResNet, self).__init__()
            block, stage_blocks = resnet.ResNet.arch_settings[depth]
            norm_cfg = dict(type='BN', requires_grad=True)
            self.out_indices = out_indices
            self.frozen_stages = frozen_stages
            self.norm_eval = norm_eval
            self.conv1 = nn.Conv2d(3, base_width, 7, stride=2, padding=3, bias=False)
            self.bn1 = resnet.build_norm_layer(norm_cfg, base_width, postfix=1)[1]
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            inplanes = base_width
            self.res_layers = []
            self.out_channels = []
            for i, n in enumerate(stage_blocks[:num_stages]):
                planes = base_width * 2 ** i
                layer = resnet.make_res_layer(block, inplanes, planes, n, stride=strides[i],
                                              dilation=dilations[i], style=style,
                                              norm_cfg=norm_cfg)
                inplanes = planes * block.expansion
                name = 'layer{}'.format(i + 1)
                self.add_module(name, layer)
                self.res_layers.append(name)
                self.out_channels.append(inplanes)

        def init_weights(self, pretrained=None):
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
                elif isinstance(m, _BatchNorm):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

        def forward(self, x):  # same as the reference ResNet.forward
            x = self.conv1(x)
            x = self.bn1(x)
            x = self.relu(x)
            x = self.maxpool(x)
            outs = []
            for i, name in enumerate(self.res_layers):
                x = getattr(self, name)(x)
                if i in self.out_indices:
                    outs.append(x)
            return tuple(outs)

        def train(self, mode=True):
            super(TinyTorchvisionResNet, self).train(mode)
            if mode and self.norm_eval:
                for m in self.modules():
                    if isinstance(m, _BatchNorm):
                        m.eval()
            return self

    ref.registry.BACKBONES.register_module(TinyTorchvisionResNet)
    _registered['cls'] = TinyTorchvisionResNet
    return TinyTorchvisionResNet


def tiny_channels(depth, base_width):
    expansion = 1 if depth in (18, 34) else 4
    return [base_width * 2 ** i * expansion for i in range(4)]
