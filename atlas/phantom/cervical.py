"""Cervical region anatomy (added region by region)."""

from __future__ import annotations


def structures() -> list:
    return []
