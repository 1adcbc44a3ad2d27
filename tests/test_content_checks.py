"""Checks on the atlas's own content: the catalog, structure, navigation and original wording."""

import re
from collections import defaultdict
from pathlib import Path

import pytest

from atlas.content.loader import catalog_slugs, load_content
from atlas.db.repository import ContentRepository

ROOT = Path(__file__).resolve().parent.parent
SHINGLE = 13  # "no two pages share a sentence of more than 12 words"


@pytest.fixture(scope="module")
def content():
    loaded = load_content(ROOT / "content", ROOT / "images")
    assert loaded.ok, "\n".join(str(p) for p in loaded.problems.errors)
    return loaded


@pytest.fixture(scope="module")
def real_repo(content, real_db):
    repo = ContentRepository(real_db)
    yield repo
    repo.close()


def test_every_catalog_page_exists(content):
    slugs = catalog_slugs(ROOT / "content")
    assert len(slugs) == 44 and len(set(slugs)) == 44
    missing = [s for s in slugs if s not in content.pages]
    assert not missing, missing
    kinds = {s: content.pages[s].kind for s in slugs}
    assert sum(k == "procedure" for k in kinds.values()) == 36 and sum(k == "topic" for k in kinds.values()) == 8


def test_catalog_copy_matches_its_rows(content):
    text = (ROOT / "content" / "CATALOG.md").read_text(encoding="utf-8")
    for slug in catalog_slugs(ROOT / "content"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {slug} |"))
        title = row.split("|")[2].strip()
        assert content.pages[slug].title, slug
        assert title.split()[0].lower() in content.pages[slug].title.lower() or slug, slug


def test_every_procedure_is_complete(content):
    for page in content.pages.values():
        if page.kind != "procedure":
            continue
        assert 4 <= len(page.steps) <= 10, page.slug
        assert all(step.image_ids for step in page.steps), f"{page.slug}: a step without an image"
        assert page.safety, f"{page.slug}: no safety-critical statement marked"
        assert len(page.references) >= 3, page.slug
        assert page.authors and page.version and page.reviewed, page.slug


def test_every_declared_level_and_approach_finds_the_page(content, real_repo):
    for page in content.pages.values():
        for level in page.levels:
            for approach in page.approaches or [None]:
                if approach and not real_repo._reaches(approach, {level}):
                    continue  # e.g. a page from C1 to S1 that lists transoral for its C1-C3 levels
                found = [p.slug for p in real_repo.list_pages(level=level, approach=approach)]
                assert page.slug in found, f"{page.slug} not listed for --level {level} --approach {approach}"


@pytest.mark.parametrize("query, expected", [
    ("transforaminal", {"lumbar-transforaminal-esi", "cervical-transforaminal-esi", "thoracic-transforaminal-esi", "s1-transforaminal-block"}),
    ("TFESI", {"lumbar-transforaminal-esi", "cervical-transforaminal-esi"}),
    ("vertebroplasty", {"lumbar-vertebral-augmentation", "thoracic-vertebral-augmentation"}),
    ("medial branch", {"lumbar-medial-branch-block", "cervical-medial-branch-block"}),
    ("right L5 S1 transforaminal injection", {"lumbar-transforaminal-esi", "s1-transforaminal-block"}),
])
def test_search_puts_the_pages_a_query_names_first(real_repo, query, expected):
    top = [h.slug for h in real_repo.search(query, limit=len(expected) + 2)]
    assert expected <= set(top), f"{query!r}: {top}"


def test_an_approach_is_offered_only_where_it_reaches(real_repo):
    assert "transoral" not in real_repo.approaches_at("L4-L5") and "transmaxillary" not in real_repo.approaches_at("T8")
    assert {"transoral", "transmaxillary"} <= set(real_repo.approaches_at("C2"))
    assert real_repo.list_pages(level="L4-L5", approach="transoral") == []
    assert "transoral-c1-c3" in [p.slug for p in real_repo.list_pages(level="C2", approach="transoral")]
    assert "spinal-tumor-ablation" in [p.slug for p in real_repo.list_pages(level="L4-L5", approach="transpedicular")]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())


def page_text(page) -> str:
    parts = [s.text for s in page.sections] + [f"{s.title}. {s.text}" for s in page.steps]
    return "\n".join(parts)


def test_no_two_pages_share_a_sentence_of_more_than_12_words(content):
    owners = defaultdict(set)
    for page in content.pages.values():
        for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", page_text(page)):
            words = _words(sentence)
            for i in range(len(words) - SHINGLE + 1):
                owners[" ".join(words[i : i + SHINGLE])].add(page.slug)
    shared = {run: pages for run, pages in owners.items() if len(pages) > 1}
    assert not shared, "\n".join(f"{sorted(p)}: {run}" for run, p in list(shared.items())[:20])


def test_every_teaching_prompt_is_met_by_its_own_view(real_repo):
    """A prompt the step's own image does not satisfy would tell the user the right view is wrong."""
    from atlas import resources
    from atlas.live import LiveScene
    from atlas.phantom import Phantom

    phantoms, failures, checked = {}, [], 0
    for slug in real_repo.slugs():
        for info in real_repo.page(slug).images:
            live = real_repo.live_spec(info.id) if info.available else None
            if not live or not live[1]:
                continue
            spec, prompt = live
            region = spec["region"]
            phantoms.setdefault(region, Phantom.load(region, resources.phantom_cache_dir()))
            scene = LiveScene(spec, prompt, phantom=phantoms[region])
            result = scene.check_prompt(scene.recommended())
            checked += 1
            if not result.ok:
                failures.append(f"{info.id}: {result.message}")
    assert checked >= 20
    assert not failures, "\n".join(failures)
