"""Hostile content never crashes the builder: every problem is `file:line: message`, exit 1, no partial database."""

import re
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.db.builder import BuildError, build

LINE_RE = re.compile(r"^[^\s:][^:]*:\d+: .+")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.dates().map(str),
)
yaml_values = st.recursive(yaml_scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=12)
KEYS = ["slug", "title", "kind", "region", "levels", "approaches", "guidance", "authors", "version", "reviewed", "steps", "references", "synonyms"]


def _dump(value) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=None)


def _assert_clean_failure_or_success(tree, out: Path):
    shutil.rmtree(out.parent, ignore_errors=True)  # each example starts without a database
    try:
        build(*tree, out)
    except BuildError as exc:
        assert exc.problems, "a failed build must say why"
        for problem in exc.problems:
            assert LINE_RE.match(str(problem)), f"not file:line: message -> {problem!s}"
        assert not out.exists(), "a failed build must not leave a database"
        assert not list(out.parent.glob(".*.tmp")), "no temporary files left behind"
    else:
        assert out.exists()


@pytest.fixture
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _tree(template, where: Path):
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(template[0].parent, where)
    return where / "content", where / "images"


@FUZZ
@given(front=st.dictionaries(st.sampled_from(KEYS), yaml_values, max_size=8))
def test_random_front_matter(content_tree, workdir, front):
    tree = _tree(content_tree, workdir / "tree")
    (tree[0] / "pages" / "fixture-topic.md").write_text("---\n" + _dump(front) + "---\n## Body\n\nText.\n", encoding="utf-8")
    _assert_clean_failure_or_success(tree, workdir / "out" / "atlas.db")


@FUZZ
@given(blob=st.binary(max_size=400))
def test_random_bytes_as_page_image_definition_and_references(content_tree, workdir, blob):
    tree = _tree(content_tree, workdir / "tree")
    (tree[0] / "pages" / "fixture-topic.md").write_bytes(b"---\n" + blob)
    (tree[1] / "flt-1.yaml").write_bytes(blob)
    (tree[1] / "fci-1.png").write_bytes(blob)
    _assert_clean_failure_or_success(tree, workdir / "out" / "atlas.db")


@FUZZ
@given(text=st.text(alphabet=string.printable + "äé⚠\u0000", max_size=300))
def test_random_text_in_references_and_vocabulary(content_tree, workdir, text):
    tree = _tree(content_tree, workdir / "tree")
    (tree[0] / "references.yaml").write_text(text, encoding="utf-8")
    _assert_clean_failure_or_success(tree, workdir / "out" / "atlas.db")


@FUZZ
@given(x=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9), st.text(max_size=5)),
       y=st.one_of(st.floats(allow_nan=True), st.integers(-10**9, 10**9)))
def test_annotation_coordinates(content_tree, workdir, x, y):
    tree = _tree(content_tree, workdir / "tree")
    path = tree[1] / "flt-1.yaml"
    path.write_text(path.read_text().replace("at: [40, 30]", f"at: [{x!r}, {y!r}]" if not isinstance(x, str) else f"at: [{x!r}, 3]"))
    _assert_clean_failure_or_success(tree, workdir / "out" / "atlas.db")


HOSTILE = {
    "yaml bomb": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)),
    "deep nesting": "a: " + "[" * 500 + "]" * 500 + "\n",
    "python tag": "a: !!python/object/apply:os.system ['echo hacked']\n",
    "binary tag": "a: !!binary aGVsbG8=\n",
    "huge": "a: " + "x" * (3 * 1024 * 1024) + "\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_everywhere(content_tree, tmp_path, name):
    payload = HOSTILE[name]
    for target in ("content/pages/fixture-topic.md", "images/flt-1.yaml", "content/references.yaml", "content/vocabulary.yaml"):
        tree = _tree(content_tree, tmp_path / "tree")
        path = tree[0].parent / target
        path.write_text(("---\n" + payload + "---\nBody\n") if target.endswith(".md") else payload, encoding="utf-8")
        _assert_clean_failure_or_success(tree, tmp_path / "out" / "atlas.db")


def test_truncated_and_fake_pngs(content_tree, tmp_path):
    tree = _tree(content_tree, tmp_path / "tree")
    good = (tree[1] / "flt-1.png").read_bytes()
    (tree[1] / "flt-1.png").write_bytes(good[: len(good) // 2])
    (tree[1] / "flt-2.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (tree[1] / "fci-1.png").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(BuildError) as err:
        build(*tree, tmp_path / "out" / "atlas.db")
    names = {str(p).split(":")[0] for p in err.value.problems}
    assert {"images/flt-1.yaml", "images/flt-2.yaml", "images/fci-1.yaml"} <= names
