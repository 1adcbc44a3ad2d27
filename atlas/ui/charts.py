"""Bar charts drawn from chart data into an image the page shows (no plotting library, no web)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from atlas.model import Chart
from atlas.ui.theme import READING, Theme

ROW = 26
LABEL_W = 170
GROUP_GAP = 30


def chart_image(chart: Chart, source_number: int | None, theme: Theme = READING, width: int = 620) -> QImage:
    page = theme.page
    rows = sum(len(g.bars) for g in chart.groups)
    height = 50 + rows * ROW + len(chart.groups) * GROUP_GAP + 56
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(page["background"]))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(14)
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(QColor(page["text"]))
    painter.drawText(QRectF(0, 4, width, 22), Qt.AlignmentFlag.AlignLeft, chart.title)
    top = max((b.high for g in chart.groups for b in g.bars), default=1.0)
    scale_max = 100.0 if chart.unit == "%" and top <= 100 else top * 1.1
    plot_w = width - LABEL_W - 70
    bar_colour, range_colour = QColor(page["heading"]), QColor(page["safety_tag"])
    y = 34.0
    for group in chart.groups:
        painter.setFont(bold)
        painter.setPen(QColor(page["meta"]))
        painter.drawText(QRectF(0, y, width, 20), Qt.AlignmentFlag.AlignLeft, group.name)
        y += 24
        painter.setFont(font)
        for bar in group.bars:
            painter.setPen(QColor(page["text"]))
            painter.drawText(QRectF(0, y, LABEL_W - 8, ROW - 6), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, bar.label)
            x0 = LABEL_W
            x_low = x0 + plot_w * bar.low / scale_max
            x_high = x0 + plot_w * bar.high / scale_max
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bar_colour)
            painter.drawRect(QRectF(x0, y + 3, x_low - x0, ROW - 12))
            if bar.is_range:
                painter.setBrush(range_colour)
                painter.drawRect(QRectF(x_low, y + 3, x_high - x_low, ROW - 12))
            text = f"{bar.low:g}–{bar.high:g}{chart.unit}" if bar.is_range else f"{bar.low:g}{chart.unit}"
            painter.setPen(QColor(page["text"]))
            painter.drawText(QRectF(x_high + 6, y, 80, ROW - 6), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y += ROW
        y += GROUP_GAP - 20
    painter.setPen(QPen(QColor(page["meta"]), 1))
    painter.drawLine(LABEL_W, 34, LABEL_W, int(y))
    painter.setFont(font)
    note = "Red part of a bar: the span of a published range." if any(b.is_range for g in chart.groups for b in g.bars) else ""
    source = f"Source: reference [{source_number}]." if source_number else ""
    painter.setPen(QColor(page["meta"]))
    painter.drawText(QRectF(0, y + 4, width, 20), Qt.AlignmentFlag.AlignLeft, source)
    painter.drawText(QRectF(0, y + 24, width, 20), Qt.AlignmentFlag.AlignLeft, note)
    painter.end()
    return image
