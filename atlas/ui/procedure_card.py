"""The one-page procedure card: C-arm set-up, steps with thumbnails, targets, danger structures,
safety points and references, printed to PDF (QPdfWriter) or a printer."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QSizeF, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen, QPolygonF, QTextDocument

from atlas import EDUCATIONAL_NOTICE
from atlas.model import AtlasImage, Page

THUMB_PX = 220
MIN_POINT_SIZE = 6.0
MAX_SAFETY = 8
# safety points that matter at the table first: the steps' and the technique's, then the rest
SAFETY_ORDER = ("Step", "Technique", "Contrast pattern", "C-arm set-up", "Complications", "Equipment", "Patient position")
MARK_COLOURS = {"target": "#1f9d55", "danger": "#d93025", "trajectory": "#1a73e8"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _labels(image: AtlasImage | None, layer: str) -> list[str]:
    if image is None:
        return []
    return list(dict.fromkeys(a.label for a in image.annotations if a.layer == layer and a.label))


def annotated_thumbnail(image: AtlasImage, width: int = THUMB_PX) -> QImage | None:
    """The step image, small, with its target, danger structures and needle path drawn on it."""
    picture = QImage.fromData(image.png, "PNG")
    if picture.isNull():
        return None
    scale = width / picture.width()
    thumb = picture.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation).convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(thumb)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for a in image.annotations:
        colour = MARK_COLOURS.get(a.layer)
        if colour is None or not a.points:
            continue
        pts = [QPointF(x * scale, y * scale) for x, y in a.points]
        painter.setPen(QPen(QColor(colour), 2))
        if a.kind == "point":
            painter.setBrush(QColor(colour))
            painter.drawEllipse(pts[0], 3, 3)
        elif a.kind == "polygon":
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(QPolygonF(pts))
        else:
            painter.drawPolyline(QPolygonF(pts))
            if a.kind == "arrow":
                painter.setBrush(QColor(colour))
                painter.drawEllipse(pts[-1], 2.5, 2.5)
    painter.end()
    return thumb


def _safety_for_card(page: Page) -> list[str]:
    def rank(section: str) -> int:
        return next((i for i, name in enumerate(SAFETY_ORDER) if section.startswith(name)), len(SAFETY_ORDER))

    return [x.text for x in sorted(page.safety, key=lambda x: rank(x.section))]


def card_html(page: Page, images: dict[str, AtlasImage], thumb_px: int = THUMB_PX // 2) -> str:
    s = page.summary
    esc = html.escape
    carm = next((x.text for x in page.sections if x.key == "c-arm-set-up"), "")
    meta = " · ".join(
        x for x in (
            s.region,
            f"levels {s.levels[0]}–{s.levels[-1]}" if len(s.levels) > 3 else ", ".join(s.levels),
            ", ".join(s.approaches),
            ", ".join(s.guidance),
            f"{page.bleeding_risk} bleeding risk" if page.bleeding_risk else "",
        ) if x
    )
    out = [
        "<html><body>",
        f"<h2 style='margin:0'>{esc(page.title)}</h2>",
        f"<p style='color:#444'>{esc(meta)}<br>Version {esc(page.version)}, reviewed {esc(page.reviewed)} ({esc(page.review_status)})</p>",
    ]
    if carm:
        out.append(f"<p><b>C-arm set-up.</b> {esc(_clip(carm, 700))}</p>")
    out.append("<table width='100%' cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse'>")
    for step in page.steps:
        image = images.get(step.image_ids[0]) if step.image_ids else None
        if image is not None and image.png:
            thumb = f"<img src='thumb:{esc(image.info.id)}' width='{thumb_px}'>"
        else:
            thumb = "<i>image not yet available</i>"
        targets, dangers = _labels(image, "target"), _labels(image, "danger")
        extra = ""
        if targets:
            extra += f"<br><b>Target:</b> {esc(', '.join(targets))}"
        if dangers:
            extra += f"<br><b style='color:#a3221b'>Avoid:</b> {esc(', '.join(dangers))}"
        out.append(
            f"<tr><td width='{thumb_px + 8}'>{thumb}</td><td><b>{step.number}. {esc(step.title)}</b><br>"
            f"{esc(_clip(step.text, 420))}{extra}</td></tr>"
        )
    out.append("</table>")
    safety = _safety_for_card(page)
    if safety:
        items = "".join(f"<li>{esc(_clip(text, 200))}</li>" for text in safety[:MAX_SAFETY])
        if len(safety) > MAX_SAFETY:
            items += f"<li><i>{len(safety) - MAX_SAFETY} more on the page in the atlas</i></li>"
        out.append(f"<p style='color:#a3221b'><b>⚠ Safety-critical points</b></p><ul style='color:#7a1010'>{items}</ul>")
    if page.references:
        refs = " ".join(f"[{r.number}] {esc(_clip(r.citation, 160))}" for r in page.references)
        out.append(f"<p style='color:#444'><b>References.</b> {refs}</p>")
    out.append(f"<p style='color:#6a4b00'><i>{esc(EDUCATIONAL_NOTICE)}</i></p></body></html>")
    return "".join(out)


def build_document(page: Page, images: dict[str, AtlasImage], point_size: float, device=None, thumb_px: int = THUMB_PX // 2) -> QTextDocument:
    doc = QTextDocument()
    if device is not None:
        doc.documentLayout().setPaintDevice(device)  # lay out in the printer's resolution
    font = QFont()
    font.setPointSizeF(point_size)
    doc.setDefaultFont(font)
    for image_id, image in images.items():
        if image.png:
            thumb = annotated_thumbnail(image)
            if thumb is not None:
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"thumb:{image_id}"), thumb)
    doc.setHtml(card_html(page, images, thumb_px))
    return doc


def write_card_pdf(page: Page, images: dict[str, AtlasImage], path: Path) -> int:
    """Write the card as a one-page A4 PDF (shrinking the type until it fits). Returns the page count."""
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{page.title} — Spine Atlas procedure card")
    writer.setCreator("Spine Atlas")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(10, 10, 10, 10)))
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    size = QSizeF(rect.width(), rect.height())
    # the largest type, then the largest thumbnails, that fit one page
    for point_size in (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0):
        for thumb_px in (THUMB_PX // 2, 90, 75):
            doc = build_document(page, images, point_size, writer, thumb_px)
            doc.setPageSize(size)
            if doc.pageCount() <= 1:
                break
        if doc.pageCount() <= 1:
            break
    doc.print_(writer)
    return doc.pageCount()
