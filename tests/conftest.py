"""Shared fixtures: the test content is built once per session by the real builder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_test_png(path: Path, width: int = 160, height: int = 128, seed: int = 0) -> None:
    """A small synthetic radiograph-like picture: a gradient with two bright 'vertebrae'."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    img = 40 + 60 * (x / width) + rng.normal(0, 4, (height, width))
    for cy in (height * 0.3, height * 0.7):
        img[(np.abs(y - cy) < height * 0.12) & (np.abs(x - width / 2) < width * 0.2)] += 110
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path)


def make_content_tree(dest: Path) -> tuple[Path, Path]:
    """Copy the fixture content (with the real vocabulary) to ``dest``; make its PNGs."""
    content, images = dest / "content", dest / "images"
    shutil.copytree(FIXTURES / "content", content)
    shutil.copytree(FIXTURES / "images", images)
    shutil.copy(ROOT / "content" / "vocabulary.yaml", content / "vocabulary.yaml")
    for i, yaml_file in enumerate(sorted(images.glob("*.yaml"))):
        if "raster:" in yaml_file.read_text():
            write_test_png(images / f"{yaml_file.stem}.png", seed=i)
    return content, images


@pytest.fixture(scope="session")
def content_tree(tmp_path_factory) -> tuple[Path, Path]:
    """A pristine fixture tree. Tests must not modify it: use ``fresh_tree`` for that."""
    return make_content_tree(tmp_path_factory.mktemp("content-tree"))


@pytest.fixture
def fresh_tree(tmp_path) -> tuple[Path, Path]:
    return make_content_tree(tmp_path)


@pytest.fixture(scope="session")
def content_db(content_tree, tmp_path_factory, phantom_cache) -> Path:
    from atlas.db.builder import build

    out = tmp_path_factory.mktemp("db") / "atlas.db"
    build(*content_tree, out, cache_dir=phantom_cache, render_quality="test", render_size=256)
    return out


@pytest.fixture(scope="session")
def phantom_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("phantom-cache")


@pytest.fixture(scope="session")
def test_phantom(phantom_cache):
    """A low-resolution phantom for the virtual C-arm in tests (the same one the fixture images use)."""
    from atlas.phantom import Phantom

    return lambda region, mouth=None: Phantom.load(region, phantom_cache, quality="test", mouth=mouth)


@pytest.fixture
def repo(content_db):
    from atlas.db.repository import ContentRepository

    repository = ContentRepository(content_db)
    yield repository
    repository.close()


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    """The atlas's own content, built once per session.

    Phantom volumes come from the user cache that `spine-atlas build` (and dev.py) fill, so a
    test run after a build does not build them again.
    """
    from atlas import resources
    from atlas.db.builder import build

    out = tmp_path_factory.mktemp("real") / "atlas.db"
    build(ROOT / "content", ROOT / "images", out, cache_dir=resources.phantom_cache_dir())
    return out
