"""The builder: every class of content error, atomic writes, the search index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from atlas.content.loader import load_content
from atlas.db.builder import BuildError, build, level_aliases
from atlas.db.schema import SCHEMA_VERSION

PAGE = "content/pages/fixture-lumbar-tf.md"


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count))


def line_of(root: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((root / rel).read_bytes().split(b"\n"), 1):
        if needle.encode() in line:
            return number
    raise AssertionError(needle)


def errors(tree) -> list[str]:
    content = load_content(*tree)
    return [str(p) for p in content.problems.errors]


def test_fixture_content_is_clean(content_tree):
    content = load_content(*content_tree)
    assert content.ok, content.problems.errors
    assert set(content.pages) == {"fixture-lumbar-tf", "fixture-cervical-il", "fixture-topic"}
    # the declared-but-pending image is a warning, not an error
    assert any("not yet available" in str(w) for w in content.problems.warnings)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("region: lumbar", "region: lumbarr", "unknown region 'lumbarr'"),
        ("levels: [L1-L2 to L5-S1, L1-L5]", "levels: [L1-L2 to L5-S1, L6]", "unknown level 'L6'"),
        ("approaches: [transforaminal, posterolateral]", "approaches: [transforaminal, sideways]", "unknown approach 'sideways'"),
        ("guidance: [fluoroscopy, CT]", "guidance: [fluoroscopy, MRI]", "unknown guidance 'MRI'"),
        ("kind: procedure", "kind: recipe", "kind 'recipe' must be 'procedure' or 'topic'"),
        ("version: 1.0.0", "version: one", "version 'one' must look like 1.0"),
        ("reviewed: 2026-11-01", "reviewed: yesterday", "must be a date"),
        ("authors: [Fixture Author]", "author: [Fixture Author]", "unknown front matter field 'author'"),
    ],
)
def test_unknown_vocabulary_and_bad_metadata(fresh_tree, old, new, expected):
    root = fresh_tree[0].parent
    edit(root, PAGE, old, new)
    found = errors(fresh_tree)
    line = line_of(root, PAGE, new.split(":")[0] + ":")
    assert any(e.startswith(f"{PAGE}:{line}: ") and expected in e for e in found), found


def test_an_approach_reach_names_real_levels(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, "content/vocabulary.yaml", "    levels: C1-C3\n", "    levels: C1-C9\n")
    line = line_of(root, "content/vocabulary.yaml", "levels: C1-C9")
    assert any(e.startswith(f"content/vocabulary.yaml:{line}: levels: ") for e in errors(fresh_tree)), errors(fresh_tree)


def test_missing_reference_key(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, PAGE, "Fixture text about equipment", "Fixture text [@nobody2024] about equipment")
    line = line_of(root, PAGE, "[@nobody2024]")
    assert f"{PAGE}:{line}: unknown reference key 'nobody2024' (not in content/references.yaml)" in errors(fresh_tree)


def test_missing_image(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, PAGE, "images: [flt-1]", "images: [no-such-image]")
    line = line_of(root, PAGE, "no-such-image")
    assert f"{PAGE}:{line}: missing image 'no-such-image' (no images/no-such-image.yaml)" in errors(fresh_tree)


def test_missing_raster_file(fresh_tree):
    (fresh_tree[1] / "flt-1.png").unlink()
    assert "images/flt-1.yaml:6: missing image file flt-1.png" in errors(fresh_tree)


def test_duplicate_slug(fresh_tree):
    root = fresh_tree[0].parent
    src = root / PAGE
    (src.parent / "fixture-copy.md").write_text(src.read_text())
    found = errors(fresh_tree)
    assert any(e.startswith("content/pages/fixture-copy.md:2: ") and "must equal the file name" in e for e in found), found


def test_duplicate_slug_field_across_files(fresh_tree):
    root = fresh_tree[0].parent
    pages = root / "content" / "pages"
    (pages / "fixture-lumbar-tf.md").rename(pages / "a-first.md")
    text = (pages / "a-first.md").read_text()
    (pages / "b-second.md").write_text(text)
    found = errors(fresh_tree)
    assert any("a-first.md:2:" in e and "must equal the file name" in e for e in found)
    assert any("b-second.md:2:" in e for e in found)


def test_empty_steps(fresh_tree):
    root = fresh_tree[0].parent
    path = root / PAGE
    text = path.read_text()
    start, end = text.index("steps:\n"), text.index("---\n## Indications")
    path.write_text(text[:start] + "steps: []\n" + text[end:])
    line = line_of(root, PAGE, "steps: []")
    assert f"{PAGE}:{line}: a procedure page has no technique steps (empty steps)" in errors(fresh_tree)


def test_too_few_steps_and_missing_step_text(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, PAGE, "    text: Step 2 text mentioning the pedicle and foramen [@alpha2020].\n", "")
    found = errors(fresh_tree)
    assert any("step 2 has no text" in e for e in found), found


def test_malformed_yaml_front_matter(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, PAGE, "synonyms: [TFESI, SNRB]", "synonyms: [TFESI, SNRB")
    found = errors(fresh_tree)
    assert any(e.startswith(f"{PAGE}:") and "malformed YAML" in e for e in found), found


def test_malformed_image_yaml_and_reference_yaml(fresh_tree):
    root = fresh_tree[0].parent
    (fresh_tree[1] / "flt-1.yaml").write_text("id: flt-1\ntitle: [unclosed\n")
    (root / "content" / "references.yaml").write_text("alpha2020:\n  title: x\n  year: 2020\n  doi: not-a-doi\n")
    found = errors(fresh_tree)
    assert any(e.startswith("images/flt-1.yaml:") and "malformed YAML" in e for e in found)
    assert "content/references.yaml:4: reference 'alpha2020': 'not-a-doi' is not a DOI (10.xxxx/...)" in found


def test_annotation_outside_its_image(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, "images/flt-2.yaml", "at: [40, 30]", "at: [400, 30]")
    assert (
        "images/flt-2.yaml:8: annotation 'L4 pedicle' at (400, 30) lies outside the 160x128 image" in errors(fresh_tree)
    )


def test_unknown_annotation_layer_and_kind(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, "images/flt-2.yaml", "layer: anatomy", "layer: secrets")
    edit(root, "images/fci-1.yaml", "kind: arrow", "kind: blob")
    found = errors(fresh_tree)
    assert any(e.startswith("images/flt-2.yaml:8: unknown layer 'secrets'") for e in found), found
    assert any(e.startswith("images/fci-1.yaml:9: annotation kind 'blob'") for e in found), found


@pytest.mark.parametrize("payload, reason", [(b"GIF89a....", "not a PNG file"), (None, "corrupt or truncated PNG")])
def test_broken_rasters(fresh_tree, payload, reason):
    png = fresh_tree[1] / "flt-1.png"
    png.write_bytes(payload if payload is not None else png.read_bytes()[:300])
    assert any(e.startswith("images/flt-1.yaml:6: flt-1.png: ") and reason in e for e in errors(fresh_tree))


def test_missing_section_and_link_to_unknown_page(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, PAGE, "## Aftercare", "## Afterwards")
    edit(root, PAGE, "atlas:fixture-topic", "atlas:no-such-page")
    found = errors(fresh_tree)
    assert any("missing the section '## Aftercare'" in e for e in found)
    line = line_of(root, PAGE, "atlas:no-such-page")
    assert f"{PAGE}:{line}: link to unknown page 'atlas:no-such-page'" in found


def test_invalid_utf8_is_reported_with_its_line(fresh_tree):
    root = fresh_tree[0].parent
    path = root / PAGE
    path.write_bytes(path.read_bytes().replace(b"Fixture text about aftercare", b"Fixture \xff\xfe about aftercare"))
    line = line_of(root, PAGE, "about aftercare")
    assert any(e.startswith(f"{PAGE}:{line}: not valid UTF-8") for e in errors(fresh_tree))


def test_all_problems_are_reported_at_once(fresh_tree):
    root = fresh_tree[0].parent
    edit(root, PAGE, "region: lumbar", "region: nowhere")
    edit(root, PAGE, "images: [flt-1]", "images: [gone]")
    edit(root, "images/fci-1.yaml", "at: [40, 30]", "at: [-5, 30]")
    assert len(errors(fresh_tree)) >= 3


def test_build_is_atomic(fresh_tree, tmp_path):
    out = tmp_path / "out" / "atlas.db"
    build(*fresh_tree, out)
    before = out.read_bytes()
    edit(fresh_tree[0].parent, PAGE, "region: lumbar", "region: nowhere")
    with pytest.raises(BuildError) as err:
        build(*fresh_tree, out)
    assert any("unknown region 'nowhere'" in str(p) for p in err.value.problems)
    assert out.read_bytes() == before, "a failed build must not touch the existing database"
    assert sorted(p.name for p in out.parent.iterdir()) == ["atlas.db", "atlas.db.manifest.json"]


def test_build_writes_schema_version_and_read_only_opening_refuses_writes(content_db):
    conn = sqlite3.connect(content_db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    ro = sqlite3.connect(f"file:{content_db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("DELETE FROM pages")
    ro.close()


def test_level_aliases_for_search():
    assert level_aliases("L4-L5") == "L4-L5 L4L5 L45 L4-5"
    assert level_aliases("C7-T1") == "C7-T1 C7T1"
    assert level_aliases("S1") == "S1"


def test_references_in_a_folder_and_duplicate_keys(fresh_tree):
    folder = fresh_tree[0] / "references"
    folder.mkdir()
    (folder / "extra.yaml").write_text("gamma2021:\n  title: Extra\n  year: 2021\nalpha2020:\n  title: Again\n  year: 2020\n")
    content = load_content(*fresh_tree)
    assert "gamma2021" in content.references
    assert "content/references/extra.yaml:4: reference key 'alpha2020' is already defined (references.yaml:1)" in [
        str(p) for p in content.problems.errors
    ]


def test_link_to_a_catalog_page_not_yet_written_is_a_warning(fresh_tree):
    root = fresh_tree[0].parent
    (fresh_tree[0] / "CATALOG.md").write_text("| slug | title |\n|---|---|\n| planned-page | Planned |\n")
    edit(root, PAGE, "atlas:fixture-topic", "atlas:planned-page")
    content = load_content(*fresh_tree)
    assert content.ok
    assert any("'atlas:planned-page', a catalog page not yet written" in str(w) for w in content.problems.warnings)


def test_chart_markers_and_data(fresh_tree):
    root = fresh_tree[0].parent
    content = load_content(*fresh_tree)
    assert content.ok and content.pages["fixture-topic"].charts == [("fixture-rates", 21)]
    edit(root, "content/pages/fixture-topic.md", "[!CHART fixture-rates]", "[!CHART nothing-here]")
    edit(root, "content/charts/fixture-rates.yaml", "low: 6, high: 15", "low: 16, high: 15")
    found = errors(fresh_tree)
    assert "content/pages/fixture-topic.md:21: unknown chart 'nothing-here' (no content/charts/nothing-here.yaml)" in found
    assert "content/charts/fixture-rates.yaml:9: a bar needs either value: N or low: N and high: M (low <= high)" in found
