"""The controlled vocabulary (``content/vocabulary.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.content.problems import Problems
from atlas.content.yaml_lines import LDict, LList, load_file
from atlas.levels import REGION_VERTEBRAE, SEGMENTS, LevelError, expand_level_entry, vertebrae_of
from atlas.model import Approach, LayerStyle

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass
class Vocabulary:
    regions: dict[str, str] = field(default_factory=dict)
    approaches: dict[str, Approach] = field(default_factory=dict)
    guidance: dict[str, str] = field(default_factory=dict)
    layers: dict[str, LayerStyle] = field(default_factory=dict)
    procedure_sections: list[str] = field(default_factory=list)
    bleeding_risk: dict[str, str] = field(default_factory=dict)

    def approach_and_descendants(self, name: str) -> set[str]:
        out = {name}
        changed = True
        while changed:
            changed = False
            for a in self.approaches.values():
                if a.parent in out and a.name not in out:
                    out.add(a.name)
                    changed = True
        return out


def section_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _mapping(data, key: str, path: Path, problems: Problems) -> LDict:
    value = data.get(key) if isinstance(data, LDict) else None
    if not isinstance(value, LDict):
        problems.error(path, data.line_of(key) if isinstance(data, LDict) else 1, f"vocabulary needs a mapping {key!r}")
        return LDict()
    return value


def _reach(entry: LDict, path: Path, problems: Problems) -> tuple[str, ...]:
    """An approach's optional ``levels`` (e.g. ``[C1-C3]``), expanded with the segments between them."""
    raw = entry.get("levels")
    if raw is None:
        return ()
    line = entry.line_of("levels")
    names: set[str] = set()
    for item in raw if isinstance(raw, list) else [raw]:
        try:
            names.update(expand_level_entry(str(item)))
        except LevelError as exc:
            problems.error(path, line, f"levels: {exc}")
    if not names:
        problems.error(path, line, "levels: name at least one level the approach reaches, e.g. C1-C3")
        return ()
    for level in list(names):
        if "-" in level:
            names.update(vertebrae_of(level))
    names.update(s for s in SEGMENTS if set(vertebrae_of(s)) <= names)
    return tuple(sorted(names))


def load_vocabulary(path: Path, problems: Problems) -> Vocabulary:
    vocab = Vocabulary()
    before = len(problems.items)
    data = load_file(path, problems)
    if len(problems.items) > before:
        return vocab
    if not isinstance(data, LDict):
        problems.error(path, 1, "the vocabulary must be a mapping")
        return vocab

    regions = _mapping(data, "regions", path, problems)
    vocab.regions = {str(k): str(v) for k, v in regions.items()}

    levels = _mapping(data, "levels", path, problems)
    for region, names in levels.items():
        expected = list(REGION_VERTEBRAE.get(region, ()))
        if region not in vocab.regions:
            problems.error(path, levels.line_of(region), f"levels: unknown region {region!r}")
        elif list(names or []) != expected:
            problems.error(path, levels.line_of(region), f"levels: {region} must list {', '.join(expected)} in order")

    approaches = _mapping(data, "approaches", path, problems)
    for order, (name, entry) in enumerate(approaches.items()):
        line = approaches.line_of(name)
        if not isinstance(name, str) or not NAME_RE.match(name):
            problems.error(path, line, f"approach name {name!r} must be lower-case words joined by '-'")
            continue
        if not isinstance(entry, LDict) or not entry.get("definition"):
            problems.error(path, line, f"approach {name!r} needs a one-line definition")
            continue
        parent = entry.get("parent")
        if parent is not None and parent not in approaches:
            problems.error(path, entry.line_of("parent"), f"approach {name!r}: unknown parent {parent!r}")
            parent = None
        reach = _reach(entry, path, problems)
        vocab.approaches[name] = Approach(name=name, definition=str(entry["definition"]), parent=parent, levels=reach)
    for name in vocab.approaches:  # a parent chain must end
        seen, current = set(), name
        while current is not None and current in vocab.approaches:
            if current in seen:
                problems.error(path, approaches.line_of(name), f"approach {name!r}: parents form a cycle")
                break
            seen.add(current)
            current = vocab.approaches[current].parent

    guidance = _mapping(data, "guidance", path, problems)
    vocab.guidance = {str(k): str(v) for k, v in guidance.items()}

    layers = _mapping(data, "layers", path, problems)
    for z, (name, entry) in enumerate(layers.items()):
        line = layers.line_of(name)
        if not isinstance(entry, LDict) or not COLOUR_RE.match(str(entry.get("colour", ""))):
            problems.error(path, line, f"layer {name!r} needs a label and a colour like '#ff5a5f'")
            continue
        vocab.layers[name] = LayerStyle(name=name, label=str(entry.get("label", name)), colour=str(entry["colour"]), z=z)

    risk = data.get("bleeding_risk")
    if isinstance(risk, LDict):
        vocab.bleeding_risk = {str(k): str(v) for k, v in risk.items()}

    sections = data.get("procedure_sections")
    if not isinstance(sections, LList) or not sections:
        problems.error(path, data.line_of("procedure_sections"), "vocabulary needs a list 'procedure_sections'")
    else:
        vocab.procedure_sections = [str(s) for s in sections]
    return vocab
