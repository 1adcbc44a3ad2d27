"""Back/forward navigation history (Qt-free)."""

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    slug: str
    step: int | None = None


class History:
    def __init__(self, limit: int = 200):
        self.limit = limit
        self._back: list[Location] = []
        self._forward: list[Location] = []
        self.current: Location | None = None

    def visit(self, location: Location) -> None:
        if location == self.current:
            return
        if self.current is not None:
            if self.current.slug == location.slug:
                self.current = location  # moving between steps of one page is not a history entry
                return
            self._back.append(self.current)
            del self._back[: -self.limit]
        self.current = location
        self._forward.clear()

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Location | None:
        if not self._back:
            return None
        self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Location | None:
        if not self._forward:
            return None
        self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current
