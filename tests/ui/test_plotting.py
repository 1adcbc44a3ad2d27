import numpy as np
from PySide6.QtGui import QImage

from atlas.ui.plotting import ImageItem


def _rendered(pixels, **options):
    item = ImageItem()
    item.setImage(pixels, autoLevels=False, **options)
    item.render()
    return item.qimage


def test_a_grey_image_is_kept_as_32_bit_colour_with_the_same_values(qtbot):
    pixels = np.arange(64 * 32, dtype=np.uint32).reshape(32, 64).astype(np.uint8)
    image = _rendered(pixels, levels=(0, 255))
    assert image.format() == QImage.Format.Format_RGB32
    assert image.width() == 64 and image.height() == 32  # row-major: rows are image lines
    for x, y in ((0, 0), (63, 0), (5, 17), (63, 31)):
        value = int(pixels[y, x])
        assert image.pixelColor(x, y).getRgb()[:3] == (value, value, value)


def test_a_colour_image_with_alpha_keeps_its_transparency(qtbot):
    pixels = np.zeros((8, 8, 4), np.uint8)
    pixels[..., 0] = 200
    pixels[..., 3] = 128
    image = _rendered(pixels)
    assert image.format() == QImage.Format.Format_ARGB32_Premultiplied
    assert image.hasAlphaChannel() and image.pixelColor(3, 3).alpha() == 128
