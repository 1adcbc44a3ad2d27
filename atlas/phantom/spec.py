"""The ``render:`` mapping of an image definition: validation and defaults.

The schema is documented in docs/image-definitions.md.  ``validate_render_spec``
returns every problem at once as ``(key path, message)``; ``normalise`` fills
defaults for a valid spec.
"""

from __future__ import annotations

import difflib
from typing import Any

from . import landmarks as LM
from .carm import POSITIONS
from .contrast import PATTERNS
from .ct import PLANES, WINDOWS
from .lesions import BREACHES, FRACTURE_SHAPES, SACRAL_SHAPES
from .lesions import KINDS as LESION_KINDS
from .lesions import SIZES as LESION_SIZES
from .needle import GAUGE_OD_MM
from .regions import REGION_NAMES

GAUGES = tuple(sorted(GAUGE_OD_MM))

TOP_KEYS = {
    "modality", "region", "position", "oblique", "craniocaudal", "center", "level", "field_mm", "polarity",
    "collimation", "metering", "mouth", "needle", "needles", "contrast", "labels", "arrows", "zones", "curves", "plane", "at", "window",
    "seed", "lesions",
}
FLUORO_ONLY = {"oblique", "craniocaudal", "polarity", "collimation", "metering"}
CT_ONLY = {"plane", "at", "window"}
NEEDLE_KEYS = {"entry", "target", "depth", "gauge", "label", "layer", "description", "length"}
CONTRAST_KEYS = {"pattern", "at", "side", "amount", "label", "layer", "description"}
LESION_KEYS = {"kind", "at", "size", "breach", "side", "height_loss", "shape", "label", "layer", "description"}
LABEL_KEYS = {"landmark", "label", "layer", "description"}
ARROW_KEYS = {"to", "from", "label", "layer", "description"}
ZONE_KEYS = {"structure", "label", "layer", "description", "slab_mm", "within_mm", "displace_mm"}
DISPLACE_LIMIT_MM = 50.0
CURVE_KEYS = {"curve", "label", "layer", "description"}
LAYER_DEFAULT = {"labels": "anatomy", "arrows": "anatomy", "zones": "danger", "curves": "anatomy", "needle": "trajectory", "contrast": "contrast",
                 "lesions": "target"}


def _landmark_problem(path: str, name: Any) -> tuple[str, str] | None:
    if not isinstance(name, str):
        return (path, f"landmark must be a name, got {type(name).__name__}")
    pts = LM.landmarks()
    if name in pts or f"{name}.body-centre" in pts:
        return None
    close = difflib.get_close_matches(name, list(pts), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return (path, f"unknown landmark {name!r}{hint}")


def _number(spec: dict, key: str, lo: float, hi: float, problems: list, path: str) -> None:
    if key not in spec:
        return
    v = spec[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        problems.append((f"{path}.{key}", f"must be a number, got {v!r}"))
    elif not lo <= float(v) <= hi:
        problems.append((f"{path}.{key}", f"{v} is outside {lo:g}..{hi:g}"))


def _check_keys(item: Any, allowed: set, path: str, problems: list) -> bool:
    if not isinstance(item, dict):
        problems.append((path, f"must be a mapping, got {type(item).__name__}"))
        return False
    for k in item:
        if k not in allowed:
            close = difflib.get_close_matches(str(k), sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append((f"{path}.{k}", f"unknown key{hint}"))
    return True


def _list(spec: dict, key: str, path: str, problems: list) -> list:
    v = spec.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list):
        problems.append((f"{path}.{key}", "must be a list"))
        return []
    return v


def validate_render_spec(spec: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    path = "render"
    if not _check_keys(spec, TOP_KEYS, path, problems):
        return problems
    modality = spec.get("modality")
    if modality not in ("fluoroscopy", "ct"):
        problems.append((f"{path}.modality", f"must be 'fluoroscopy' or 'ct', got {modality!r}"))
    region = spec.get("region")
    if region not in REGION_NAMES:
        problems.append((f"{path}.region", f"must be one of {', '.join(REGION_NAMES)}, got {region!r}"))
    if spec.get("position", "prone") not in POSITIONS:
        problems.append((f"{path}.position", f"must be one of {', '.join(POSITIONS)}"))
    _number(spec, "oblique", -90, 90, problems, path)
    _number(spec, "craniocaudal", -45, 45, problems, path)
    _number(spec, "field_mm", 30, 420, problems, path)
    _number(spec, "seed", 0, 2**31, problems, path)
    if spec.get("polarity", "bone-white") not in ("bone-white", "native"):
        problems.append((f"{path}.polarity", "must be 'bone-white' or 'native'"))
    if spec.get("collimation", "circle") not in ("circle", "rectangle", "none"):
        problems.append((f"{path}.collimation", "must be 'circle', 'rectangle' or 'none'"))
    if spec.get("metering", "field") not in ("field", "centre"):
        problems.append((f"{path}.metering", "must be 'field' or 'centre'"))
    if "mouth" in spec:
        if spec["mouth"] not in ("closed", "open"):
            problems.append((f"{path}.mouth", "must be 'closed' or 'open'"))
        elif region != "cervical":
            problems.append((f"{path}.mouth", "only the cervical region shows the face"))
    if modality == "ct":
        for k in FLUORO_ONLY & set(spec):
            problems.append((f"{path}.{k}", "only for fluoroscopy"))
        if spec.get("plane", "axial") not in PLANES:
            problems.append((f"{path}.plane", f"must be one of {', '.join(PLANES)}"))
        if "at" not in spec:
            problems.append((f"{path}.at", "a CT slice needs 'at': the landmark it passes through"))
        w = spec.get("window", "soft-tissue")
        if isinstance(w, dict):
            if _check_keys(w, {"width", "level"}, f"{path}.window", problems):
                _number(w, "width", 1, 5000, problems, f"{path}.window")
                _number(w, "level", -1100, 3000, problems, f"{path}.window")
                if "width" not in w or "level" not in w:
                    problems.append((f"{path}.window", "needs width and level"))
        elif w not in WINDOWS:
            problems.append((f"{path}.window", f"must be one of {', '.join(WINDOWS)} or {{width, level}}"))
        if spec.get("plane") == "oblique-needle" and not (spec.get("needle") or spec.get("needles")):
            problems.append((f"{path}.plane", "oblique-needle needs a needle"))
    elif modality == "fluoroscopy":
        for k in CT_ONLY & set(spec):
            problems.append((f"{path}.{k}", "only for CT"))
    for key in ("center", "at"):
        if key in spec:
            p = _landmark_problem(f"{path}.{key}", spec[key])
            if p:
                problems.append(p)
    if "level" in spec:
        lvl = spec["level"]
        if not isinstance(lvl, str) or f"{lvl}.body-centre" not in LM.landmarks():
            problems.append((f"{path}.level", f"unknown level {lvl!r}"))
        if "center" in spec:
            problems.append((f"{path}.level", "give either center or level, not both"))
    needles = []
    if "needle" in spec:
        needles.append((f"{path}.needle", spec["needle"]))
    if "needles" in spec:
        for i, n in enumerate(_list(spec, "needles", path, problems)):
            needles.append((f"{path}.needles[{i}]", n))
    for npath, n in needles:
        if not _check_keys(n, NEEDLE_KEYS, npath, problems):
            continue
        if "target" not in n:
            problems.append((f"{npath}.target", "required"))
        else:
            p = _landmark_problem(f"{npath}.target", n["target"])
            if p:
                problems.append(p)
        entry = n.get("entry", "skin")
        if isinstance(entry, dict):
            if _check_keys(entry, {"skin"}, f"{npath}.entry", problems):
                sk = entry.get("skin")
                if _check_keys(sk, {"position", "oblique", "craniocaudal"}, f"{npath}.entry.skin", problems):
                    _number(sk, "oblique", -90, 90, problems, f"{npath}.entry.skin")
                    _number(sk, "craniocaudal", -60, 60, problems, f"{npath}.entry.skin")
                    if sk.get("position", "prone") not in POSITIONS:
                        problems.append((f"{npath}.entry.skin.position", "unknown position"))
        elif entry != "skin":
            p = _landmark_problem(f"{npath}.entry", entry)
            if p:
                problems.append(p)
        _number(n, "depth", 0.0, 1.3, problems, npath)
        if "gauge" in n and n["gauge"] not in GAUGES:
            problems.append((f"{npath}.gauge", f"must be one of {', '.join(str(g) for g in GAUGES)}"))
        _number(n, "length", 20, 250, problems, npath)
    contrasts = spec.get("contrast")
    if contrasts is not None:
        items = contrasts if isinstance(contrasts, list) else [contrasts]
        for i, c in enumerate(items):
            cpath = f"{path}.contrast" + (f"[{i}]" if isinstance(contrasts, list) else "")
            if not _check_keys(c, CONTRAST_KEYS, cpath, problems):
                continue
            if c.get("pattern") not in PATTERNS:
                problems.append((f"{cpath}.pattern", f"must be one of {', '.join(PATTERNS)}"))
            if "at" not in c:
                problems.append((f"{cpath}.at", "required"))
            else:
                p = _landmark_problem(f"{cpath}.at", c["at"])
                if p:
                    problems.append(p)
            if c.get("side", "R") not in ("L", "R"):
                problems.append((f"{cpath}.side", "must be L or R"))
            if c.get("amount", "medium") not in ("small", "medium", "large"):
                problems.append((f"{cpath}.amount", "must be small, medium or large"))
    lesions = _list(spec, "lesions", path, problems)
    for i, les in enumerate(lesions):
        lpath = f"{path}.lesions[{i}]"
        if not _check_keys(les, LESION_KEYS, lpath, problems):
            continue
        kind = les.get("kind")
        if kind not in LESION_KINDS:
            problems.append((f"{lpath}.kind", f"must be one of {', '.join(LESION_KINDS)}"))
        if "at" not in les:
            problems.append((f"{lpath}.at", "required"))
        else:
            p = _landmark_problem(f"{lpath}.at", les["at"])
            if p:
                problems.append(p)
        size = les.get("size", "medium")
        if isinstance(size, str):
            if size not in LESION_SIZES:
                problems.append((f"{lpath}.size", f"must be {', '.join(LESION_SIZES)} or a diameter in mm"))
        else:
            _number(les, "size", 4, 60, problems, lpath)
        if les.get("breach", "none") not in BREACHES:
            problems.append((f"{lpath}.breach", f"must be one of {', '.join(BREACHES)}"))
        if les.get("side", "R") not in ("L", "R"):
            problems.append((f"{lpath}.side", "must be L or R"))
        _number(les, "height_loss", 0.05, 0.8, problems, lpath)
        shapes = SACRAL_SHAPES if kind == "insufficiency-fracture" else FRACTURE_SHAPES
        if "shape" in les and les["shape"] not in shapes:
            problems.append((f"{lpath}.shape", f"must be one of {', '.join(shapes)}"))
    for i, item in enumerate(_list(spec, "labels", path, problems)):
        ipath = f"{path}.labels[{i}]"
        if _check_keys(item, LABEL_KEYS, ipath, problems):
            if "landmark" not in item:
                problems.append((f"{ipath}.landmark", "required"))
            else:
                p = _landmark_problem(f"{ipath}.landmark", item["landmark"])
                if p:
                    problems.append(p)
    for i, item in enumerate(_list(spec, "arrows", path, problems)):
        ipath = f"{path}.arrows[{i}]"
        if _check_keys(item, ARROW_KEYS, ipath, problems):
            if "to" not in item:
                problems.append((f"{ipath}.to", "required"))
            for k in ("to", "from"):
                if k in item:
                    p = _landmark_problem(f"{ipath}.{k}", item[k])
                    if p:
                        problems.append(p)
    from .anatomy import zones

    zone_names = zones()
    for i, item in enumerate(_list(spec, "zones", path, problems)):
        ipath = f"{path}.zones[{i}]"
        if _check_keys(item, ZONE_KEYS, ipath, problems):
            s = item.get("structure")
            if isinstance(s, str) and _lesion_index(s) is not None:
                if not 1 <= _lesion_index(s) <= len(lesions):
                    problems.append((f"{ipath}.structure", f"{s!r} names a lesion this image does not have"))
            elif s not in zone_names:
                close = difflib.get_close_matches(str(s), list(zone_names), n=3, cutoff=0.6)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                problems.append((f"{ipath}.structure", f"unknown structure {s!r}{hint}"))
            if "slab_mm" in item:
                slab = item["slab_mm"]
                if isinstance(slab, bool) or not isinstance(slab, (int, float)) or not 1 <= slab <= 100:
                    problems.append((f"{ipath}.slab_mm", "must be a thickness in mm from 1 to 100"))
                elif spec.get("modality") != "fluoroscopy" or not (spec.get("needle") or spec.get("needles")):
                    problems.append((f"{ipath}.slab_mm", "needs a fluoroscopy image with a needle (the slab is centred on its tip)"))
            if "within_mm" in item:
                before = len(problems)
                _number(item, "within_mm", 2, 100, problems, ipath)
                if len(problems) == before and not (spec.get("needle") or spec.get("needles")):
                    problems.append((f"{ipath}.within_mm", "needs a needle (the distance is measured from its tip)"))
            if "displace_mm" in item:
                problem = _displacement_problem(item["displace_mm"])
                if problem:
                    problems.append((f"{ipath}.displace_mm", problem))
    curve_names = LM.curves()
    for i, item in enumerate(_list(spec, "curves", path, problems)):
        ipath = f"{path}.curves[{i}]"
        if _check_keys(item, CURVE_KEYS, ipath, problems):
            if item.get("curve") not in curve_names:
                problems.append((f"{ipath}.curve", f"unknown curve {item.get('curve')!r}"))
    for group in ("labels", "arrows", "zones", "curves"):
        for i, item in enumerate(spec.get(group) or []):
            if isinstance(item, dict) and "label" in item and not isinstance(item["label"], str):
                problems.append((f"{path}.{group}[{i}].label", "must be text"))
    return problems


def _displacement_problem(value: Any) -> str | None:
    """``displace_mm`` must be three numbers (patient axes x left, y back, z head), each within the limit."""
    if not isinstance(value, list) or len(value) != 3:
        return "must be a list of three numbers [x, y, z] in mm (x to the patient's left, y to the back, z to the head)"
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
        return "must be three numbers"
    if any(abs(float(v)) > DISPLACE_LIMIT_MM for v in value):
        return f"each component must lie within -{DISPLACE_LIMIT_MM:g}..{DISPLACE_LIMIT_MM:g} mm"
    return None


def _lesion_index(name: str) -> int | None:
    """``lesion`` -> 1, ``lesion.2`` -> 2, anything else -> None."""
    if name == "lesion":
        return 1
    if name.startswith("lesion.") and name[7:].isdigit():
        return int(name[7:])
    return None


def normalise(spec: dict) -> dict:
    s = dict(spec)
    s.setdefault("position", "prone")
    s.setdefault("polarity", "bone-white")
    s.setdefault("collimation", "circle")
    s.setdefault("metering", "field")
    if s.get("region") == "cervical":
        s.setdefault("mouth", "closed")
    s.setdefault("seed", 1729)
    if s["modality"] == "fluoroscopy":
        s.setdefault("oblique", 0.0)
        s.setdefault("craniocaudal", 0.0)
        s.setdefault("field_mm", 180.0)
    else:
        s.setdefault("plane", "axial")
        s.setdefault("window", "soft-tissue")
        s.setdefault("field_mm", 360.0)
    needles = []
    if "needle" in s:
        needles.append(s["needle"])
    needles += list(s.get("needles") or [])
    s["_needles"] = needles
    c = s.get("contrast")
    s["_contrast"] = [] if c is None else (c if isinstance(c, list) else [c])
    s["_lesions"] = list(s.get("lesions") or [])
    return s
