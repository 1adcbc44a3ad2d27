"""Build the read-only content database from ``content/`` and ``images/``.

The build is atomic: it writes a temporary file beside the target and renames
it into place only when everything succeeded, so a failed build never leaves a
partial database behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from atlas.content.images import ImageSource, out_of_bounds
from atlas.content.loader import Content, load_content
from atlas.db.integrity import file_sha256, manifest_path
from atlas.db.schema import APPLICATION_ID, INDEXES, SCHEMA_VERSION, SEARCH_COLUMNS, TABLES
from atlas.levels import VERTEBRAE, SEGMENTS, order_of, region_of
from atlas.model import Annotation
from atlas.png_codec import encode_png

Progress = Callable[[str, int, int], None]


class BuildError(Exception):
    """The content has errors; ``problems`` lists them as ``file:line: message``."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} content error(s)")
        self.problems = problems


def level_aliases(level: str) -> str:
    """Ways people type a level, for the search index: L4-L5 → 'L4-L5 L45 L4L5 L4-5'."""
    if "-" not in level:
        return level
    upper, lower = level.split("-")
    forms = [level, f"{upper}{lower}"]
    if upper[0] == lower[0] and lower != "coccyx":
        forms += [f"{upper}{lower[1:]}", f"{upper}-{lower[1:]}"]
    return " ".join(forms)


def render_images(
    content: Content, cache_dir: Path | None, progress: Progress | None, quality: str = "full", size: int = 512
) -> None:
    """Render every ``render:`` image with the phantom, resolving its annotations to pixels.

    ``quality="test"`` uses the phantom's low-resolution volumes (test fixtures only).
    """
    todo = [image for image in content.images.values() if image.render_spec is not None]
    if not todo:
        return
    from atlas.phantom import Phantom
    from atlas.phantom.render import render_with

    phantoms: dict[tuple, Phantom] = {}
    for index, image in enumerate(todo, 1):
        if progress:
            progress(f"rendering {image.id}", index, len(todo))
        try:
            region, mouth = image.render_spec["region"], image.render_spec.get("mouth")
            if (region, mouth) not in phantoms:
                phantoms[region, mouth] = Phantom.load(region, cache_dir, quality=quality, mouth=mouth)
            result = render_with(image.render_spec, phantoms[region, mouth], size)
        except Exception as exc:  # a renderer failure is a content error for this image
            content.problems.error(image.path, 1, f"could not render image: {exc}")
            continue
        height, width = result.pixels.shape[:2]
        image.raster = encode_png(result.pixels)
        image.meta = dict(result.meta or {})
        image.width, image.height = width, height
        if result.view_text:
            image.view = result.view_text
        rendered = []
        for item in result.annotations:
            if not item.get("points"):
                content.problems.warning(image.path, 1, f"{item.get('label') or item['kind']!r} is not in this image: {item.get('description', '')}".strip())
                continue
            layer = item.get("layer", "anatomy")
            if layer not in image.layers:
                content.problems.error(image.path, 1, f"rendered annotation {item.get('label')!r} uses unknown layer {layer!r}")
                continue
            rendered.append(
                Annotation(
                    kind=item["kind"], layer=layer, label=str(item.get("label", "")),
                    points=tuple((float(x), float(y)) for x, y in item["points"]),
                    description=str(item.get("description", "")),
                )
            )
        for annotation, line in zip(image.annotations, image.annotation_lines):
            bad = out_of_bounds(annotation, width, height)
            if bad:
                content.problems.error(image.path, line, f"annotation {annotation.label!r} lies outside the {width}x{height} image")
        image.annotations = rendered + image.annotations


def _rows_for_image(image: ImageSource) -> tuple[dict, list[dict], list[dict]]:
    row = {
        "id": image.id, "title": image.title, "caption_html": image.caption_html, "caption_text": image.caption_text,
        "modality": image.modality, "view": image.view, "width": image.width, "height": image.height,
        "png": image.raster, "available": int(image.available), "pending_reason": image.pending_reason,
        "meta": json.dumps(image.meta, sort_keys=True, default=str),
        "render_spec": json.dumps(image.render_spec, sort_keys=True) if image.render_spec else "",
        "prompt": json.dumps(image.prompt, sort_keys=True) if image.prompt else "",
    }
    used = {a.layer for a in image.annotations}
    layers = [
        {"image_id": image.id, "name": s.name, "label": s.label, "colour": s.colour, "z": s.z}
        for s in sorted(image.layers.values(), key=lambda s: s.z)
        if s.name in used
    ]
    annotations = [
        {
            "image_id": image.id, "ord": i, "kind": a.kind, "layer": a.layer, "label": a.label,
            "points": json.dumps([list(p) for p in a.points]), "description": a.description,
        }
        for i, a in enumerate(image.annotations)
    ]
    return row, layers, annotations


def write_database(content: Content, path: Path, progress: Progress | None = None) -> None:
    conn = sqlite3.connect(path)
    db = sqlite_utils.Database(conn)
    for name, (columns, pk) in TABLES.items():
        db[name].create(columns, pk=pk, not_null=set(columns) - {"parent", "doi", "url", "step", "png"})
    for table, cols in INDEXES:
        db[table].create_index(cols)

    vocab = content.vocabulary
    db["levels"].insert_all(
        {"name": lv, "region": region_of(lv), "ord": order_of(lv), "is_segment": int("-" in lv)}
        for lv in list(VERTEBRAE) + list(SEGMENTS)
    )
    db["approaches"].insert_all(
        {"name": a.name, "parent": a.parent, "definition": a.definition, "levels": json.dumps(list(a.levels)), "ord": i}
        for i, a in enumerate(vocab.approaches.values())
    )
    db["guidance"].insert_all({"name": k, "label": v} for k, v in vocab.guidance.items())
    db["bleeding_risk"].insert_all({"name": k, "definition": v} for k, v in vocab.bleeding_risk.items())
    db["layers"].insert_all({"name": s.name, "label": s.label, "colour": s.colour, "z": s.z} for s in vocab.layers.values())
    db["bibliography"].insert_all({"key": r.key, "citation": r.citation, "doi": r.doi, "url": r.url} for r in content.references.values())

    db["charts"].insert_all(
        {
            "id": c.chart.id, "title": c.chart.title, "unit": c.chart.unit, "source": c.chart.source,
            "groups": json.dumps([{"name": g.name, "bars": [[b.label, b.low, b.high] for b in g.bars]} for g in c.chart.groups]),
        }
        for c in content.charts.values()
    )
    images = content.images
    for index, image in enumerate(images.values(), 1):
        row, layers, annotations = _rows_for_image(image)
        db["images"].insert(row)
        db["image_layers"].insert_all(layers)
        db["annotations"].insert_all(annotations)
        if progress:
            progress("storing images", index, len(images))

    region_order = list(vocab.regions)
    ordered = sorted(
        content.pages.values(),
        key=lambda p: (p.kind != "procedure", region_order.index(p.region) if p.region in region_order else 99, p.title.lower()),
    )
    search_id = 0
    for order, page in enumerate(ordered):
        db["pages"].insert({
            "slug": page.slug, "title": page.title, "kind": page.kind, "region": page.region, "summary": page.summary,
            "authors": json.dumps(page.authors), "version": page.version, "reviewed": page.reviewed,
            "review_status": page.review_status, "synonyms": json.dumps(page.synonyms),
            "guidance": json.dumps(page.guidance), "levels": json.dumps(page.levels),
            "approaches": json.dumps(page.approaches), "ord": order, "bleeding_risk": page.bleeding_risk,
        })
        db["page_levels"].insert_all({"slug": page.slug, "level": lv} for lv in page.levels)
        db["page_approaches"].insert_all({"slug": page.slug, "approach": a} for a in page.approaches)
        db["sections"].insert_all(
            {"slug": page.slug, "ord": i, "key": s.key, "title": s.title, "html": s.html, "text": s.text}
            for i, s in enumerate(page.sections)
        )
        db["steps"].insert_all(
            {"slug": page.slug, "number": s.number, "title": s.title, "html": s.html, "text": s.text, "layers": json.dumps(s.layers)}
            for s in page.steps
        )
        db["step_images"].insert_all(
            {"slug": page.slug, "step": s.number, "ord": i, "image_id": image_id}
            for s in page.steps
            for i, image_id in enumerate(s.image_ids)
        )
        db["page_references"].insert_all({"slug": page.slug, "number": i + 1, "ref_key": k} for i, k in enumerate(page.references))
        db["safety"].insert_all({"slug": page.slug, "ord": i, "section": sec, "text": t} for i, (sec, t) in enumerate(page.safety))
        db["page_charts"].insert_all({"slug": page.slug, "chart_id": c} for c in dict.fromkeys(cid for cid, _ in page.charts))
        db["facts"].insert_all(
            {"slug": page.slug, "ord": i, "section": sec, "text": t, "cloze": c} for i, (sec, t, c) in enumerate(page.facts)
        )

        synonyms = " ".join(
            page.synonyms + [level_aliases(lv) for lv in page.levels] + page.approaches + page.guidance + [page.region]
        )
        search_id += 1
        db["search_docs"].insert({
            "id": search_id, "slug": page.slug, "step": None, "title": page.title,
            "body": "\n".join([page.summary] + [f"{s.title}\n{s.text}" for s in page.sections]), "synonyms": synonyms,
        })
        for step in page.steps:
            captions, labels = [], []
            for image_id in step.image_ids:
                image = images.get(image_id)
                if image:
                    captions += [image.title, image.caption_text]
                    labels += [a.label for a in image.annotations if a.label]
            search_id += 1
            # image labels are searchable but kept out of the body, so snippets quote sentences, not label lists
            db["search_docs"].insert({
                "id": search_id, "slug": page.slug, "step": step.number, "title": step.title,
                "body": "\n".join([step.text] + captions), "synonyms": " ".join(page.synonyms + list(dict.fromkeys(labels))),
            })
        if progress:
            progress("writing pages", order + 1, len(ordered))

    # FTS5 with prefix indexes (search as you type); sqlite-utils' enable_fts has no prefix option.
    conn.execute(
        f"CREATE VIRTUAL TABLE search_docs_fts USING fts5({', '.join(SEARCH_COLUMNS)}, content='search_docs', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')"
    )
    conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES ('optimize')")

    built_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    db["meta"].insert_all([
        {"key": "content_version", "value": content.version},
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "built_at", "value": built_at},
    ])
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


def build(
    content_dir: Path,
    images_dir: Path,
    out: Path,
    *,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    render_quality: str = "full",
    render_size: int = 512,
) -> Content:
    """Validate, render and write the database atomically. Raises :class:`BuildError`."""
    if progress:
        progress("reading content", 0, 1)
    content = load_content(content_dir, images_dir)
    if not content.ok:
        raise BuildError(content.problems.sorted())
    render_images(content, cache_dir, progress, render_quality, render_size)
    if not content.ok:
        raise BuildError(content.problems.sorted())
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        write_database(content, tmp, progress)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    manifest = {
        "database": out.name,
        "sha256": file_sha256(out),
        "size": out.stat().st_size,
        "schema_version": SCHEMA_VERSION,
        "content_version": content.version,
        "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
    }
    target = manifest_path(out)
    manifest_tmp = target.with_name(target.name + ".tmp")
    manifest_tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(manifest_tmp, target)
    return content
