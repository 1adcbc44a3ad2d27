"""Phantom tests: one low-resolution lumbar phantom per session, Qt-free and fast."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def phantom_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("phantom-cache")


@pytest.fixture(scope="session")
def lumbar(phantom_cache):
    from atlas.phantom import Phantom

    return Phantom.load("lumbar", phantom_cache, quality="test")


@pytest.fixture(scope="session")
def cervical(phantom_cache):
    from atlas.phantom import Phantom

    return Phantom.load("cervical", phantom_cache, quality="test")


@pytest.fixture(scope="session")
def landmarks():
    from atlas.phantom.landmarks import landmarks as all_landmarks

    return all_landmarks()
