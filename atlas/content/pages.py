"""One page: ``content/pages/<slug>.md`` with YAML front matter and a Markdown body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.content.problems import Problems
from atlas.content.render import Citations, ChunkProblem, render_chunk
from atlas.content.vocabulary import Vocabulary, section_key
from atlas.content.yaml_lines import LDict, LList, YamlError, load
from atlas.levels import LevelError, expand_level_entry, order_of

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VERSION_RE = re.compile(r"^\d+\.\d+(\.\d+)?$")
KINDS = ("procedure", "topic")
PAGE_KEYS = {
    "slug", "title", "kind", "region", "summary", "levels", "approaches", "guidance", "synonyms",
    "authors", "version", "reviewed", "review_status", "references", "steps", "bleeding_risk",
}
STEP_KEYS = {"title", "text", "images", "layers"}
MIN_STEPS, MAX_STEPS = 4, 10
DEFAULT_REVIEW_STATUS = "pending expert review"
MAX_PAGE_BYTES = 2 * 1024 * 1024


@dataclass
class SectionSource:
    key: str
    title: str
    html: str
    text: str
    line: int


@dataclass
class StepSource:
    number: int
    title: str
    html: str
    text: str
    image_ids: list[str]
    image_lines: list[int]
    layers: list[str]
    line: int


@dataclass
class PageSource:
    path: Path
    slug: str
    title: str
    kind: str
    region: str
    summary: str
    levels: list[str]
    approaches: list[str]
    guidance: list[str]
    synonyms: list[str]
    authors: list[str]
    version: str
    reviewed: str
    review_status: str
    bleeding_risk: str = ""
    sections: list[SectionSource] = field(default_factory=list)
    steps: list[StepSource] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # keys in numbered order
    safety: list[tuple[str, str]] = field(default_factory=list)  # (section title or "Step N", text)
    facts: list[tuple[str, str, str]] = field(default_factory=list)  # (section, text, cloze)
    links: list[tuple[str, int]] = field(default_factory=list)
    charts: list[tuple[str, int]] = field(default_factory=list)
    slug_line: int = 1


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, body's first line). Raises ValueError if there is none."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("a page must start with '---' and YAML front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise ValueError("front matter is not closed by a '---' line")


def split_sections(body: str, first_line: int) -> list[tuple[str, str, int]]:
    """(title, markdown, line of the heading) per ``##`` section, outside code fences."""
    out: list[tuple[str, list[str], int]] = []
    fence = False
    current_title, current, current_line = "Overview", [], first_line
    for offset, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if m and not line.startswith("###"):
            if current_title != "Overview" or "\n".join(current).strip():
                out.append((current_title, current, current_line))
            current_title, current, current_line = m.group(1).strip(), [], first_line + offset
        else:
            current.append(line)
    if current_title != "Overview" or "\n".join(current).strip():
        out.append((current_title, current, current_line))
    return [(title, "\n".join(lines), line) for title, lines, line in out]


def _strings(data: LDict, key: str, path: Path, problems: Problems, *, required: bool) -> list[str]:
    value = data.get(key)
    if value is None:
        if required:
            problems.error(path, data.line, f"missing {key!r}")
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        problems.error(path, data.line_of(key), f"{key!r} must be a list of words")
        return []
    return [str(v).strip() for v in value]


def load_page(path: Path, vocab: Vocabulary, reference_keys: set[str], problems: Problems) -> PageSource | None:
    if path.stat().st_size > MAX_PAGE_BYTES:
        problems.error(path, 1, f"page is larger than {MAX_PAGE_BYTES // 1024} KB")
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.error(path, line, f"not valid UTF-8 ({exc.reason})")
        return None
    text = text.replace("\r\n", "\n")
    try:
        front, body, body_line = split_front_matter(text)
    except ValueError as exc:
        problems.error(path, 1, str(exc))
        return None
    try:
        data = load(front, line_offset=1)
    except YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return None
    if not isinstance(data, LDict):
        problems.error(path, 2, "front matter must be a mapping (slug, title, kind, …)")
        return None

    for key in data:
        if key not in PAGE_KEYS:
            problems.error(path, data.line_of(key), f"unknown front matter field {key!r}")

    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        problems.error(path, data.line_of("slug"), f"slug {slug!r} must be lower-case letters, digits and '-'")
        slug = path.stem
    elif slug != path.stem:
        problems.error(path, data.line_of("slug"), f"slug {slug!r} must equal the file name {path.stem!r}")

    def text_field(key: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.error(path, data.line_of(key), f"missing {key!r}")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.error(path, data.line_of(key), f"{key!r} must be text")
            return ""
        return str(value).strip()

    title = text_field("title")
    kind = text_field("kind")
    if kind and kind not in KINDS:
        problems.error(path, data.line_of("kind"), f"kind {kind!r} must be 'procedure' or 'topic'")
    region = text_field("region")
    if region and region not in vocab.regions:
        problems.error(path, data.line_of("region"), f"unknown region {region!r} (one of {', '.join(vocab.regions)})")
    summary = text_field("summary", required=False)
    version = text_field("version")
    if version and not VERSION_RE.match(version):
        problems.error(path, data.line_of("version"), f"version {version!r} must look like 1.0 or 1.0.0")
    reviewed = text_field("reviewed")
    if reviewed:
        try:
            dt.date.fromisoformat(reviewed)
        except ValueError:
            problems.error(path, data.line_of("reviewed"), f"reviewed {reviewed!r} must be a date like 2026-11-21")
    review_status = text_field("review_status", required=False) or DEFAULT_REVIEW_STATUS
    bleeding_risk = text_field("bleeding_risk", required=False)
    if bleeding_risk and bleeding_risk not in vocab.bleeding_risk:
        problems.error(path, data.line_of("bleeding_risk"), f"bleeding_risk {bleeding_risk!r} must be one of {', '.join(vocab.bleeding_risk)}")
    if bleeding_risk and kind != "procedure":
        problems.error(path, data.line_of("bleeding_risk"), "only procedure pages have a bleeding-risk class")
    authors = _strings(data, "authors", path, problems, required=True)
    if "authors" in data and not authors:
        problems.error(path, data.line_of("authors"), "a page needs at least one author")
    synonyms = _strings(data, "synonyms", path, problems, required=False)

    is_procedure = kind == "procedure"
    levels: list[str] = []
    raw_levels = _strings(data, "levels", path, problems, required=is_procedure)
    for index, entry in enumerate(raw_levels):
        line = data["levels"].line_of(index) if isinstance(data.get("levels"), LList) else data.line_of("levels")
        try:
            for level in expand_level_entry(entry):
                if level not in levels:
                    levels.append(level)
        except LevelError as exc:
            problems.error(path, line, str(exc))
    levels.sort(key=order_of)
    approaches = _strings(data, "approaches", path, problems, required=is_procedure)
    for index, name in enumerate(approaches):
        if name not in vocab.approaches:
            line = data["approaches"].line_of(index) if isinstance(data.get("approaches"), LList) else data.line_of("approaches")
            problems.error(path, line, f"unknown approach {name!r} (one of {', '.join(vocab.approaches)})")
    guidance = _strings(data, "guidance", path, problems, required=is_procedure)
    for index, name in enumerate(guidance):
        if name not in vocab.guidance:
            line = data["guidance"].line_of(index) if isinstance(data.get("guidance"), LList) else data.line_of("guidance")
            problems.error(path, line, f"unknown guidance {name!r} (one of {', '.join(vocab.guidance)})")

    page = PageSource(
        path=path, slug=slug, title=title, kind=kind, region=region, summary=summary, levels=levels,
        approaches=approaches, guidance=guidance, synonyms=synonyms, authors=authors, version=version,
        reviewed=reviewed, review_status=review_status, bleeding_risk=bleeding_risk, slug_line=data.line_of("slug"),
    )
    citations = Citations(known=reference_keys)
    chunk_problems: list[ChunkProblem] = []

    # Body sections.
    sections = split_sections(body, body_line)
    for title_, markdown_, line in sections:
        rendered = render_chunk(markdown_, line + 1 if title_ != "Overview" or line != body_line else line, citations, chunk_problems)
        page.sections.append(SectionSource(section_key(title_), title_, rendered.html, rendered.text, line))
        page.safety += [(title_, s) for s in rendered.safety]
        page.facts += [(title_, t, c) for t, c in zip(rendered.facts, rendered.fact_clozes)]
        page.links += rendered.links
        page.charts += rendered.charts
    if not any(s.text.strip() for s in page.sections):
        problems.error(path, body_line, "the page body is empty")
    if is_procedure:
        required = vocab.procedure_sections
        present = [s.title for s in page.sections if s.title in required]
        missing = [t for t in required if t not in present]
        for t in missing:
            problems.error(path, body_line, f"procedure page is missing the section '## {t}'")
        if not missing and present != required:
            problems.error(path, body_line, f"sections must come in this order: {', '.join(required)}")
        for section in page.sections:
            if section.title in required and not section.text.strip():
                problems.error(path, section.line, f"section '## {section.title}' is empty")

    # Steps.
    steps = data.get("steps")
    if steps is None:
        steps = LList()
        steps.line = data.line
    if not isinstance(steps, LList):
        problems.error(path, data.line_of("steps"), "steps must be a list of {title, text, images, layers}")
        steps = LList()
    if is_procedure and not steps:
        problems.error(path, data.line_of("steps"), "a procedure page has no technique steps (empty steps)")
    elif is_procedure and not MIN_STEPS <= len(steps) <= MAX_STEPS:
        problems.error(path, data.line_of("steps"), f"a procedure page needs {MIN_STEPS}-{MAX_STEPS} steps, not {len(steps)}")
    for index, step in enumerate(steps):
        line = steps.line_of(index)
        if not isinstance(step, LDict):
            problems.error(path, line, "a step must be a mapping with title, text, images and layers")
            continue
        for key in step:
            if key not in STEP_KEYS:
                problems.error(path, step.line_of(key), f"unknown step field {key!r}")
        step_title = step.get("title")
        step_text = step.get("text")
        if not isinstance(step_title, str) or not step_title.strip():
            problems.error(path, line, f"step {index + 1} has no title")
            step_title = ""
        if not isinstance(step_text, str) or not step_text.strip():
            problems.error(path, step.line_of("text"), f"step {index + 1} has no text")
            step_text = ""
        image_ids = _strings(step, "images", path, problems, required=False)
        images_node = step.get("images")
        image_lines = [images_node.line_of(i) if isinstance(images_node, LList) else step.line_of("images") for i in range(len(image_ids))]
        layers = _strings(step, "layers", path, problems, required=False)
        text_line = step.line_of("text") + (1 if isinstance(step_text, str) and "\n" in step_text else 0)
        rendered = render_chunk(step_text, text_line, citations, chunk_problems)
        label = f"Step {index + 1}"
        page.steps.append(StepSource(index + 1, step_title.strip(), rendered.html, rendered.text, image_ids, image_lines, layers, line))
        page.safety += [(label, s) for s in rendered.safety]
        page.facts += [(label, t, c) for t, c in zip(rendered.facts, rendered.fact_clozes)]
        page.links += rendered.links

    for p in chunk_problems:
        (problems.note if p.severity == "note" else problems.error)(path, p.line, p.message)

    # Listed references that the text did not cite still appear, after the cited ones.
    listed = _strings(data, "references", path, problems, required=False)
    for index, key in enumerate(listed):
        if key not in reference_keys:
            line = data["references"].line_of(index) if isinstance(data.get("references"), LList) else data.line_of("references")
            problems.error(path, line, f"unknown reference key {key!r} (not in content/references.yaml)")
        else:
            citations.number(key)
    page.references = list(citations.order)
    if is_procedure and not page.references:
        problems.error(path, 1, "a procedure page must cite its sources")
    return page
