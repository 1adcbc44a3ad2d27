"""Spaced repetition with the fsrs library: one card per quiz item, stored per user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

from atlas.db.userdata import UserStore
from atlas.study.quiz import QuizItem, interleave

RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
NEW_PER_DAY = 20


@dataclass(frozen=True)
class Progress:
    group: str
    total: int
    seen: int
    due: int


def _utc(when: dt.datetime | None) -> dt.datetime:
    when = when or dt.datetime.now(dt.timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


class StudySchedule:
    def __init__(self, store: UserStore, scheduler: Scheduler | None = None):
        self.store = store
        # no fuzzing: the same answers give the same schedule (and testable dates)
        self.scheduler = scheduler or Scheduler(enable_fuzzing=False)

    def card(self, item_id: str) -> Card | None:
        raw = self.store.card(item_id)
        return Card.from_dict(raw) if raw else None

    def review(self, item_id: str, rating: str, when: dt.datetime | None = None) -> dt.datetime:
        """Record an answer; returns when the item is next due."""
        when = _utc(when)
        card = self.card(item_id) or Card()
        card, log = self.scheduler.review_card(card, RATINGS[rating], review_datetime=when)
        self.store.save_review(item_id, card.to_dict(), card.due.isoformat(), rating, when.isoformat(), log.to_dict())
        return card.due

    def due(
        self, items: list[QuizItem], when: dt.datetime | None = None, new_limit: int = NEW_PER_DAY, first_slug: str | None = None
    ) -> list[QuizItem]:
        """Items due now: reviewed ones whose due date has come (oldest first), then up to ``new_limit`` new ones,
        mixed across images and pages (the open page's first)."""
        when = _utc(when)
        dues = self.store.due_dates()
        old = sorted((i for i in items if i.id in dues and dt.datetime.fromisoformat(dues[i.id]) <= when),
                     key=lambda i: dues[i.id])
        new = interleave([i for i in items if i.id not in dues], first_slug)[:new_limit]
        return old + new

    def progress(self, items: list[QuizItem], when: dt.datetime | None = None, by: str = "region") -> list[Progress]:
        when = _utc(when)
        dues = self.store.due_dates()
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for item in items:
            key = item.region if by == "region" else item.page_title
            c = counts[key]
            c[0] += 1
            if item.id in dues:
                c[1] += 1
                if dt.datetime.fromisoformat(dues[item.id]) <= when:
                    c[2] += 1
        return [Progress(k, *v) for k, v in sorted(counts.items())]
