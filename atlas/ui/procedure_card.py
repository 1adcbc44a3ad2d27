"""The one-page procedure card: C-arm set-up, steps with thumbnails, targets, danger structures,
safety points and references, printed to PDF (QPdfWriter) or a printer."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from atlas import EDUCATIONAL_NOTICE
from atlas.model import AtlasImage, Page

THUMB_PX = 220
MIN_POINT_SIZE = 5.5
MAX_SAFETY = 8


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _labels(image: AtlasImage | None, layer: str) -> list[str]:
    if image is None:
        return []
    return list(dict.fromkeys(a.label for a in image.annotations if a.layer == layer and a.label))


def card_html(page: Page, images: dict[str, AtlasImage]) -> str:
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
            thumb = f"<img src='thumb:{esc(image.info.id)}' width='{THUMB_PX // 2}'>"
        else:
            thumb = "<i>image not yet available</i>"
        targets, dangers = _labels(image, "target"), _labels(image, "danger")
        extra = ""
        if targets:
            extra += f"<br><b>Target:</b> {esc(', '.join(targets))}"
        if dangers:
            extra += f"<br><b style='color:#a3221b'>Avoid:</b> {esc(', '.join(dangers))}"
        out.append(
            f"<tr><td width='{THUMB_PX // 2 + 8}'>{thumb}</td><td><b>{step.number}. {esc(step.title)}</b><br>"
            f"{esc(_clip(step.text, 260))}{extra}</td></tr>"
        )
    out.append("</table>")
    if page.safety:
        items = "".join(f"<li>{esc(_clip(x.text, 200))}</li>" for x in page.safety[:MAX_SAFETY])
        if len(page.safety) > MAX_SAFETY:
            items += f"<li><i>{len(page.safety) - MAX_SAFETY} more on the page in the atlas</i></li>"
        out.append(f"<p style='color:#a3221b'><b>⚠ Safety-critical points</b></p><ul style='color:#7a1010'>{items}</ul>")
    if page.references:
        refs = " ".join(f"[{r.number}] {esc(_clip(r.citation, 160))}" for r in page.references)
        out.append(f"<p style='color:#444'><b>References.</b> {refs}</p>")
    out.append(f"<p style='color:#6a4b00'><i>{esc(EDUCATIONAL_NOTICE)}</i></p></body></html>")
    return "".join(out)


def build_document(page: Page, images: dict[str, AtlasImage], point_size: float, device=None) -> QTextDocument:
    doc = QTextDocument()
    if device is not None:
        doc.documentLayout().setPaintDevice(device)  # lay out in the printer's resolution
    font = QFont()
    font.setPointSizeF(point_size)
    doc.setDefaultFont(font)
    for image_id, image in images.items():
        if image.png:
            picture = QImage.fromData(image.png, "PNG")
            if not picture.isNull():
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"thumb:{image_id}"), picture.scaledToWidth(THUMB_PX))
    doc.setHtml(card_html(page, images))
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
    point_size = 9.0
    while True:
        doc = build_document(page, images, point_size, writer)
        doc.setPageSize(size)
        if doc.pageCount() <= 1 or point_size <= MIN_POINT_SIZE:
            break
        point_size -= 0.5
    doc.print_(writer)
    return doc.pageCount()
