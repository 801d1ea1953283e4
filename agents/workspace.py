"""Named scratch arrays reused from call to call, so hot numpy code allocates nothing big.

Why: freeing and re-allocating megabyte temporaries makes glibc hand memory back to the kernel
and page-fault it in again, which costs more than the arithmetic. Buffers are per thread, so
sharing one vectorised brain between threads stays safe.
"""

from __future__ import annotations

import threading

import numpy as np


class Workspace(threading.local):
    """Scratch buffers by name; a buffer grows when asked for a larger shape, never shrinks."""

    def __init__(self) -> None:
        self._flat: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        """An uninitialised array of `shape` that stays valid until `name` is asked for again."""
        size = 1
        for extent in shape:
            size *= extent
        flat = self._flat.get(name)
        if flat is None or flat.dtype != dtype or flat.size < size:
            flat = np.empty(max(size, 1), dtype=dtype)
            self._flat[name] = flat
        return flat[:size].reshape(shape)
