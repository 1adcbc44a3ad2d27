"""Plain text from the atlas's sanitized HTML (for ``spine-atlas show`` and search)."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "h2", "h3", "h4", "h5", "pre", "blockquote", "table", "tr", "dl", "dt", "dd", "hr"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []  # stack of [ordered, counter]
        self.cell = 0
        self.in_row = False

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._newline()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self._newline()
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self.parts.append(f"{indent}{self.lists[-1][1]}. ")
            else:
                self.parts.append(f"{indent}- ")
        elif tag == "tr":
            self._newline()
            self.cell = 0
            self.in_row = True
        elif tag in ("td", "th"):
            if self.cell:
                self.parts.append(" | ")
            self.cell += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self._newline()

    def handle_endtag(self, tag):
        if tag == "tr":
            self.in_row = False
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline()
        elif tag in _BLOCKS or tag == "li":
            self._newline()

    def handle_data(self, data):
        if not data.strip() and (self.in_row or not self.parts or self.parts[-1].endswith(("\n", " "))):
            return
        self.parts.append(" ".join(data.split()) if data.strip() else " ")
        if data[:1].isspace() and len(self.parts) > 1 and not self.parts[-2].endswith((" ", "\n")):
            self.parts[-1] = " " + self.parts[-1]
        if data[-1:].isspace() and data.strip():
            self.parts[-1] += " "


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
