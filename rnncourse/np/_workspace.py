"""Arrays that the sequence functions reuse from one call to the next.

A forward and backward pass of an LSTM at the benchmark's sizes (T = 100, B = 32,
D = 64, H = 128) allocates about 30 MB of arrays and frees them when it returns. The C
library hands blocks that large back to the operating system at once, so the next call
gets fresh pages, and the kernel zeroes every one of them on first touch: thousands of
page faults per call, which in a process that runs little else cost as much as a
quarter of the call.

:func:`empty` keeps the arrays it has handed out and gives one back again when nothing
else refers to it any more, which it sees from the array's reference count: a cache
dict, a returned result or a view (whose ``base`` is the array) all keep it alive and
in use. Nothing a caller can still reach is ever overwritten; a reused array is simply
not freed and taken again.

The pool is bounded: a few arrays per shape and dtype, and :data:`MAX_BYTES` in all;
beyond that :func:`empty` is ``np.empty``.
"""

import sys
import threading
from collections import OrderedDict

import numpy as np

__all__ = ["empty", "clear", "MAX_BYTES", "PER_KEY"]

MAX_BYTES = 256 * 2 ** 20     # all pooled arrays together
PER_KEY = 4                   # pooled arrays of one shape and dtype
MIN_BYTES = 64 * 2 ** 10      # smaller arrays come from malloc's own free lists

_pool = OrderedDict()         # (shape, dtype) -> [arrays], least recently used first
_lock = threading.Lock()
_bytes = 0
# references to a pooled array that is free: the pool's list, the loop variable and
# the argument of sys.getrefcount
_FREE = 3


def empty(shape, dtype):
    """An uninitialised array like ``np.empty(shape, dtype)``, reused from an earlier
    call when no one holds it any more."""
    global _bytes
    dtype = np.dtype(dtype)
    shape = tuple(int(n) for n in shape)
    nbytes = dtype.itemsize * int(np.prod(shape))
    if nbytes < MIN_BYTES:
        return np.empty(shape, dtype)
    key = (shape, dtype.str)
    with _lock:
        arrays = _pool.get(key)
        if arrays is not None:
            _pool.move_to_end(key)
            for a in arrays:
                if sys.getrefcount(a) == _FREE:
                    return a
        a = np.empty(shape, dtype)
        if arrays is None:
            arrays = _pool[key] = []
        if len(arrays) < PER_KEY:
            _make_room(nbytes)
            if _bytes + nbytes <= MAX_BYTES:
                arrays.append(a)
                _bytes += nbytes
        return a


def _make_room(nbytes):
    """Drop free arrays of the least recently used shapes until ``nbytes`` fit."""
    global _bytes
    for key in list(_pool):
        if _bytes + nbytes <= MAX_BYTES:
            return
        arrays = _pool[key]
        keep = []
        for a in arrays:
            if sys.getrefcount(a) == _FREE:
                _bytes -= a.nbytes
            else:
                keep.append(a)
        arrays[:] = keep


def clear():
    """Forget every pooled array (arrays still in use stay valid: they are only no
    longer reused)."""
    global _bytes
    with _lock:
        _pool.clear()
        _bytes = 0


def pooled_bytes():
    """Bytes held by the pool, in use or free."""
    return _bytes
