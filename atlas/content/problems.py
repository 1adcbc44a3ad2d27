"""Content problems, reported as ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"  # "error" stops the build; "warning" does not; "note" is for the expert reviewer

    def __str__(self) -> str:
        tag = {"error": "", "warning": "warning: ", "note": "note: "}[self.severity]
        return f"{self.file}:{self.line}: {tag}{self.message}"


@dataclass
class Problems:
    """Collects every problem so the author sees them all at once."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def _name(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self._name(path), max(int(line), 1), message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self._name(path), max(int(line), 1), message, "warning"))

    def note(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self._name(path), max(int(line), 1), message, "note"))

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "note"]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.file, p.line, p.message))
