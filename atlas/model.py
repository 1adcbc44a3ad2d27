"""Plain data classes of the atlas domain.

Nothing here imports Qt or touches the database: the repository in
``atlas.db`` returns these objects and the UI only reads them.
"""

from __future__ import annotations

from typing import NamedTuple


class Level(NamedTuple):
    """A vertebra (``L4``) or a segment between two adjacent vertebrae (``L4-L5``)."""

    name: str
    region: str
    order: float  # craniocaudal position; a segment sits half-way between its vertebrae

    @property
    def is_segment(self) -> bool:
        return "-" in self.name


class Approach(NamedTuple):
    name: str
    definition: str
    parent: str | None = None
    levels: tuple[str, ...] = ()  # the levels it can reach (transoral: C1-C3); empty: any level


class Reference(NamedTuple):
    key: str
    number: int  # position in the page's numbered list (0 outside a page)
    citation: str  # formatted, plain text
    doi: str | None = None
    url: str | None = None


class LayerStyle(NamedTuple):
    name: str
    label: str
    colour: str  # "#rrggbb"
    z: int


class Annotation(NamedTuple):
    """One drawn element of an image, in image pixel coordinates (x right, y down).

    ``kind`` is ``point`` (one point), ``arrow`` (tail, head), ``polyline``
    (a needle path) or ``polygon`` (a target or danger zone).
    """

    kind: str
    layer: str
    label: str
    points: tuple[tuple[float, float], ...]
    description: str = ""


class ImageInfo(NamedTuple):
    """An image without its pixels: what lists and step strips need."""

    id: str
    title: str
    caption_html: str
    modality: str
    view: str
    width: int
    height: int
    available: bool  # False for a declared image whose raster does not exist yet
    pending_reason: str = ""
    meta_json: str = "{}"  # what the renderer knows: angles, orientation, window, scale


class AtlasImage(NamedTuple):
    info: ImageInfo
    png: bytes  # encoded raster (empty when not available)
    annotations: tuple[Annotation, ...]
    layers: tuple[LayerStyle, ...]  # every layer the image uses, bottom to top


class Step(NamedTuple):
    number: int  # 1-based
    title: str
    html: str
    text: str
    image_ids: tuple[str, ...]
    layers: tuple[str, ...]  # layers shown when the step opens (empty: all)


class Section(NamedTuple):
    key: str  # normalised heading, e.g. "c-arm-set-up"
    title: str
    html: str
    text: str


class SafetyStatement(NamedTuple):
    section: str  # section title or "Step N"
    text: str


class PageSummary(NamedTuple):
    slug: str
    title: str
    kind: str  # "procedure" | "topic"
    region: str
    summary: str
    levels: tuple[str, ...]
    approaches: tuple[str, ...]
    guidance: tuple[str, ...]
    steps: int
    images: int

    def as_json(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind,
            "region": self.region,
            "summary": self.summary,
            "levels": list(self.levels),
            "approaches": list(self.approaches),
            "guidance": list(self.guidance),
            "steps": self.steps,
            "images": self.images,
        }


class Page(NamedTuple):
    summary: PageSummary
    authors: tuple[str, ...]
    version: str
    reviewed: str
    review_status: str
    synonyms: tuple[str, ...]
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    references: tuple[Reference, ...]
    safety: tuple[SafetyStatement, ...]
    images: tuple[ImageInfo, ...] = ()
    bleeding_risk: str = ""  # "low" | "intermediate" | "high" | "" (not stated)
    charts: tuple["Chart", ...] = ()

    @property
    def slug(self) -> str:
        return self.summary.slug

    @property
    def title(self) -> str:
        return self.summary.title


class SearchHit(NamedTuple):
    slug: str
    title: str
    snippet: str  # plain text with the matched words wrapped in [ and ]
    where: str  # "page", "step N", "image"
    step: int | None = None
    score: float = 0.0

    def as_json(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "snippet": self.snippet,
            "where": self.where,
            "step": self.step,
            "score": round(self.score, 4),
        }


class ContentInfo(NamedTuple):
    content_version: str
    schema_version: int
    built_at: str
    pages: int
    images: int


class Fact(NamedTuple):
    """A statement the content marks as quiz-worthy ([!FACT]); ``cloze`` has its bold words as {{answer}}."""

    slug: str
    ordinal: int
    section: str
    text: str
    cloze: str


class ImageUse(NamedTuple):
    """An available image as a step of a page shows it, with what quizzes need to know about it."""

    image_id: str
    slug: str
    step: int
    region: str
    page_title: str
    modality: str
    view: str
    meta_json: str  # renderer metadata (angles, contrast pattern); "{}" for stored pictures
    labels: tuple[tuple[str, str, str], ...]  # (label, kind, layer) of labelled annotations


class ChartBar(NamedTuple):
    label: str
    low: float
    high: float  # equal to low for a single value

    @property
    def is_range(self) -> bool:
        return self.high != self.low


class ChartGroup(NamedTuple):
    name: str
    bars: tuple[ChartBar, ...]


class Chart(NamedTuple):
    id: str
    title: str
    unit: str
    source: str  # reference key
    groups: tuple[ChartGroup, ...]
