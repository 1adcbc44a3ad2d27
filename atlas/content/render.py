"""Markdown → sanitized HTML, with the atlas's own markers.

Authors write ``[@key]`` citations, ``[!SAFETY]`` and ``[!FACT]`` markers at
the start of a paragraph or list item, and ``[text](atlas:slug)`` links.
Notes to the expert reviewer (``*Editorial note: …*``, in italics on one line)
are taken out of what readers see and reported by ``spine-atlas check --editorial``. This
module turns one chunk of Markdown (a section, a step, a caption) into HTML
that QTextBrowser renders, numbering citations across the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown
import nh3

from atlas.content.text import html_to_text

CITE_RE = re.compile(r"\[(@[^\]\n]*)\]")
CHART_RE = re.compile(r"^\s*\[!CHART\s+([a-z0-9][a-z0-9-]*)\]\s*$")
LINK_RE = re.compile(r"\]\(atlas:([^)\s]*)\)")
MARKERS = {"[!SAFETY]": ("\ue002", "safety", "⚠ Safety:"), "[!FACT]": ("\ue003", "fact", "Key fact:")}
EDITORIAL_RE = re.compile(r"\s*\*(Editorial note\b[^*\n]*)\*")
_CITE_OPEN, _CITE_CLOSE = "\ue000", "\ue001"
_CHART = "\ue004"

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "ul", "ol", "li", "strong", "em", "b", "i", "u", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "a", "span", "div", "hr",
    "dl", "dt", "dd", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "id", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "*": {"id"}}
ALLOWED_CLASSES = {
    "p": {"safety", "fact", "chart"},
    "li": {"safety", "fact"},
    "b": {"safety-tag", "fact-tag"},
    "sup": {"cite"},
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
}


@dataclass
class Citations:
    """Numbers references in order of first citation on a page."""

    known: set[str]
    order: list[str] = field(default_factory=list)

    def number(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1


@dataclass
class Rendered:
    html: str
    text: str
    safety: list[str]
    facts: list[str]
    fact_clozes: list[str]  # the same facts with their bold words as {{answer}}
    charts: list[tuple[str, int]]  # (chart id, line)
    links: list[tuple[str, int]]  # (slug, line)


@dataclass
class ChunkProblem:
    line: int
    message: str
    severity: str = "error"  # or "note": an editorial note for the reviewer, not shown to readers


def _md() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "fenced_code", "footnotes", "abbr", "def_list"],
        output_format="html",
    )


def sanitize(html: str) -> str:
    """Allow-list sanitizer: no scripts, frames, event handlers or remote URLs survive."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"atlas"},
        link_rel=None,
        allowed_classes=ALLOWED_CLASSES,
    )


def render_chunk(source: str, first_line: int, citations: Citations, problems: list[ChunkProblem]) -> Rendered:
    """Render one Markdown chunk; problems get absolute line numbers."""
    cite_keys: list[list[int]] = []
    lines = source.split("\n")
    links: list[tuple[str, int]] = []
    charts: list[tuple[str, int]] = []
    for index, line in enumerate(lines):
        lineno = first_line + index
        chart = CHART_RE.match(line)
        if chart:
            charts.append((chart.group(1), lineno))
            lines[index] = f"\n{_CHART}{chart.group(1)}{_CHART}\n"
            continue
        for m in LINK_RE.finditer(line):
            links.append((m.group(1), lineno))
        notes = EDITORIAL_RE.findall(line)
        if notes:
            problems.extend(ChunkProblem(lineno, note.strip(), "note") for note in notes)
            line = EDITORIAL_RE.sub("", line)
            if line.strip() in ("-", "*", "+", ""):  # a list item that was only the note
                lines[index] = ""
                continue

        def cite(m: re.Match, lineno=lineno) -> str:
            numbers = []
            for raw in m.group(1).split(";"):
                key = raw.strip().lstrip("@").strip()
                if not raw.strip().startswith("@") or not key:
                    problems.append(ChunkProblem(lineno, f"malformed citation {m.group(0)!r}: write [@key] or [@key1; @key2]"))
                    continue
                if key not in citations.known:
                    problems.append(ChunkProblem(lineno, f"unknown reference key {key!r} (not in content/references.yaml)"))
                    continue
                numbers.append(citations.number(key))
            cite_keys.append(sorted(set(numbers)))
            return f"{_CITE_OPEN}{len(cite_keys) - 1}{_CITE_CLOSE}"

        line = CITE_RE.sub(cite, line)
        for marker, (token, _cls, _tag) in MARKERS.items():
            if marker in line:
                stripped = line.lstrip()
                body = stripped[2:].lstrip() if stripped[:2] in ("- ", "* ", "+ ") else re.sub(r"^\d+[.)]\s+", "", stripped)
                if not body.startswith(marker) or line.count(marker) > 1:
                    problems.append(ChunkProblem(lineno, f"{marker} must begin a paragraph or list item"))
                line = line.replace(marker, token, 1).replace(marker, "")
        lines[index] = line
    html = _md().convert("\n".join(lines))

    for _marker, (token, cls, tag) in MARKERS.items():
        html = re.sub(
            rf"<(p|li)>(\s*<p>)?{token}\s*",
            lambda m, cls=cls, tag=tag: (
                f'<{m.group(1)} class="{cls}"><b class="{cls}-tag">{tag}</b> '
                if not m.group(2)
                else f'<{m.group(1)} class="{cls}"><p class="{cls}"><b class="{cls}-tag">{tag}</b> '
            ),
            html,
        )
        html = html.replace(token, "")

    def cite_html(m: re.Match) -> str:
        numbers = cite_keys[int(m.group(1))]
        if not numbers:
            return ""
        inner = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in numbers)
        return f'<sup class="cite">[{inner}]</sup>'

    html = re.sub(f"{_CITE_OPEN}(\\d+){_CITE_CLOSE}", cite_html, html)
    html = re.sub(f"<p>{_CHART}([a-z0-9-]+){_CHART}</p>", r'<p class="chart">chart:\1</p>', html)
    html = sanitize(html)
    return Rendered(
        html=html,
        text=html_to_text(html),
        safety=_marked_texts(html, "safety"),
        facts=_marked_texts(html, "fact"),
        fact_clozes=_marked_texts(re.sub(r"<strong>(.*?)</strong>", r"{{\1}}", html), "fact"),
        charts=charts,
        links=links,
    )


def _marked_texts(html: str, cls: str) -> list[str]:
    out = []
    for m in re.finditer(rf'<(p|li) class="{cls}">(.*?)</\1>', html, re.DOTALL):
        text = html_to_text(m.group(2)).strip()
        text = re.sub(rf"^{re.escape(MARKERS['[!SAFETY]' if cls == 'safety' else '[!FACT]'][2])}\s*", "", text)
        text = " ".join(re.sub(r"\s*\[\d+(?:, \d+)*\]", "", text).split())
        if text and text not in out:
            out.append(text)
    return out
