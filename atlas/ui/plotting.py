"""pyqtgraph, configured once for the whole app: every module that draws imports ``pg`` from here.

Row-major image arrays (row 0 at the top), as every image library uses; a
column-major default would show every picture transposed.
"""

import pyqtgraph as pg
from PySide6.QtGui import QImage

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="#0d0f12", foreground="#c8ccd2")

# formats Qt draws without converting every pixel on every paint
_PAINTABLE = (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32_Premultiplied)


class ImageItem(pg.ImageItem):
    """pyqtgraph's image item, keeping its rendered picture in a format Qt paints directly.

    A grey image renders to an 8-bit grey picture, which Qt converts to 32-bit colour every
    time it is painted, scaled (about 1.2-1.8 ms at 512² here). Converting once when the image
    is set (about 0.1 ms) makes each paint several times cheaper.
    """

    def render(self):
        super().render()
        image = self.qimage
        if image is not None and image.format() not in _PAINTABLE:
            target = QImage.Format.Format_ARGB32_Premultiplied if image.hasAlphaChannel() else QImage.Format.Format_RGB32
            self.qimage = image.convertToFormat(target)


__all__ = ["pg", "ImageItem"]
