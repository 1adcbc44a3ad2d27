"""About: versions, what the content is, and what the atlas is not."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from atlas import EDUCATIONAL_NOTICE, __version__
from atlas.model import ContentInfo


def about_html(info: ContentInfo) -> str:
    return (
        f"<h2>Spine Atlas {html.escape(__version__)}</h2>"
        "<p>An offline atlas of image-guided spine interventions.</p>"
        f"<p><b>Content version:</b> {html.escape(info.content_version)}<br>"
        f"<b>Content format:</b> {info.schema_version}<br>"
        f"<b>Built:</b> {html.escape(info.built_at)}<br>"
        f"<b>Pages:</b> {info.pages} &nbsp; <b>Images:</b> {info.images}</p>"
        "<p>Images are rendered by the atlas from an anatomical phantom; they are not patient images.</p>"
        f"<p style='color:#b3261e'><b>{html.escape(EDUCATIONAL_NOTICE)}</b></p>"
        "<p>Pages show their review status; pages marked \"pending expert review\" have not been signed off "
        "by a named clinician.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, info: ContentInfo, parent=None):
        super().__init__(parent)
        self.setWindowTitle("About Spine Atlas")
        self.text = QLabel(about_html(info))
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(420)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
