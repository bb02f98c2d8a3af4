"""pycocotools.mask.encode/decode/area in pure NumPy.

Same output as the C maskApi (rleEncode + rleToString): column-major run
lengths starting with a run of zeros, each count written as a LEB128-like
string of 6-bit chunks offset by 48, with counts i > 2 stored as the
difference to count i - 2."""
import numpy as np


def _runs(col_major_bits):
    flat = np.asarray(col_major_bits, dtype=np.uint8).ravel()
    if flat.size == 0:
        return [0]
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate([[0], change, [flat.size]])
    counts = np.diff(bounds).tolist()
    if flat[0] == 1:
        counts = [0] + counts
    return counts


def _counts_to_string(counts):
    out = bytearray()
    for i, c in enumerate(counts):
        x = int(c)
        if i > 2:
            x -= int(counts[i - 2])
        more = True
        while more:
            ch = x & 0x1f
            x >>= 5  # arithmetic shift, as the C code on a signed long
            more = (x != -1) if (ch & 0x10) else (x != 0)
            if more:
                ch |= 0x20
            out.append(ch + 48)
    return bytes(out)


def _string_to_counts(s):
    if isinstance(s, str):
        s = s.encode('ascii')
    counts = []
    p = 0
    while p < len(s):
        x = 0
        k = 0
        more = True
        while more:
            c = s[p] - 48
            x |= (c & 0x1f) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def encode(bimask):
    """bimask: H x W x N uint8 array (Fortran order) -> list of RLE dicts."""
    bimask = np.asarray(bimask)
    if bimask.ndim == 2:
        bimask = bimask[:, :, None]
    h, w, n = bimask.shape
    rles = []
    for i in range(n):
        counts = _runs(bimask[:, :, i].T)  # column-major
        rles.append({'size': [h, w], 'counts': _counts_to_string(counts)})
    return rles


def decode(rles):
    single = isinstance(rles, dict)
    if single:
        rles = [rles]
    masks = []
    for r in rles:
        h, w = r['size']
        counts = r['counts']
        if not isinstance(counts, list):
            counts = _string_to_counts(counts)
        flat = np.zeros(h * w, dtype=np.uint8)
        pos = 0
        val = 0
        for c in counts:
            flat[pos:pos + c] = val
            pos += c
            val ^= 1
        masks.append(flat.reshape(w, h).T)
    out = np.stack(masks, axis=2)
    return out[:, :, 0] if single else out


def area(rles):
    single = isinstance(rles, dict)
    if single:
        rles = [rles]
    res = []
    for r in rles:
        counts = r['counts']
        if not isinstance(counts, list):
            counts = _string_to_counts(counts)
        res.append(sum(counts[1::2]))
    res = np.array(res, dtype=np.uint32)
    return res[0] if single else res
