import io
import zlib

import numpy as np
import pytest
from PIL import Image

from atlas.png_codec import decode_plain_png, encode_png


def _pixels(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.mark.parametrize("shape", [(7, 5), (64, 33), (9, 4, 3)])
def test_encoded_images_are_standard_pngs_that_decode_to_the_same_pixels(shape):
    pixels = _pixels(shape)
    data = encode_png(pixels)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), pixels)  # any decoder reads them
    decoded = decode_plain_png(data)
    assert decoded is not None and decoded.dtype == np.uint8 and decoded.flags.writeable
    assert np.array_equal(decoded, pixels)


def test_encoding_is_deterministic_and_filters_every_row_up():
    pixels = _pixels((16, 16), seed=3)
    assert encode_png(pixels) == encode_png(pixels.copy())
    data = encode_png(pixels)
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8:start - 4], "big")
    raw = np.frombuffer(zlib.decompress(data[start:start + length]), np.uint8).reshape(16, 17)
    assert (raw[:, 0] == 2).all()


def _pil_png(pixels, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", **options)
    return buffer.getvalue()


def test_unfiltered_rows_take_the_plain_path_too():
    pixels = _pixels((8, 6, 3), seed=5)
    data = encode_png(pixels)
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8:start - 4], "big")
    raw = np.hstack([np.zeros((8, 1), np.uint8), pixels.reshape(8, -1)])  # filter byte 0 ("none") on every row
    body = zlib.compress(raw.tobytes())
    chunk = len(body).to_bytes(4, "big") + b"IDAT" + body + zlib.crc32(b"IDAT" + body).to_bytes(4, "big")
    unfiltered = data[:start - 8] + chunk + data[start + length + 4:]
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(unfiltered))), pixels)
    assert np.array_equal(decode_plain_png(unfiltered), pixels)


def test_other_pngs_are_left_to_a_general_decoder():
    gradient = np.tile(np.arange(64, dtype=np.uint8), (32, 1)) * 3  # adaptive filters choose "sub" here
    assert decode_plain_png(_pil_png(gradient)) is None
    assert decode_plain_png(_pil_png(_pixels((8, 8)).astype(bool))) is None  # 1-bit
    palette = Image.fromarray(_pixels((8, 8))).convert("P")
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG")
    assert decode_plain_png(buffer.getvalue()) is None
    assert decode_plain_png(b"GIF89a....") is None


def test_damaged_plain_pngs_raise_a_clear_error():
    data = encode_png(_pixels((32, 32)))
    idat = data.index(b"IDAT") + 4
    broken = data[:idat + 10] + bytes(40) + data[idat + 50:]
    with pytest.raises(ValueError, match="damaged"):
        decode_plain_png(broken)
    with pytest.raises(ValueError, match="cut short"):
        decode_plain_png(data[: idat + 20])
