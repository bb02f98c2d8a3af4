"""mmcv.runner placeholders.  The reference backbone imports load_checkpoint
(for ImageNet-pretrained init only) and the fp16/dist hooks import
OptimizerHook; neither is used on the test path.  The runner loads the
checkpoint itself (zsiref/checkpoint.py follows mmcv 0.2.14 load_state_dict)."""


def load_checkpoint(*args, **kwargs):
    raise NotImplementedError(
        'mmcv.runner.load_checkpoint is not stubbed; build the model with '
        'pretrained=None and load weights with zsiref.checkpoint')


def get_dist_info():
    return 0, 1


class OptimizerHook(object):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError('training hooks are not stubbed')
