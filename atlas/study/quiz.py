"""Quiz items generated from the content, never written twice.

- label: an annotated structure on an atlas image; name it (image occlusion).
- locate: the same structures, the other way round: click where it is.
- fact: a [!FACT] statement with its bold words hidden (cloze).
- epidurogram: a rendered contrast image; name the pattern (true or which false one).
- view: a rendered fluoroscopy image; which C-arm view produced it.

Every item has a stable id so its schedule survives content rebuilds as long
as the image, label or fact stays.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from atlas.model import Fact, ImageUse

KINDS = ("label", "locate", "fact", "epidurogram", "view")
LABEL_KINDS = {"point", "polygon"}
LABEL_LAYERS = {"anatomy", "target", "danger"}
CHOICES = 4
CLOZE_RE = re.compile(r"\{\{(.+?)\}\}")
PATTERN_NAMES = {
    "epidural": "True epidurogram (epidural spread)",
    "epidural-transforaminal": "True epidurogram (transforaminal, along the root sleeve)",
    "epidural-interlaminar": "True epidurogram (interlaminar)",
    "intravascular": "False: intravascular (venous or arterial runoff)",
    "intrathecal": "False: intrathecal (myelogram)",
    "subdural": "False: subdural",
    "facet": "False: facet joint (arthrogram)",
    "muscle": "False: muscle staining",
    "intradiscal": "False: intradiscal",
    "intraneural": "False: intraneural",
}


@dataclass(frozen=True)
class QuizItem:
    id: str
    kind: str
    slug: str
    region: str
    page_title: str
    prompt: str
    answer: str
    choices: tuple[str, ...] = ()  # empty: reveal the answer, then the user rates themselves
    image_id: str | None = None
    step: int | None = None
    target_label: str | None = None  # for label items: which annotation to highlight

    @property
    def group(self) -> str:
        return self.region


def _shuffled(values: list[str], key: str) -> tuple[str, ...]:
    """Deterministic order, different per item (the answer is not always first)."""
    return tuple(sorted(values, key=lambda v: hashlib.sha1(f"{key}|{v}".encode()).hexdigest()))


def _choices(answer: str, same_image: list[str], pool: list[str], key: str) -> tuple[str, ...]:
    others = [x for x in dict.fromkeys(same_image) if x != answer]
    if len(others) < CHOICES - 1:
        others += [x for x in _shuffled(list(dict.fromkeys(pool)), key) if x != answer and x not in others]
    return _shuffled([answer] + others[: CHOICES - 1], key)


def label_items(uses: list[ImageUse]) -> list[QuizItem]:
    pool_by_region: dict[str, list[str]] = {}
    for use in uses:
        pool_by_region.setdefault(use.region, []).extend(
            label for label, kind, layer in use.labels if kind in LABEL_KINDS and layer in LABEL_LAYERS
        )
    items = []
    for use in uses:
        names = [label for label, kind, layer in use.labels if kind in LABEL_KINDS and layer in LABEL_LAYERS]
        for label in dict.fromkeys(names):
            item_id = f"label:{use.image_id}:{label}"
            choices = _choices(label, names, pool_by_region.get(use.region, []), item_id)
            if len(choices) < 2:
                continue
            items.append(QuizItem(
                item_id, "label", use.slug, use.region, use.page_title, "Name the highlighted structure.", label,
                choices, use.image_id, use.step, label,
            ))
    return items


def locate_items(uses: list[ImageUse]) -> list[QuizItem]:
    items = []
    for use in uses:
        names = [label for label, kind, layer in use.labels if kind in LABEL_KINDS and layer in LABEL_LAYERS]
        for label in dict.fromkeys(names):
            items.append(QuizItem(
                f"locate:{use.image_id}:{label}", "locate", use.slug, use.region, use.page_title,
                f"Click the {label}.", label, (), use.image_id, use.step, label,
            ))
    return items


def fact_items(facts: list[Fact], regions: dict[str, tuple[str, str]]) -> list[QuizItem]:
    """``regions`` maps slug → (region, page title)."""
    items = []
    for fact in facts:
        region, title = regions.get(fact.slug, ("general", fact.slug))
        answers = CLOZE_RE.findall(fact.cloze)
        if answers:
            prompt = CLOZE_RE.sub("[ … ]", fact.cloze)
            answer = "; ".join(answers)
        else:
            prompt, answer = f"Recall the key fact ({fact.section}) of this page.", fact.text
        digest = hashlib.sha1(fact.text.encode()).hexdigest()[:10]
        items.append(QuizItem(f"fact:{fact.slug}:{digest}", "fact", fact.slug, region, title, prompt, answer))
    return items


def epidurogram_items(uses: list[ImageUse]) -> list[QuizItem]:
    patterns = {}
    for use in uses:
        pattern = (json.loads(use.meta_json or "{}").get("contrast") or {}).get("pattern")
        if pattern in PATTERN_NAMES:
            patterns[use.image_id] = (use, pattern)
    pool = sorted(set(PATTERN_NAMES.values()))
    items = []
    for image_id, (use, pattern) in patterns.items():
        answer = PATTERN_NAMES[pattern]
        item_id = f"epidurogram:{image_id}"
        items.append(QuizItem(
            item_id, "epidurogram", use.slug, use.region, use.page_title,
            "Contrast has been injected. Name the pattern.", answer, _choices(answer, [], pool, item_id), image_id, use.step,
        ))
    return items


def view_items(uses: list[ImageUse]) -> list[QuizItem]:
    fluoro = [u for u in uses if u.modality == "fluoroscopy" and u.view]
    by_region: dict[str, list[str]] = {}
    for use in fluoro:
        by_region.setdefault(use.region, []).append(use.view)
    items = []
    for use in fluoro:
        if len(set(by_region[use.region])) < 2:
            continue
        item_id = f"view:{use.image_id}"
        items.append(QuizItem(
            item_id, "view", use.slug, use.region, use.page_title, "Which C-arm view produced this image?", use.view,
            _choices(use.view, [], by_region[use.region], item_id), use.image_id, use.step,
        ))
    return items


def interleave(items: list[QuizItem], first_slug: str | None = None) -> list[QuizItem]:
    """Mix items so consecutive questions come from different images and pages; one page's first if asked."""
    groups: dict[tuple, list[QuizItem]] = {}
    for item in items:
        groups.setdefault((item.slug, item.image_id or item.kind), []).append(item)
    ordered_keys = sorted(groups, key=lambda k: (k[0] != first_slug, hashlib.sha1(repr(k).encode()).hexdigest()))
    out: list[QuizItem] = []
    while any(groups.values()):
        for key in ordered_keys:
            if groups[key]:
                out.append(groups[key].pop(0))
    if first_slug:  # the open page's items lead, still mixed among its images
        out.sort(key=lambda i: i.slug != first_slug)
    return out


def generate(repo) -> list[QuizItem]:
    """All quiz items of the content behind ``repo`` (an :class:`atlas.db.repository.ContentRepository`)."""
    uses = repo.image_uses()
    regions = {p.slug: (p.region, p.title) for p in repo.list_pages()}
    return (
        label_items(uses) + locate_items(uses) + fact_items(repo.facts(), regions) + epidurogram_items(uses) + view_items(uses)
    )
