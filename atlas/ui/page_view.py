"""The page: prebuilt HTML in a QTextBrowser (no web engine, no network)."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from atlas import EDUCATIONAL_NOTICE
from atlas.model import Page
from atlas.ui.theme import READING, Theme, page_css




FIRST_SCREEN_CHARS = 4000  # HTML laid out before a page's first frame; the rest is laid out right after it
COMPLETE_UNPAINTED_MS = 150  # a page whose first screen is never painted is completed after this long


def page_blocks(page: Page) -> list[str]:
    """The page body as top-level HTML blocks, in reading order (title, metadata, safety box, sections, steps, references)."""
    s = page.summary
    esc = html.escape
    parts = [f"<h1>{esc(page.title)}</h1>"]
    meta = [
        f"<b>{esc(s.kind.capitalize())}</b> · {esc(s.region)}",
        f"Levels: {esc(_levels_text(s.levels))}" if s.levels else "",
        f"Approach: {esc(', '.join(s.approaches))}" if s.approaches else "",
        f"Guidance: {esc(', '.join(s.guidance))}" if s.guidance else "",
    ]
    parts.append(f"<p class='meta'>{' &nbsp;|&nbsp; '.join(m for m in meta if m)}</p>")
    parts.append(
        f"<p class='meta'>Authors: {esc(', '.join(page.authors))} &nbsp;|&nbsp; Version {esc(page.version)}"
        f" &nbsp;|&nbsp; Last reviewed {esc(page.reviewed)} (internal review) &nbsp;|&nbsp; <i>{esc(page.review_status)}</i></p>"
    )
    parts.append(f"<table width='100%' cellpadding='5'><tr><td class='notice'>{esc(EDUCATIONAL_NOTICE)}</td></tr></table>")
    if s.summary:
        parts.append(f"<p>{esc(s.summary)}</p>")
    if page.safety:
        items = "".join(f"<li>{esc(x.text)} <span class='meta'>({esc(x.section)})</span></li>" for x in page.safety)
        parts.append(
            "<table width='100%' cellpadding='6'><tr><td class='safety'>"
            f"<b class='safety-tag'>⚠ Safety-critical points</b><ul>{items}</ul></td></tr></table>"
        )
    for section in page.sections:
        body = re.sub(r'<p class="chart">chart:([a-z0-9-]+)</p>', r"<p><img src='chart:\1'></p>", section.html)
        body = body.replace("<table>", "<table border='1' cellspacing='0' cellpadding='4'>")
        parts.append(f"<h2><a name='section-{esc(section.key)}'></a>{esc(section.title)}</h2>{body}")
    if page.steps:
        parts.append("<h2><a name='steps'></a>Technique steps</h2>")
        images = {i.id: i for i in page.images}
        for step in page.steps:
            block = [
                f"<p><a name='step-{step.number}'></a><a href='step:{step.number}' class='step-title'>"
                f"Step {step.number}. {esc(step.title)}</a></p>{step.html}"
            ]
            for image_id in step.image_ids:
                info = images.get(image_id)
                if info is None:
                    continue
                status = "" if info.available else " <span class='pending'>(image not yet available)</span>"
                block.append(f"<p class='meta'><b>{esc(info.title)}</b> — {esc(info.view)}{status}</p>")
            parts.append("".join(block))
    if page.references:
        refs = ["<h2><a name='references'></a>References</h2><ol class='refs'>"]
        for ref in page.references:
            doi = f" doi:{esc(ref.doi)}" if ref.doi and f"doi:{ref.doi}" not in ref.citation else ""
            refs.append(f"<li><a name='ref-{ref.number}'></a>{esc(ref.citation)}{doi}</li>")
        refs.append("</ol>")
        parts.append("".join(refs))
    return parts


def _document(css: str, blocks: list[str]) -> str:
    return f"<html><head><style>{css}</style></head><body>{''.join(blocks)}</body></html>"


def page_html(page: Page, css: str) -> str:
    return _document(css, page_blocks(page))


def first_screen_blocks(blocks: list[str], budget: int = FIRST_SCREEN_CHARS) -> list[str]:
    """The leading blocks that fill the first screen: whole blocks, at least one, until ``budget`` characters."""
    head, used = [], 0
    for block in blocks:
        if head and used >= budget:
            break
        head.append(block)
        used += len(block)
    return head


def _levels_text(levels: tuple[str, ...]) -> str:
    return ", ".join(levels) if len(levels) <= 8 else f"{levels[0]} to {levels[-1]} ({len(levels)} levels)"


class PageView(QTextBrowser):
    """Shows one page. Internal links only: ``atlas:slug``, ``step:N`` and ``#anchors``."""

    pageLinkClicked = Signal(str)
    stepLinkClicked = Signal(int)
    externalLinkBlocked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._anchor)
        self.setAccessibleName("Page")
        self.document().setUndoRedoEnabled(False)
        # pages are long: a scroll bar that came and went with every new page made the text lay out three times
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.page: Page | None = None
        self._reading = ""  # the step anchor the reader was taken to, followed while the page reflows
        self._following = False  # cleared as soon as the reader scrolls by hand
        self.verticalScrollBar().actionTriggered.connect(self._scrolled_by_hand)
        self.css = page_css(READING)
        self.theme = READING
        # A page is shown in two goes: its first screen at once, the whole page just after that screen's first
        # frame (laying out a long page took 5-10 ms, most of it text below the fold).
        self._whole_page: str | None = None
        self._completion = QTimer(self)
        self._completion.setSingleShot(True)
        self._completion.setInterval(COMPLETE_UNPAINTED_MS)
        self._completion.timeout.connect(self.complete)

    def show_page(self, page: Page) -> None:
        self.page = page
        self._reading = ""
        blocks = page_blocks(page)
        head = first_screen_blocks(blocks)
        if len(head) < len(blocks):
            self._whole_page = _document(self.css, blocks)
            self.setHtml(_document(self.css, head))
            self._completion.start()  # in case no frame is painted (a hidden view)
        else:
            self._drop_pending()
            self.setHtml(_document(self.css, blocks))
        self.verticalScrollBar().setValue(0)

    def is_complete(self) -> bool:
        """Is the whole page laid out (not only its first screen)?"""
        return self._whole_page is None

    def complete(self) -> None:
        """Lay out the whole page now, keeping the reader's place."""
        if self._whole_page is None:
            return
        whole = self._whole_page
        self._drop_pending()
        position = self.verticalScrollBar().value()
        self.setHtml(whole)
        self.verticalScrollBar().setValue(position)

    def _drop_pending(self) -> None:
        self._whole_page = None
        self._completion.stop()

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        whole = self._whole_page
        if whole is not None:  # the first screen is on show: the rest follows in the next turn (if still this page)
            QTimer.singleShot(0, lambda: self._whole_page is whole and self.complete())

    def following(self) -> bool:
        """Is the reader still where a step link or step button put them?"""
        return bool(self._reading) and self._following

    def set_theme(self, theme: Theme, following: bool | None = None) -> None:
        self.theme = theme
        self.css = page_css(theme)
        if self.page is not None:
            following = self.following() if following is None else following
            fraction = self.verticalScrollBar().value() / max(self.verticalScrollBar().maximum(), 1)
            self._drop_pending()
            self.setHtml(page_html(self.page, self.css))
            if following:
                self._following = True
                self._follow()
            else:
                QTimer.singleShot(0, lambda: self.verticalScrollBar().setValue(round(fraction * self.verticalScrollBar().maximum())))

    def show_message(self, title: str, text: str) -> None:
        self.page = None
        self._drop_pending()
        self.setHtml(
            f"<html><head><style>{self.css}</style></head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
        )

    def scroll_to_step(self, number: int) -> None:
        self.complete()  # the step may lie below the first screen
        # after the document has been laid out, or the anchor's position is not yet known
        self._reading = f"step-{number}"
        self._following = True
        self._follow()

    def _scrolled_by_hand(self, _action: int) -> None:
        self._following = False

    def _follow(self) -> None:
        """Scroll to the step now and again once the document's layout has settled."""
        for delay in (0, 120):
            QTimer.singleShot(delay, self._scroll_to_anchor)

    def _scroll_to_anchor(self) -> None:
        if self._reading and self._following:
            self.scrollToAnchor(self._reading)

    def resizeEvent(self, event):  # noqa: N802
        """Keep the step being read in view when the page reflows (a panel opens, the theme changes)."""
        super().resizeEvent(event)
        if self.following() and event.size().width() != event.oldSize().width():  # only a new width reflows the text
            self._follow()

    def _anchor(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "atlas":
            self.pageLinkClicked.emit(url.path() or url.toString().removeprefix("atlas:"))
        elif scheme == "step":
            try:
                self.stepLinkClicked.emit(int(url.path()))
            except ValueError:
                pass
        elif not scheme and url.hasFragment():
            self.complete()
            self.scrollToAnchor(url.fragment())
        else:
            self.externalLinkBlocked.emit(url.toString())

    def loadResource(self, kind, url):  # noqa: N802
        """Only the page's own charts, drawn here; nothing is ever fetched (the atlas works offline)."""
        if kind == QTextDocument.ResourceType.ImageResource and url.scheme() == "chart" and self.page is not None:
            chart = next((c for c in self.page.charts if c.id == url.path()), None)
            if chart is not None:
                from atlas.ui.charts import chart_image

                number = next((r.number for r in self.page.references if r.key == chart.source), None)
                return chart_image(chart, number, self.theme, width=max(420, min(760, self.viewport().width() - 30)))
        return None
