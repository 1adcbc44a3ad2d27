"""The app's two looks.

- *reading*: Fusion with a calm dark chrome; pages black on white.
- *room*: for a darkened procedure room: black, high contrast (every text
  colour at least 7:1 against its background), large type, readable at 2 m.
  Images keep their true greys in both.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Theme:
    name: str
    palette: dict[str, str]  # QPalette.ColorRole name → colour
    font_pt: float
    page: dict[str, str]  # colours used by the page HTML
    chrome: dict[str, str]  # colours used by the stylesheet
    label_pt: float = 10.0  # image labels (larger and bold in the room, read from a distance)
    label_bold: bool = False

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(what, foreground, background) for every text colour the theme draws."""
        p, g, c = self.palette, self.page, self.chrome
        return [
            ("window text", p["WindowText"], p["Window"]),
            ("text", p["Text"], p["Base"]),
            ("button text", p["ButtonText"], p["Button"]),
            ("page text", g["text"], g["background"]),
            ("page headings", g["heading"], g["background"]),
            ("page metadata", g["meta"], g["background"]),
            ("page links", g["link"], g["background"]),
            ("safety statements", g["safety_text"], g["safety_background"]),
            ("safety tag", g["safety_tag"], g["safety_background"]),
            ("educational notice", g["notice_text"], g["notice_background"]),
            ("status notice", c["notice"], p["Window"]),
            ("image view label", c["view_label"], p["Window"]),
            ("selected chip", c["chip_text"], c["chip"]),
            ("selected step", c["step_text"], c["step"]),
        ]


READING = Theme(
    name="reading",
    palette={
        "Window": "#2a2e34", "WindowText": "#e3e6ea", "Base": "#1f2328", "AlternateBase": "#262a30", "Text": "#e3e6ea",
        "Button": "#343941", "ButtonText": "#e3e6ea", "Highlight": "#4fc3f7", "HighlightedText": "#0d0f12",
        "ToolTipBase": "#fdf6e3", "ToolTipText": "#1b1b1b", "PlaceholderText": "#8a9099", "Link": "#1f4e79",
    },
    font_pt=10.0,
    page={
        "background": "#fbfbf9", "text": "#1b1b1b", "heading": "#1f4e79", "meta": "#4d535b", "link": "#1f4e79",
        "safety_background": "#ffe9e7", "safety_text": "#7a1010", "safety_tag": "#a3221b",
        "notice_background": "#fff7e0", "notice_text": "#5c4100", "fact": "#1b5e20", "th": "#eef2f6", "pending": "#7a5d26",
    },
    chrome={
        "notice": "#ffcc80", "view_label": "#aab2bc", "chip": "#ffb74d", "chip_text": "#1b1b1b", "step": "#4fc3f7",
        "step_text": "#0d0f12", "border": "#4a5058", "hover": "#ffe082", "message": "#c8ccd2", "list_line": "#30353c",
        "viewer": "#0d0f12",
    },
)

ROOM = Theme(
    name="room",
    palette={
        "Window": "#000000", "WindowText": "#ffffff", "Base": "#000000", "AlternateBase": "#0b0b0b", "Text": "#ffffff",
        "Button": "#1a1a1a", "ButtonText": "#ffffff", "Highlight": "#ffd54f", "HighlightedText": "#000000",
        "ToolTipBase": "#000000", "ToolTipText": "#ffffff", "PlaceholderText": "#bdbdbd", "Link": "#ffd54f",
    },
    font_pt=14.0,
    page={
        "background": "#000000", "text": "#ffffff", "heading": "#ffd54f", "meta": "#e0e0e0", "link": "#ffd54f",
        "safety_background": "#3a0000", "safety_text": "#ffffff", "safety_tag": "#ffb3ad",
        "notice_background": "#1f1a00", "notice_text": "#ffe9a8", "fact": "#b9f6ca", "th": "#1a1a1a", "pending": "#ffe082",
    },
    chrome={
        "notice": "#ffe082", "view_label": "#e0e0e0", "chip": "#ffd54f", "chip_text": "#000000", "step": "#ffd54f",
        "step_text": "#000000", "border": "#9e9e9e", "hover": "#ffd54f", "message": "#ffffff", "list_line": "#424242",
        "viewer": "#000000",
    },
    label_pt=15.0,
    label_bold=True,
)

THEMES = {t.name: t for t in (READING, ROOM)}


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def stylesheet(t: Theme) -> str:
    c, g = t.chrome, t.page
    big = t.font_pt + 1
    return f"""
QToolBar {{ spacing: 6px; padding: 3px; }}
QPushButton#approachChip {{ border: 1px solid {c['border']}; border-radius: 10px; padding: 3px 10px; }}
QPushButton#approachChip:checked {{ background: {c['chip']}; color: {c['chip_text']}; border-color: {c['chip']}; }}
QPushButton#stepButton {{ padding: 6px 10px; border: 1px solid {c['border']}; border-radius: 4px; }}
QPushButton#stepButton:checked {{ background: {c['step']}; color: {c['step_text']}; border-color: {c['step']}; }}
QLabel#noticeLabel {{ color: {c['notice']}; }}
QLabel#selectionLabel {{ font-weight: bold; }}
QLabel#imageTitle {{ font-weight: bold; font-size: {big}pt; }}
QLabel#viewLabel {{ color: {c['view_label']}; }}
QLabel#hoverLabel {{ color: {c['hover']}; font-weight: bold; }}
QLabel#viewerMessage {{ color: {c['message']}; font-size: {big + 1}pt; background: {c['viewer']}; }}
QListWidget::item {{ padding: 5px 2px; border-bottom: 1px solid {c['list_line']}; }}
QListWidget::item:selected {{ background: {c['step']}; color: {c['step_text']}; }}
QTextBrowser {{ background: {g['background']}; color: {g['text']}; selection-background-color: #ffe082; selection-color: #000000; }}
"""


def page_css(t: Theme) -> str:
    g = t.page
    pt = t.font_pt + 0.5
    return f"""
body {{ font-size: {pt}pt; color: {g['text']}; background-color: {g['background']}; }}
h1 {{ font-size: {pt + 6.5}pt; margin-bottom: 2px; color: {g['text']}; }}
h2 {{ font-size: {pt + 2.5}pt; margin-top: 16px; margin-bottom: 4px; color: {g['heading']}; }}
h3 {{ font-size: {pt + 0.5}pt; margin-top: 10px; margin-bottom: 2px; color: {g['text']}; }}
a {{ color: {g['link']}; }}
.meta {{ color: {g['meta']}; font-size: {pt - 1.5}pt; }}
.notice {{ color: {g['notice_text']}; background-color: {g['notice_background']}; font-size: {pt - 1.5}pt; }}
.safety {{ background-color: {g['safety_background']}; color: {g['safety_text']}; }}
.safety-tag {{ color: {g['safety_tag']}; }}
.fact-tag {{ color: {g['fact']}; }}
.cite {{ font-size: {pt - 1.5}pt; }}
.step-title {{ font-weight: bold; color: {g['heading']}; }}
.refs {{ font-size: {pt - 1.5}pt; }}
.pending {{ color: {g['pending']}; font-style: italic; }}
table {{ border-collapse: collapse; }}
th {{ background-color: {g['th']}; }}
"""


def apply_theme(app: QApplication, theme: Theme = READING) -> None:
    """Palette, font and stylesheet (the Fusion style itself is chosen when the app is created)."""
    palette = QPalette()
    for role, colour in theme.palette.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in ("ButtonText", "WindowText", "Text"):
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor("#6b7179" if theme is READING else "#9e9e9e"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(theme.font_pt)
    app.setFont(font)
    app.setStyleSheet(stylesheet(theme))
