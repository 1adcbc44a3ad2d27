"""Spinal levels: vertebrae, segments, ranges and what a navigator query matches.

A *vertebra* is ``C1`` … ``C7``, ``T1`` … ``T12``, ``L1`` … ``L5``, ``S1`` …
``S5`` or ``coccyx``. A *segment* is two adjacent vertebrae, ``L4-L5``. Users
type levels loosely (``l45``, ``C7T1``, ``L4-5``, ``c5.6``); :func:`parse_level`
turns any of those into the canonical name.
"""

from __future__ import annotations

import re

REGION_VERTEBRAE: dict[str, tuple[str, ...]] = {
    "cervical": tuple(f"C{i}" for i in range(1, 8)),
    "thoracic": tuple(f"T{i}" for i in range(1, 13)),
    "lumbar": tuple(f"L{i}" for i in range(1, 6)),
    "sacropelvic": tuple(f"S{i}" for i in range(1, 6)) + ("coccyx",),
}
VERTEBRAE: tuple[str, ...] = tuple(v for vs in REGION_VERTEBRAE.values() for v in vs)
_INDEX = {v: i for i, v in enumerate(VERTEBRAE)}
_REGION_OF = {v: region for region, vs in REGION_VERTEBRAE.items() for v in vs}

# Words a user may type instead of a level, mapped to a region.
REGION_WORDS = {
    "cervical": "cervical",
    "neck": "cervical",
    "thoracic": "thoracic",
    "dorsal": "thoracic",
    "lumbar": "lumbar",
    "lumbosacral": "lumbar",
    "sacral": "sacropelvic",
    "sacrum": "sacropelvic",
    "sacropelvic": "sacropelvic",
    "pelvis": "sacropelvic",
    "pelvic": "sacropelvic",
    "si": "sacropelvic",
    "sij": "sacropelvic",
    "sacroiliac": "sacropelvic",
    "coccygeal": "sacropelvic",
}

SEGMENTS: tuple[str, ...] = tuple(
    f"{a}-{b}" for a, b in zip(VERTEBRAE, VERTEBRAE[1:]) if b != "coccyx" or a == "S5"
)


class LevelError(ValueError):
    """A level written in content that the vocabulary does not know."""


def region_of(level: str) -> str:
    """Region of a vertebra or segment (a segment belongs to its upper vertebra)."""
    return _REGION_OF[level.split("-")[0]]


def order_of(level: str) -> float:
    """Craniocaudal position: vertebrae at integers, segments half-way between."""
    if "-" in level:
        return _INDEX[level.split("-")[0]] + 0.5
    return float(_INDEX[level])


def vertebrae_of(segment: str) -> tuple[str, str]:
    upper, lower = segment.split("-")
    return upper, lower


def segments_touching(vertebra: str) -> tuple[str, ...]:
    return tuple(s for s in SEGMENTS if vertebra in vertebrae_of(s))


_COCCYX_WORDS = ("coccyx", "coc", "cx", "co")
_PAIR_RE = re.compile(r"([ctls])(\d{1,2})(?:[-/.]?(?:([ctls])?(\d{1,2})|(coccyx|coc|cx|co)))?")


def _split_compact(letter: str, digits: str) -> tuple[str, str] | None:
    """``L45`` → (L4, L5); ``C67`` → (C6, C7); ``T1011`` → (T10, T11)."""
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if a.startswith("0") or b.startswith("0"):
            continue
        first, second = f"{letter}{int(a)}", f"{letter}{int(b)}"
        if first in _INDEX and second in _INDEX and _INDEX[second] == _INDEX[first] + 1:
            return first, second
    return None


def parse_level(text: str) -> str | None:
    """Canonical vertebra or segment name for loosely typed text, or None.

    >>> parse_level("l45"), parse_level("C7T1"), parse_level("L4-5"), parse_level("l5s1")
    ('L4-L5', 'C7-T1', 'L4-L5', 'L5-S1')
    """
    raw = re.sub(r"\s+", "", text).lower()
    if raw in _COCCYX_WORDS:
        return "coccyx"
    m = _PAIR_RE.fullmatch(raw)
    if not m:
        return None
    letter, number, letter2, number2, coccyx = m.groups()
    letter = letter.upper()
    first = f"{letter}{int(number)}"
    if number2 is None and coccyx is None:
        if first in _INDEX:
            return first
        pair = _split_compact(letter, number) if len(number) > 1 else None
        return f"{pair[0]}-{pair[1]}" if pair else None
    if first not in _INDEX:
        return None
    second = "coccyx" if coccyx else f"{(letter2 or letter).upper()}{int(number2)}"
    if second not in _INDEX or _INDEX[second] != _INDEX[first] + 1:
        return None
    return f"{first}-{second}"


def parse_region(text: str) -> str | None:
    return REGION_WORDS.get(text.strip().lower().replace(" joint", "").replace("-", ""))


def expand_level_entry(entry: str) -> list[str]:
    """Expand one content ``levels`` entry into canonical level names.

    ``C6`` and ``C7-T1`` stay as they are; ``C3-C7`` (non-adjacent ends) becomes
    C3 … C7; ``C2-C3 to C7-T1`` becomes every segment from C2-C3 to C7-T1.
    Raises :class:`LevelError` with a message naming what is wrong.
    """
    text = str(entry).strip()
    if " to " in text:
        start, _, end = text.partition(" to ")
        a, b = parse_level(start), parse_level(end)
        if not a or "-" not in a or not b or "-" not in b:
            raise LevelError(f"segment range {text!r} must join two segments, e.g. 'C2-C3 to C7-T1'")
        i, j = SEGMENTS.index(a), SEGMENTS.index(b)
        if j < i:
            raise LevelError(f"segment range {text!r} runs caudal to cranial; write it cranial first")
        return list(SEGMENTS[i : j + 1])
    if text.lower() == "coccyx":
        return ["coccyx"]
    level = parse_level(text)
    if level and (text.upper() == level.upper() or "-" not in text):
        return [level]
    m = re.fullmatch(r"(\w+)\s*-\s*(\w+)", text)
    if m:
        a, b = parse_level(m.group(1)), parse_level(m.group(2))
        if a and b and "-" not in a and "-" not in b:
            i, j = _INDEX[a], _INDEX[b]
            if j == i + 1:
                return [f"{a}-{b}"]
            if j < i:
                raise LevelError(f"level range {text!r} runs caudal to cranial; write it cranial first")
            if j == i:
                return [a]
            return list(VERTEBRAE[i : j + 1])
    raise LevelError(
        f"unknown level {text!r}: use a vertebra (C6), a segment (L4-L5), "
        "a range (C3-C7) or a segment range (C2-C3 to C7-T1)"
    )


def matching_levels(query: str) -> set[str] | None:
    """The page level names that a navigator query selects, or None if the query is not a level.

    A vertebra matches itself and the segments that touch it (a procedure at
    L4-L5 concerns L4); a segment matches itself and its two vertebrae (a
    medial branch block declared at L4 and L5 treats the L4-L5 joint); a
    region word matches every level of the region.
    """
    region = parse_region(query)
    if region is not None:
        return {v for v in REGION_VERTEBRAE[region]} | {s for s in SEGMENTS if region_of(s) == region}
    level = parse_level(query)
    if level is None:
        return None
    if "-" in level:
        return {level, *vertebrae_of(level)}
    return {level, *segments_touching(level)}
