"""pyqtgraph, configured once for the whole app: every module that draws imports ``pg`` from here.

Row-major image arrays (row 0 at the top), as every image library uses; a
column-major default would show every picture transposed.
"""

import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="#0d0f12", foreground="#c8ccd2")

__all__ = ["pg"]
