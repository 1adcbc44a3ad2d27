"""Chart data (``content/charts/<id>.yaml``): published figures a page draws as a bar chart."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from atlas.content.problems import Problems
from atlas.content.yaml_lines import LDict, LList, load_file
from atlas.model import Chart, ChartBar, ChartGroup

KEYS = {"id", "title", "unit", "source", "groups"}


@dataclass
class ChartSource:
    chart: Chart
    path: Path


def _number(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def load_chart(path: Path, reference_keys: set[str], problems: Problems) -> ChartSource | None:
    before = len(problems.items)
    data = load_file(path, problems)
    if len(problems.items) > before:
        return None
    if not isinstance(data, LDict):
        problems.error(path, 1, "a chart must be a mapping with id, title, unit, source and groups")
        return None
    ok = True
    for key in data:
        if key not in KEYS:
            problems.error(path, data.line_of(key), f"unknown chart field {key!r}")
            ok = False
    if data.get("id") != path.stem:
        problems.error(path, data.line_of("id"), f"id {data.get('id')!r} must equal the file name {path.stem!r}")
        ok = False
    if data.get("source") not in reference_keys:
        problems.error(path, data.line_of("source"), f"source {data.get('source')!r} is not a key of the reference list")
        ok = False
    groups = []
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, LList) or not raw_groups:
        problems.error(path, data.line_of("groups"), "a chart needs at least one group of bars")
        return None
    for gi, group in enumerate(raw_groups):
        if not isinstance(group, LDict) or not isinstance(group.get("bars"), LList) or not group["bars"]:
            problems.error(path, raw_groups.line_of(gi), "a group needs a name and a list of bars")
            ok = False
            continue
        bars = []
        for bi, bar in enumerate(group["bars"]):
            line = group["bars"].line_of(bi)
            if not isinstance(bar, LDict) or not str(bar.get("label", "")).strip():
                problems.error(path, line, "a bar needs a label")
                ok = False
                continue
            value, low, high = _number(bar.get("value")), _number(bar.get("low")), _number(bar.get("high"))
            if value is not None and low is None and high is None:
                low = high = value
            elif value is not None or low is None or high is None or low > high:
                problems.error(path, line, "a bar needs either value: N or low: N and high: M (low <= high)")
                ok = False
                continue
            bars.append(ChartBar(str(bar["label"]), low, high))
        groups.append(ChartGroup(str(group.get("name", "")), tuple(bars)))
    if not ok:
        return None
    chart = Chart(path.stem, str(data.get("title", "")), str(data.get("unit", "")), str(data["source"]), tuple(groups))
    return ChartSource(chart, path)
