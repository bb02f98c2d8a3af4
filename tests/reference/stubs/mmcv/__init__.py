"""Minimal stand-in for mmcv 0.2.14, just enough to import and run the ZSI
reference code's test path (MMDetection v1 fork) under a current PyTorch.

Only the names the imported reference modules touch are provided.  The image
functions reproduce mmcv 0.2.14 exactly (same OpenCV calls, same rounding):
  mmcv/image/transforms/resize.py    (imresize, imrescale, _scale_size)
  mmcv/image/transforms/normalize.py (imnormalize: astype float32, BGR->RGB
                                      with cv2.cvtColor, (img - mean) / std)
  mmcv/image/transforms/geometry.py  (impad, impad_to_multiple)
  mmcv/image/io.py                   (imread = cv2.imread(path, IMREAD_COLOR))
Everything else raises if it is ever reached, so a silent divergence from the
reference is impossible.
"""
import itertools

import cv2
import numpy as np

__version__ = '0.2.14'  # the version the reference pins (requirements.txt)

# ---------------------------------------------------------------- misc utils


def is_str(x):
    return isinstance(x, str)


def is_seq_of(seq, expected_type, seq_type=None):
    if seq_type is None:
        exp_seq_type = (list, tuple)
    else:
        exp_seq_type = seq_type
    if not isinstance(seq, exp_seq_type):
        return False
    return all(isinstance(item, expected_type) for item in seq)


def is_list_of(seq, expected_type):
    return is_seq_of(seq, expected_type, seq_type=list)


def is_tuple_of(seq, expected_type):
    return is_seq_of(seq, expected_type, seq_type=tuple)


def concat_list(in_list):
    return list(itertools.chain(*in_list))


# ------------------------------------------------------------------- images

imread_flags = {
    'color': cv2.IMREAD_COLOR,
    'grayscale': cv2.IMREAD_GRAYSCALE,
    'unchanged': cv2.IMREAD_UNCHANGED,
}

interp_codes = {
    'nearest': cv2.INTER_NEAREST,
    'bilinear': cv2.INTER_LINEAR,
    'bicubic': cv2.INTER_CUBIC,
    'area': cv2.INTER_AREA,
    'lanczos': cv2.INTER_LANCZOS4,
}


def imread(img_or_path, flag='color'):
    """cv2.imread with IMREAD_COLOR: 3-channel BGR uint8 (EXIF orientation is
    applied by OpenCV >= 3.1, as it was for the reference)."""
    if isinstance(img_or_path, np.ndarray):
        return img_or_path
    flag = imread_flags[flag] if is_str(flag) else flag
    img = cv2.imread(img_or_path, flag)
    if img is None:
        raise IOError('cannot read image {}'.format(img_or_path))
    return img


def bgr2rgb(img):
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


def rgb2bgr(img):
    return cv2.cvtColor(img, cv2.COLOR_RGB2BGR)


def _scale_size(size, scale):
    # (w, h) scaled and rounded half up with int(x + 0.5), in double precision
    w, h = size
    return int(w * float(scale) + 0.5), int(h * float(scale) + 0.5)


def imresize(img, size, return_scale=False, interpolation='bilinear'):
    """size is (w, h).  cv2.resize with INTER_LINEAR by default."""
    h, w = img.shape[:2]
    resized_img = cv2.resize(img, size, interpolation=interp_codes[interpolation])
    if not return_scale:
        return resized_img
    w_scale = size[0] / w
    h_scale = size[1] / h
    return resized_img, w_scale, h_scale


def imrescale(img, scale, return_scale=False, interpolation='bilinear'):
    """Keep-ratio resize.  For a tuple scale (e.g. (1333, 800)) the factor is
    min(max_long / long_side, max_short / short_side) as a Python float, and
    the new size is int(side * factor + 0.5).  The factor (not the ratio of the
    rounded sizes) is returned and becomes img_meta['scale_factor']."""
    h, w = img.shape[:2]
    if isinstance(scale, (float, int)):
        if scale <= 0:
            raise ValueError('Invalid scale {}, must be positive.'.format(scale))
        scale_factor = scale
    elif isinstance(scale, tuple):
        max_long_edge = max(scale)
        max_short_edge = min(scale)
        scale_factor = min(max_long_edge / max(h, w), max_short_edge / min(h, w))
    else:
        raise TypeError('Scale must be a number or tuple of int, but got {}'.format(type(scale)))
    new_size = _scale_size((w, h), scale_factor)
    rescaled_img = imresize(img, new_size, interpolation=interpolation)
    if return_scale:
        return rescaled_img, scale_factor
    return rescaled_img


def imnormalize(img, mean, std, to_rgb=True):
    """mmcv 0.2.14: float32 copy, BGR->RGB, then (img - mean) / std with the
    float32 mean/std arrays of the Normalize transform (a true division, not a
    multiplication by 1/std as in later mmcv versions)."""
    img = img.astype(np.float32)
    if to_rgb:
        img = bgr2rgb(img)
    return (img - mean) / std


def imdenormalize(img, mean, std, to_bgr=True):
    img = (img * std) + mean
    if to_bgr:
        img = rgb2bgr(img)
    return img


def impad(img, shape, pad_val=0):
    """Pads bottom/right: the image is copied to the top-left corner."""
    if not isinstance(pad_val, (int, float)):
        assert len(pad_val) == img.shape[-1]
    if len(shape) < len(img.shape):
        shape = shape + (img.shape[-1], )
    assert len(shape) == len(img.shape)
    for i in range(len(shape) - 1):
        assert shape[i] >= img.shape[i]
    pad = np.empty(shape, dtype=img.dtype)
    pad[...] = pad_val
    pad[:img.shape[0], :img.shape[1], ...] = img
    return pad


def impad_to_multiple(img, divisor, pad_val=0):
    pad_h = int(np.ceil(img.shape[0] / divisor)) * divisor
    pad_w = int(np.ceil(img.shape[1] / divisor)) * divisor
    return impad(img, (pad_h, pad_w), pad_val)


def imflip(img, direction='horizontal'):
    assert direction in ['horizontal', 'vertical']
    if direction == 'horizontal':
        return np.flip(img, axis=1)
    return np.flip(img, axis=0)


def bbox_flip(bboxes, img_shape):
    """numpy box flip (only reached by flip test-time augmentation)."""
    assert bboxes.shape[-1] % 4 == 0
    w = img_shape[1]
    flipped = bboxes.copy()
    flipped[..., 0::4] = w - bboxes[..., 2::4] - 1
    flipped[..., 2::4] = w - bboxes[..., 0::4] - 1
    return flipped


def _not_available(name):
    def fn(*args, **kwargs):
        raise NotImplementedError(
            'mmcv.{} is not part of the test-path stub'.format(name))
    fn.__name__ = name
    return fn


# visualisation / list helpers used only by show_result and training code
imshow_det_bboxes = _not_available('imshow_det_bboxes')
slice_list = _not_available('slice_list')

from . import cnn  # noqa: E402,F401
from . import runner  # noqa: E402,F401
