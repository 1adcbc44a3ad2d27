"""The spine-atlas subcommands and their output shapes (a public interface)."""

import json
import subprocess
import sys

import pytest

from atlas.cli import main

LIST_KEYS = {"slug", "title", "kind", "region", "levels", "approaches", "guidance", "steps", "images"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_ok_and_failing(capsys, content_tree, fresh_tree):
    code, out, _ = run(capsys, "check", "--content", str(content_tree[0]), "--images", str(content_tree[1]))
    assert code == 0 and "content OK: 3 pages" in out
    page = fresh_tree[0] / "pages" / "fixture-topic.md"
    page.write_text(page.read_text().replace("kind: topic", "kind: essay"))
    code, _, err = run(capsys, "check", "--content", str(fresh_tree[0]), "--images", str(fresh_tree[1]))
    assert code == 1
    assert "content/pages/fixture-topic.md:4: kind 'essay' must be 'procedure' or 'topic'" in err


def test_check_lists_editorial_notes_only_when_asked(capsys, fresh_tree):
    page = fresh_tree[0] / "pages" / "fixture-topic.md"
    page.write_text(page.read_text().replace("[@alpha2020]", "[@alpha2020] *Editorial note: verify this figure.*", 1))
    code, out, err = run(capsys, "check", "--content", str(fresh_tree[0]), "--images", str(fresh_tree[1]))
    assert code == 0 and "1 editorial note(s)" in out and "verify this figure" not in err
    code, out, err = run(capsys, "check", "--editorial", "--content", str(fresh_tree[0]), "--images", str(fresh_tree[1]))
    line = next(n for n, text in enumerate(page.read_text().split("\n"), 1) if "Editorial note" in text)
    assert code == 0 and f"content/pages/fixture-topic.md:{line}: note: Editorial note: verify this figure." in err


def test_build_reports_file_line_and_writes_nothing(capsys, fresh_tree, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out_db = out_dir / "x.db"
    page = fresh_tree[0] / "pages" / "fixture-topic.md"
    page.write_text(page.read_text().replace("[@alpha2020]", "[@ghost]"))
    code, _, err = run(capsys, "--db", str(out_db), "build", "--content", str(fresh_tree[0]), "--images", str(fresh_tree[1]))
    assert code == 1 and "content/pages/fixture-topic.md:13: unknown reference key 'ghost'" in err
    assert list(out_dir.iterdir()) == []


def test_build_shows_progress_and_succeeds(capsys, content_tree, tmp_path):
    out_db = tmp_path / "atlas.db"
    code, out, err = run(capsys, "build", "--out", str(out_db), "--content", str(content_tree[0]), "--images", str(content_tree[1]))
    assert code == 0 and out_db.exists() and "writing pages: 3/3" in err and "built" in out


def test_list_json_shape(capsys, content_db):
    code, out, _ = run(capsys, "--db", str(content_db), "list", "--level", "L4-L5", "--approach", "transforaminal", "--json")
    data = json.loads(out)
    assert code == 0 and [d["slug"] for d in data] == ["fixture-lumbar-tf"]
    assert LIST_KEYS <= set(data[0]) and data[0]["kind"] == "procedure" and data[0]["steps"] == 4 and data[0]["images"] == 4
    assert "L4-L5" in data[0]["levels"]


def test_list_text_and_bad_level(capsys, content_db):
    code, out, _ = run(capsys, "--db", str(content_db), "list", "--level", "C7T1")
    assert code == 0 and "fixture-cervical-il" in out
    code, _, err = run(capsys, "--db", str(content_db), "list", "--level", "L9")
    assert code == 1 and "unknown level 'L9'" in err


def test_show_prints_the_whole_page(capsys, content_db):
    code, out, _ = run(capsys, "--db", str(content_db), "show", "fixture-cervical-il")
    assert code == 0
    for expected in (
        "FIXTURE CERVICAL INTERLAMINAR INJECTION", "Levels: C6-C7, C7-T1", "Version 1.0.0", "pending expert review",
        "SAFETY-CRITICAL POINTS", "## Indications", "## Pearls and pitfalls", "Step 4. Fixture step 4",
        "Image: Fixture image fci-1", "Labels: L4 pedicle, Safe triangle, Needle path, Exiting nerve root",
        "(image not yet available)", "## References", "[1] Alpha A, Beta B.", "educational aid",
    ):
        assert expected in out, expected


def test_show_unknown_slug_suggests(capsys, content_db):
    code, _, err = run(capsys, "--db", str(content_db), "show", "fixture")
    assert code == 1 and "no page 'fixture'" in err and "did you mean" in err


def test_search_json_shape(capsys, content_db):
    code, out, _ = run(capsys, "--db", str(content_db), "search", "vertebral artery", "--json")
    hits = json.loads(out)
    assert code == 0 and hits and {"slug", "title", "snippet"} <= set(hits[0])
    code, out, _ = run(capsys, "--db", str(content_db), "search", '"')
    assert code == 0 and "no matches" in out


def test_missing_database_message(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "none.db"), "list"])
    assert exit_.value.code == 1
    assert "was not found" in capsys.readouterr().err


def test_python_dash_m_entry_point(content_db):
    result = subprocess.run(
        [sys.executable, "-m", "atlas", "--db", str(content_db), "list", "--json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 3
    # terminal look-ups never load Qt
    check = subprocess.run(
        [sys.executable, "-c", "import sys, atlas.cli as c; c.main(['--db', sys.argv[1], 'list']); print('PySide6' in sys.modules)", str(content_db)],
        capture_output=True, text=True, timeout=60,
    )
    assert check.stdout.strip().endswith("False")


def test_show_draws_charts_as_text(capsys, content_db):
    code, out, _ = run(capsys, "--db", str(content_db), "show", "fixture-topic")
    assert code == 0 and "[Chart] Fixture misplacement rates" in out and "6–15%" in out and "chart:" not in out


def test_screenshot_refuses_a_step_the_page_does_not_have(content_db, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "atlas", "--db", str(content_db), "screenshot", "--page", "fixture-topic", "--step", "9",
         "--out", str(tmp_path / "x.png")],
        capture_output=True, text=True, timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1 and "there is no step 9" in result.stderr and not (tmp_path / "x.png").exists()
