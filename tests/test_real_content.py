"""The atlas's own content validates, and the seed pages are there and complete."""

from pathlib import Path

from atlas.content.loader import load_content

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGES = ("lumbar-transforaminal-esi", "cervical-interlaminar-esi", "sacroiliac-joint-injection")


def test_real_content_has_no_errors():
    content = load_content(ROOT / "content", ROOT / "images")
    assert content.ok, "\n".join(str(p) for p in content.problems.errors)
    for slug in SEED_PAGES:
        page = content.pages[slug]
        assert page.authors and page.version and page.reviewed
        assert page.safety, f"{slug} marks no safety-critical statement"
        assert len(page.references) >= 5, f"{slug} cites too little"
        assert 4 <= len(page.steps) <= 10
        assert all(step.image_ids for step in page.steps)
