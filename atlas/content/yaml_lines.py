"""YAML loading that remembers the line of every key and list item.

Content errors must name ``file:line``; plain ``yaml.safe_load`` forgets where
things were. :func:`load` builds ordinary dicts and lists (subclasses that
carry ``line`` and ``lines``) from PyYAML's node tree, refusing duplicate keys
and alias explosions ("billion laughs").
"""

from __future__ import annotations

import datetime as _dt

import yaml

MAX_NODES = 200_000


class YamlError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class LDict(dict):
    """A mapping with ``line`` (its first line) and ``lines[key]`` (1-based)."""

    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LList(list):
    line: int = 1

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Builder:
    def __init__(self, offset: int):
        self.offset = offset
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def line(self, node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node, depth: int = 0):
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(self.line(node), f"YAML too large or too deeply aliased (more than {MAX_NODES} nodes)")
        if depth > 100:
            raise YamlError(self.line(node), "YAML nested too deeply")
        if isinstance(node, yaml.MappingNode):
            self.constructor.flatten_mapping(node)
            out = LDict()
            out.line = self.line(node)
            for key_node, value_node in node.value:
                key = self.build(key_node, depth + 1)
                if isinstance(key, (dict, list)):
                    raise YamlError(self.line(key_node), "a mapping key must be a plain value")
                if key in out:
                    raise YamlError(self.line(key_node), f"duplicate key {key!r}")
                out[key] = self.build(value_node, depth + 1)
                out.lines[key] = self.line(key_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            out = LList()
            out.line = self.line(node)
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.lines.append(self.line(item))
            return out
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()[:10] if isinstance(value, _dt.date) else value.isoformat()
        if isinstance(value, bytes):
            raise YamlError(self.line(node), "binary values are not allowed")
        return value


def load(text: str, *, line_offset: int = 0):
    """Parse YAML text; line numbers in results and errors are 1-based plus ``line_offset``."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlError(line, f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1 + line_offset, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlError(1 + line_offset, "YAML nested too deeply") from None
    if node is None:
        return None
    try:
        return _Builder(line_offset).build(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlError(line, f"malformed YAML: {getattr(exc, 'problem', exc)}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, YamlError):
            raise
        raise YamlError(1 + line_offset, f"malformed YAML value: {exc}") from None


def load_file(path, problems):
    """Load a YAML file; report unreadable, non-UTF-8 or malformed files to ``problems`` and return None."""
    try:
        return load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.error(path, 1, "file is missing")
    except UnicodeDecodeError as exc:
        problems.error(path, 1, f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    except YamlError as exc:
        problems.error(path, exc.line, exc.message)
    return None
