"""Load and cross-check the whole content tree, collecting every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.content.charts import ChartSource, load_chart
from atlas.content.images import ImageSource, load_image
from atlas.content.pages import PageSource, load_page
from atlas.content.problems import Problems
from atlas.content.references import RefSource, load_references
from atlas.content.vocabulary import Vocabulary, load_vocabulary


@dataclass
class Content:
    root: Path
    vocabulary: Vocabulary
    references: dict[str, RefSource]
    pages: dict[str, PageSource]
    images: dict[str, ImageSource]
    problems: Problems = field(default_factory=Problems)
    version: str = ""
    charts: dict[str, ChartSource] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def catalog_slugs(content_dir: Path) -> list[str]:
    """Slugs the catalog (content/CATALOG.md) promises: the first column of its page tables."""
    path = content_dir / "CATALOG.md"
    if not path.exists():
        return []
    slugs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*([a-z0-9][a-z0-9-]*)\s*\|", line)
        if m and m.group(1) != "slug":
            slugs.append(m.group(1))
    return slugs


def load_content(content_dir: Path, images_dir: Path) -> Content:
    root = content_dir.parent
    problems = Problems(root=root)
    vocab = load_vocabulary(content_dir / "vocabulary.yaml", problems)
    references = load_references(content_dir / "references.yaml", problems)
    for extra in sorted((content_dir / "references").glob("*.yaml")):
        for key, ref in load_references(extra, problems).items():
            if key in references:
                first = references[key]
                problems.error(extra, ref.line, f"reference key {key!r} is already defined ({first.path.name}:{first.line})")
            else:
                references[key] = ref

    charts: dict[str, ChartSource] = {}
    for path in sorted((content_dir / "charts").glob("*.yaml")):
        chart = load_chart(path, set(references), problems)
        if chart is not None:
            charts[chart.chart.id] = chart

    images: dict[str, ImageSource] = {}
    if images_dir.is_dir():
        for path in sorted(images_dir.glob("*.yaml")):
            image = load_image(path, vocab, problems)
            if image is not None:
                images[image.id] = image
    declared_images = {p.stem for p in images_dir.glob("*.yaml")} if images_dir.is_dir() else set()

    pages: dict[str, PageSource] = {}
    pages_dir = content_dir / "pages"
    page_files = sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []
    if not page_files:
        problems.error(pages_dir, 1, "no pages found")
    slug_files: dict[str, Path] = {}
    for path in page_files:
        page = load_page(path, vocab, set(references), problems)
        if page is None:
            continue
        if page.slug in slug_files:
            problems.error(path, page.slug_line, f"duplicate slug {page.slug!r} (also in {slug_files[page.slug].name})")
            continue
        slug_files[page.slug] = path
        pages[page.slug] = page

    all_slugs = {p.stem for p in page_files}
    promised = set(catalog_slugs(content_dir))
    used_images: set[str] = set()
    for page in pages.values():
        for slug, line in page.links:
            if slug in all_slugs:
                continue
            if slug in promised:
                problems.warning(page.path, line, f"link to 'atlas:{slug}', a catalog page not yet written")
            else:
                problems.error(page.path, line, f"link to unknown page 'atlas:{slug}'")
        for chart_id, line in page.charts:
            if chart_id not in charts:
                problems.error(page.path, line, f"unknown chart {chart_id!r} (no content/charts/{chart_id}.yaml)")
            elif charts[chart_id].chart.source not in page.references:
                problems.error(page.path, line, f"chart {chart_id!r} comes from {charts[chart_id].chart.source!r}; cite it on this page")
        for step in page.steps:
            step_layers: set[str] = set()
            for image_id, line in zip(step.image_ids, step.image_lines):
                used_images.add(image_id)
                if image_id not in declared_images:
                    problems.error(page.path, line, f"missing image {image_id!r} (no images/{image_id}.yaml)")
                elif image_id in images:
                    step_layers |= set(images[image_id].layers)
                    if not images[image_id].available:
                        problems.warning(page.path, line, f"step {step.number} shows image {image_id!r}, which is not yet available")
            for layer in step.layers:
                if step_layers and layer not in step_layers:
                    problems.error(page.path, step.line, f"step {step.number}: unknown layer {layer!r} for its images")
    for image_id, image in images.items():
        if image_id not in used_images:
            problems.warning(image.path, 1, f"image {image_id!r} is not used by any step")

    version_file = content_dir / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.exists() else "0.0.0"
    return Content(root, vocab, references, pages, images, problems, version, charts)
