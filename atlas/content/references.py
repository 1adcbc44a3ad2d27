"""The shared reference list (``content/references.yaml``) and citation formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from atlas.content.problems import Problems
from atlas.content.yaml_lines import LDict, load_file

KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
FIELDS = {"authors", "title", "journal", "publisher", "year", "volume", "issue", "pages", "doi", "url", "edition", "note"}
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass(frozen=True)
class RefSource:
    key: str
    citation: str
    doi: str | None
    url: str | None
    line: int
    path: Path


def format_citation(entry: dict) -> str:
    """Vancouver-style plain text: Authors. Title. Journal. Year;Vol(Issue):Pages."""
    parts = []
    if entry.get("authors"):
        parts.append(str(entry["authors"]).rstrip(".") + ".")
    title = str(entry["title"]).rstrip(".")
    parts.append(title + ".")
    if entry.get("edition"):
        parts.append(f"{entry['edition']}.")
    year = str(entry.get("year", ""))
    if entry.get("journal"):
        where = f"{entry['journal']}. {year}"
        if entry.get("volume"):
            where += f";{entry['volume']}"
            if entry.get("issue"):
                where += f"({entry['issue']})"
        if entry.get("pages"):
            where += f":{entry['pages']}"
        parts.append(where + ".")
    elif entry.get("publisher"):
        parts.append(f"{entry['publisher']}; {year}.")
    else:
        parts.append(f"{year}.")
    if entry.get("note"):
        parts.append(str(entry["note"]).rstrip(".") + ".")
    if entry.get("doi"):
        parts.append(f"doi:{entry['doi']}")
    elif entry.get("url"):
        parts.append(str(entry["url"]))
    return " ".join(parts)


def load_references(path: Path, problems: Problems) -> dict[str, RefSource]:
    before = len(problems.items)
    data = load_file(path, problems)
    if len(problems.items) > before:
        return {}
    if data is None:
        return {}
    if not isinstance(data, LDict):
        problems.error(path, 1, "the reference list must be a mapping of key: entry")
        return {}
    refs: dict[str, RefSource] = {}
    for key, entry in data.items():
        line = data.line_of(key)
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.error(path, line, f"reference key {key!r} must be lower-case letters, digits, '-' or '_'")
            continue
        if not isinstance(entry, LDict):
            problems.error(path, line, f"reference {key!r} must be a mapping with at least title and year")
            continue
        bad = False
        for field_name in entry:
            if field_name not in FIELDS:
                problems.error(path, entry.line_of(field_name), f"reference {key!r}: unknown field {field_name!r}")
                bad = True
        for required in ("title", "year"):
            if not entry.get(required):
                problems.error(path, line, f"reference {key!r} has no {required}")
                bad = True
        doi = entry.get("doi")
        if doi is not None and not DOI_RE.match(str(doi)):
            problems.error(path, entry.line_of("doi"), f"reference {key!r}: {doi!r} is not a DOI (10.xxxx/...)")
            bad = True
        if bad:
            continue
        refs[key] = RefSource(
            key=key,
            citation=format_citation(entry),
            doi=str(doi) if doi else None,
            url=str(entry["url"]) if entry.get("url") else None,
            line=line,
            path=path,
        )
    return refs
