"""Image definitions (``images/<id>.yaml``) and their rasters.

An image is stored (``raster: file.png`` with hand-placed annotations),
rendered by the phantom (``render:``, see docs/image-definitions.md) or
declared but not yet available (``pending: "why"``).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.content.problems import Problems
from atlas.content.render import Citations, ChunkProblem, render_chunk
from atlas.content.vocabulary import COLOUR_RE, NAME_RE, Vocabulary
from atlas.content.yaml_lines import LDict, LList, load_file
from atlas.model import Annotation, LayerStyle

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MODALITIES = {"fluoroscopy", "ct", "diagram", "photo"}
KINDS = {"point": 1, "arrow": 2, "polyline": 2, "polygon": 3}
IMAGE_KEYS = {"id", "title", "caption", "modality", "view", "raster", "render", "pending", "layers", "annotations", "prompt"}
PROMPT_KEYS = {"text", "check", "success"}
CHECK_KEYS = {"squared", "oblique", "craniocaudal", "position", "tolerance_px"}
ANNOTATION_KEYS = {"kind", "layer", "label", "description", "at", "from", "to", "points"}
MAX_PIXELS = 40_000_000
MAX_RASTER_BYTES = 50 * 1024 * 1024


@dataclass
class ImageSource:
    id: str
    path: Path
    title: str
    caption_html: str
    caption_text: str
    modality: str
    view: str
    raster: bytes = b""
    width: int = 0
    height: int = 0
    render_spec: dict | None = None
    pending_reason: str = ""
    layers: dict[str, LayerStyle] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    annotation_lines: list[int] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # filled by the renderer
    prompt: dict | None = None  # a teaching prompt for the virtual C-arm

    @property
    def available(self) -> bool:
        return bool(self.raster) or self.render_spec is not None


def read_png(data: bytes) -> tuple[int, int]:
    """Size of a complete, valid PNG; raises ValueError with a reason otherwise."""
    from PIL import Image, UnidentifiedImageError

    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG file")
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format != "PNG":
                raise ValueError("not a PNG file")
            if im.width * im.height > MAX_PIXELS:
                raise ValueError(f"too large ({im.width}x{im.height} pixels; at most {MAX_PIXELS})")
            im.load()
            return im.width, im.height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(f"corrupt or truncated PNG ({exc})") from None


def _point(value, line: int, where: str, problems: list[tuple[int, str]]) -> tuple[float, float] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and all(math.isfinite(v) for v in value)
    ):
        return float(value[0]), float(value[1])
    problems.append((line, f"{where} must be a point [x, y] of two numbers"))
    return None


def parse_annotations(items, layers: dict[str, LayerStyle]) -> tuple[list[Annotation], list[int], list[tuple[int, str]]]:
    """Annotations in pixel coordinates; bounds are checked once the raster size is known."""
    out, lines, problems = [], [], []
    if items is None:
        return out, lines, problems
    if not isinstance(items, LList):
        return out, lines, [(getattr(items, "line", 1), "annotations must be a list")]
    for index, item in enumerate(items):
        line = items.line_of(index)
        if not isinstance(item, LDict):
            problems.append((line, "an annotation must be a mapping with kind, layer and points"))
            continue
        for key in item:
            if key not in ANNOTATION_KEYS:
                problems.append((item.line_of(key), f"unknown annotation field {key!r}"))
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append((line, f"annotation kind {kind!r} must be one of {', '.join(KINDS)}"))
            continue
        layer = item.get("layer")
        if layer not in layers:
            problems.append((item.line_of("layer"), f"unknown layer {layer!r} (declare it under layers: or use {', '.join(layers)})"))
            continue
        label = item.get("label", "")
        if not isinstance(label, str) or (kind in ("point", "polygon") and not label.strip()):
            problems.append((line, f"a {kind} needs a text label"))
            continue
        if kind == "point":
            raw = [item.get("at")]
            names = ["at"]
        elif kind == "arrow":
            raw = [item.get("from"), item.get("to")]
            names = ["from", "to"]
        else:
            raw = item.get("points")
            if not isinstance(raw, list) or len(raw) < KINDS[kind]:
                problems.append((line, f"a {kind} needs at least {KINDS[kind]} points"))
                continue
            names = [f"points[{i}]" for i in range(len(raw))]
        before = len(problems)
        points = [_point(v, item.line_of(n if kind in ("point", "arrow") else "points"), n, problems) for v, n in zip(raw, names)]
        if len(problems) > before:
            continue
        out.append(Annotation(kind=kind, layer=layer, label=label.strip(), points=tuple(points), description=str(item.get("description", ""))))
        lines.append(line)
    return out, lines, problems


def out_of_bounds(annotation: Annotation, width: int, height: int) -> tuple[float, float] | None:
    for x, y in annotation.points:
        if not (0 <= x <= width and 0 <= y <= height):
            return x, y
    return None


def load_image(path: Path, vocab: Vocabulary, problems: Problems) -> ImageSource | None:
    before = len(problems.items)
    data = load_file(path, problems)
    if len(problems.items) > before:
        return None
    if not isinstance(data, LDict):
        problems.error(path, 1, "an image definition must be a mapping (id, title, caption, modality, …)")
        return None
    ok = True
    for key in data:
        if key not in IMAGE_KEYS:
            problems.error(path, data.line_of(key), f"unknown image field {key!r}")
            ok = False
    image_id = data.get("id")
    if image_id != path.stem or not isinstance(image_id, str) or not ID_RE.match(image_id):
        problems.error(path, data.line_of("id"), f"id {image_id!r} must equal the file name {path.stem!r} (lower-case, digits, '-')")
        ok = False
    for key in ("title", "caption"):
        if not isinstance(data.get(key), str) or not data.get(key, "").strip():
            problems.error(path, data.line_of(key), f"image needs a {key}")
            ok = False
    modality = data.get("modality")
    if modality not in MODALITIES:
        problems.error(path, data.line_of("modality"), f"modality {modality!r} must be one of {', '.join(sorted(MODALITIES))}")
        ok = False
    sources = [k for k in ("raster", "render", "pending") if k in data]
    if len(sources) != 1:
        problems.error(path, data.line, "an image needs exactly one of raster:, render: or pending:")
        ok = False

    layers = dict(vocab.layers)
    extra = data.get("layers") or []
    if not isinstance(extra, list):
        problems.error(path, data.line_of("layers"), "layers must be a list of {name, label, colour}")
        extra = []
    for index, entry in enumerate(extra):
        line = extra.line_of(index)
        if not isinstance(entry, LDict) or not NAME_RE.match(str(entry.get("name", ""))) or not COLOUR_RE.match(str(entry.get("colour", ""))):
            problems.error(path, line, "a layer needs a name (lower-case) and a colour like '#33ccff'")
            ok = False
            continue
        layers[entry["name"]] = LayerStyle(entry["name"], str(entry.get("label", entry["name"])), entry["colour"], len(layers))

    caption_problems: list[ChunkProblem] = []
    caption = str(data.get("caption") or "")
    if "[@" in caption:
        problems.error(path, data.line_of("caption"), "captions cannot cite; cite in the step text instead")
        ok = False
    rendered = render_chunk(caption, data.line_of("caption"), Citations(known=set()), caption_problems)
    for p in caption_problems:
        problems.error(path, p.line, p.message)
    image = ImageSource(
        id=str(image_id),
        path=path,
        title=str(data.get("title", "")),
        caption_html=rendered.html,
        caption_text=rendered.text,
        modality=str(modality),
        view=str(data.get("view", "")),
        layers=layers,
    )

    annotations, lines, annotation_problems = parse_annotations(data.get("annotations"), layers)
    for line, message in annotation_problems:
        problems.error(path, line, message)
        ok = False
    image.annotations, image.annotation_lines = annotations, lines

    if "prompt" in data:
        image.prompt = _prompt(data["prompt"], path, data.line_of("prompt"), "render" in data, problems)
        ok = ok and image.prompt is not None

    if "raster" in data:
        raster = path.parent / str(data["raster"])
        line = data.line_of("raster")
        if not raster.resolve().is_relative_to(path.parent.resolve()) or raster.suffix.lower() != ".png":
            problems.error(path, line, f"raster {data['raster']!r} must be a .png file in the images folder")
            return None
        if not raster.is_file():
            problems.error(path, line, f"missing image file {raster.name}")
            return None
        if raster.stat().st_size > MAX_RASTER_BYTES:
            problems.error(path, line, f"{raster.name} is larger than {MAX_RASTER_BYTES // (1024 * 1024)} MB")
            return None
        blob = raster.read_bytes()
        try:
            image.width, image.height = read_png(blob)
        except ValueError as exc:
            problems.error(path, line, f"{raster.name}: {exc}")
            return None
        image.raster = blob
        for annotation, aline in zip(annotations, lines):
            bad = out_of_bounds(annotation, image.width, image.height)
            if bad:
                problems.error(
                    path, aline,
                    f"annotation {annotation.label or annotation.kind!r} at ({bad[0]:g}, {bad[1]:g}) lies outside the "
                    f"{image.width}x{image.height} image",
                )
                ok = False
    elif "render" in data:
        spec = data["render"]
        if not isinstance(spec, dict):
            problems.error(path, data.line_of("render"), "render: must be a mapping (see docs/image-definitions.md)")
            return None
        try:
            from atlas.phantom import validate_render_spec
        except ImportError:
            problems.error(path, data.line_of("render"), "this build has no phantom renderer; cannot render the image")
            return None
        for where, message in validate_render_spec(_plain(spec)):
            line = _line_of_path(spec, where) or data.line_of("render")
            problems.error(path, line, f"{where}: {message}")
            ok = False
        image.render_spec = _plain(spec)
    elif "pending" in data:
        image.pending_reason = str(data["pending"] or "not yet rendered")
        problems.warning(path, data.line_of("pending"), f"image {image_id!r} is not yet available ({image.pending_reason})")
    return image if ok else None


def _prompt(raw, path: Path, line: int, rendered: bool, problems: Problems) -> dict | None:
    """A teaching prompt: what to do with the virtual C-arm, and how the geometry says it is done."""
    if not rendered:
        problems.error(path, line, "a prompt needs a rendered image (render:), whose view the user can change")
        return None
    if not isinstance(raw, LDict) or not isinstance(raw.get("text"), str) or not isinstance(raw.get("check"), LDict):
        problems.error(path, line, "prompt needs text: and check: (squared, oblique, craniocaudal, position)")
        return None
    bad = [k for k in raw if k not in PROMPT_KEYS] + [k for k in raw["check"] if k not in CHECK_KEYS]
    for key in bad:
        problems.error(path, line, f"unknown prompt field {key!r}")
    check = raw["check"]
    if "squared" in check and not re.fullmatch(r"(C[2-7]|T\d{1,2}|L[1-5])\.(superior|inferior)", str(check["squared"])):
        problems.error(path, check.line_of("squared"), "squared: names a vertebral endplate C2 to L5, e.g. L4.inferior")
        bad.append("squared")
    for key in ("oblique", "craniocaudal"):
        value = check.get(key)
        if value is not None and not (
            isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value) and value[0] <= value[1]
        ):
            problems.error(path, check.line_of(key), f"{key}: must be a range [low, high] in degrees")
            bad.append(key)
    return None if bad else _plain(raw)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _line_of_path(spec, where: str) -> int | None:
    """Line of ``render.needle.target``-style paths inside a line-tracking mapping."""
    node, line = spec, None
    for part in where.split(".")[1:] if where.startswith("render") else where.split("."):
        m = re.fullmatch(r"(\w[\w-]*)(?:\[(\d+)\])?", part)
        if not m or not isinstance(node, LDict) or m.group(1) not in node:
            break
        line = node.line_of(m.group(1))
        node = node[m.group(1)]
        if m.group(2) is not None and isinstance(node, LList) and int(m.group(2)) < len(node):
            line = node.line_of(int(m.group(2)))
            node = node[int(m.group(2))]
    return line
