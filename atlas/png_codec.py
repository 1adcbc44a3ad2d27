"""PNG in and out for the atlas's own images, without Qt and without holding the interpreter.

The atlas writes its rendered images as plain PNGs: 8-bit grey or RGB, not interlaced, every
row with the same filter ("up": each byte minus the byte above it, which keeps the files within
about 13 % of an adaptive encoder's). Such a file decodes with one ``zlib.decompress`` and one
running sum down the columns, and both let other threads run while they work, so a worker
decoding an image does not hold up the window. ``decode_plain_png`` does exactly that and returns
None for any PNG outside that shape (an imported case saved by another program), so the caller
can use a general decoder instead.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 6: 4}  # PNG colour type -> samples per pixel (grey, RGB, RGBA)
NONE, UP = 0, 2  # PNG row filters


def encode_png(pixels: np.ndarray) -> bytes:
    """Deterministic PNG (greyscale or RGB, 8-bit, every row filtered "up") of a uint8 array (H, W) or (H, W, 3)."""
    a = np.ascontiguousarray(pixels, np.uint8)
    h, w = a.shape[:2]
    colour = 0 if a.ndim == 2 else 2
    rows = a.reshape(h, -1)
    raw = np.empty((h, 1 + rows.shape[1]), np.uint8)
    raw[:, 0] = UP  # the filter byte before each row
    raw[0, 1:] = rows[0]  # the row above the first is zero
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # wraps modulo 256, as PNG defines it

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + chunk(b"IEND", b""))


def decode_plain_png(data: bytes) -> np.ndarray | None:
    """Pixels (H, W) or (H, W, C) of a plain PNG as written by :func:`encode_png`; None for any other PNG.

    Raises ValueError when the data claims to be a plain PNG but is damaged.
    """
    if not data.startswith(SIGNATURE):
        return None
    view = memoryview(data)
    pos, header, parts = len(SIGNATURE), None, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        tag = bytes(view[pos + 4:pos + 8])
        body = view[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError("the image data is cut short")
        if tag == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif tag == b"IDAT":
            parts.append(body)
        elif tag == b"IEND":
            break
        elif tag == b"PLTE" or tag == b"tRNS":
            return None  # a palette or a transparent colour: not a plain image
        pos += 12 + length
    if header is None or not parts:
        return None
    width, height, depth, colour, _compression, _filter, interlace = header
    channels = CHANNELS.get(colour)
    if depth != 8 or channels is None or interlace != 0 or not width or not height:
        return None
    try:
        raw = zlib.decompress(b"".join(parts))
    except zlib.error as exc:
        raise ValueError(f"the image data is damaged and cannot be decoded ({exc})") from None
    stride = 1 + width * channels
    if len(raw) != stride * height:
        raise ValueError("the image data is damaged and cannot be decoded (wrong size)")
    rows = np.frombuffer(raw, np.uint8).reshape(height, stride)
    filters = rows[:, 0]
    if (filters == UP).all():
        pixels = np.add.accumulate(rows[:, 1:], axis=0, dtype=np.uint8)  # undo "up": wraps modulo 256
    elif not filters.any():
        pixels = rows[:, 1:].copy()
    else:
        return None  # other or mixed filters: leave them to a general decoder
    return pixels.reshape(height, width, channels) if channels > 1 else pixels
