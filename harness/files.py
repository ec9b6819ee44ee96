"""Reading a file a user names, at a bounded cost: a FIFO, a device (/dev/zero) or a file of
gigabytes is refused with a clear error before it is read, never read whole or waited on."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_small_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``; ValueError when it is not a regular file or
    is larger than ``max_bytes`` (OSError when it cannot be opened or read)."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise ValueError(f"{path} is {info.st_size} bytes; at most {max_bytes} are read")
        data = file.read(max_bytes + 1)  # the file may have grown since
    if len(data) > max_bytes:
        raise ValueError(f"{path} is larger than {max_bytes} bytes")
    return data
