"""Picture sizes without decoding the image (the seal PNG a user supplies)."""

from __future__ import annotations

import struct


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, from its IHDR chunk."""
    if data[:8] != b"\\x89PNG\\r\\n\\x1a\\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def aspect_of(path: str) -> float:
    """Height / width of the picture file ``path``; 1 (square) when it is not a readable PNG."""
    try:
        with open(path, "rb") as handle:
            width, height = png_size(handle.read(32))
        return height / width
    except (OSError, ValueError, ZeroDivisionError, struct.error):
        return 1.0
