import sqlite3

import pytest

from atlas.db.repository import ContentDatabaseError, ContentRepository, fts_query


def slugs(pages):
    return [p.slug for p in pages]


def test_list_by_level_segment_and_region(repo):
    assert slugs(repo.list_pages(level="L45")) == ["fixture-lumbar-tf"]
    assert slugs(repo.list_pages(level="L4")) == ["fixture-lumbar-tf"]
    assert slugs(repo.list_pages(level="C7")) == ["fixture-cervical-il"]  # C7 touches C6-C7 and C7-T1
    assert slugs(repo.list_pages(level="T1")) == ["fixture-cervical-il"]
    assert slugs(repo.list_pages(level="cervical")) == ["fixture-cervical-il"]
    assert repo.list_pages(level="T6") == []
    assert len(repo.list_pages()) == 3


def test_broader_approach_finds_narrower_pages(repo):
    assert slugs(repo.list_pages(approach="posterior")) == ["fixture-cervical-il", "fixture-lumbar-tf"]
    assert slugs(repo.list_pages(approach="interlaminar")) == ["fixture-cervical-il"]
    assert repo.list_pages(approach="anterior") == []
    assert slugs(repo.list_pages(level="L5-S1", approach="transforaminal")) == ["fixture-lumbar-tf"]


def test_unknown_level_or_approach_is_a_clear_error(repo):
    with pytest.raises(ValueError, match="unknown level 'L9'"):
        repo.list_pages(level="L9")
    with pytest.raises(ValueError, match="unknown approach 'sideways'"):
        repo.list_pages(approach="sideways")


def test_approaches_at_level_include_broader_terms(repo):
    assert repo.approaches_at("C7-T1") == ["posterior", "paramedian", "interlaminar"]
    assert "transforaminal" in repo.approaches_at("L4") and "interlaminar" not in repo.approaches_at("L4")


def test_page_is_complete(repo):
    page = repo.page("fixture-cervical-il")
    assert page.title == "Fixture cervical interlaminar injection"
    assert page.summary.steps == 4 and page.summary.images == 3
    assert [s.title for s in page.sections][:2] == ["Indications", "Contraindications"]
    assert page.references[0].number == 1 and page.references[0].citation.startswith("Alpha A, Beta B.")
    assert page.safety and "vertebral artery" in page.safety[0].text
    assert page.review_status == "pending expert review" and page.version == "1.0.0"
    assert {i.id: i.available for i in page.images} == {"fci-1": True, "fci-2": True, "fixture-pending": False}
    assert repo.page("nope") is None


def test_image_with_annotations(repo):
    image = repo.image("flt-1")
    assert image.png.startswith(b"\x89PNG") and (image.info.width, image.info.height) == (160, 128)
    kinds = [a.kind for a in image.annotations]
    assert kinds == ["point", "arrow", "polyline", "polygon"]
    assert [layer.name for layer in image.layers] == ["anatomy", "danger", "target", "trajectory"]
    assert repo.image("fixture-pending").info.available is False


@pytest.mark.parametrize("query", ['C5.6', '"', "L4-5", "*", "AND", "NEAR(", "a OR", "'", "(", "-", "^", ":", "\\", "ü", " "])
def test_search_never_raises(repo, query):
    assert isinstance(repo.search(query), list)


def test_search_ranks_and_snippets(repo):
    hits = repo.search("vertebral artery")
    assert hits and hits[0].snippet.count("[") >= 1
    assert {h.slug for h in hits} == {"fixture-lumbar-tf", "fixture-cervical-il"}
    assert repo.search("TFESI")[0].slug == "fixture-lumbar-tf"
    assert repo.search("L45")[0].slug == "fixture-lumbar-tf"
    assert repo.search("L4-5")[0].slug == "fixture-lumbar-tf"
    assert repo.search("epidurogr")[0].slug == "fixture-topic"  # prefix while typing
    assert len(repo.search("fixture", limit=2)) == 2


def test_fts_query_quotes_everything():
    assert fts_query('C5.6') == '("C5" "6") OR "C5C6"'
    assert fts_query('t') == '{title synonyms} : "t"'
    assert fts_query('tr') == '{title synonyms} : "tr"*'
    assert fts_query('pedicle screw') == '"pedicle" "screw"*'
    assert fts_query('"') is None
    assert fts_query("L4-5") == '("L4" "5") OR "L4L5"'


def test_refuses_unknown_schema_version(content_db, tmp_path):
    copy = tmp_path / "old.db"
    copy.write_bytes(content_db.read_bytes())
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    with pytest.raises(ContentDatabaseError, match="uses format 999.*Update the app"):
        ContentRepository(copy)


def test_corrupt_missing_and_foreign_databases_give_messages(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ContentDatabaseError, match="damaged or is not a Spine Atlas database"):
        ContentRepository(junk)
    with pytest.raises(ContentDatabaseError, match="was not found"):
        ContentRepository(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ContentDatabaseError, match="not a Spine Atlas content database"):
        ContentRepository(other)


def test_pages_and_approach_lists_are_kept_and_handed_out_safely(repo, monkeypatch):
    import atlas.db.repository as repository

    monkeypatch.setattr(repository, "PAGES_KEPT", 2)
    first = repo.page("fixture-lumbar-tf")
    assert repo.page("fixture-lumbar-tf") is first  # no second read
    repo.page("fixture-topic")
    repo.page("fixture-lumbar-tf")  # the most recently opened now
    repo.page("fixture-cervical-il")
    assert list(repo._pages) == ["fixture-lumbar-tf", "fixture-cervical-il"]  # the oldest went
    assert repo.page("fixture-topic") == repo._page("fixture-topic")
    found = repo.approaches_at("L4")
    found.append("not an approach")
    assert "not an approach" not in repo.approaches_at("L4")


def test_truncated_database_gives_a_message(content_db, tmp_path):
    cut = tmp_path / "cut.db"
    cut.write_bytes(content_db.read_bytes()[: 8192])
    with pytest.raises(ContentDatabaseError):
        repo = ContentRepository(cut)
        for slug in ["fixture-lumbar-tf", "fixture-topic"]:
            repo.page(slug)
        repo.search("fixture")
        repo.image("flt-1")


def test_snippet_cuts_around_the_first_match_and_brackets_every_match():
    from atlas.db.repository import make_snippet

    words = " ".join(f"w{i}" for i in range(40))
    text = f"{words} the vertebral artery lies in front {words}"
    snip = make_snippet(text, ["vertebrae"])  # same stem as the word in the text
    assert snip.startswith("…") and snip.endswith("…") and "[vertebral]" in snip
    assert len(snip.strip("…").split()) == 14
    assert make_snippet("Short text.", ["zzz"]) == "Short text."
    assert make_snippet("", ["x"]) == ""
    assert make_snippet("Stop at (L4) now", ["l4"]) == "Stop at ([L4]) now"


def test_one_or_two_letters_find_pages_by_name(repo):
    hits = repo.search("fi")
    assert {h.slug for h in hits} == {"fixture-lumbar-tf", "fixture-cervical-il", "fixture-topic"}
    assert all(h.where == "page" for h in hits)
    assert [h.slug for h in repo.search("ce")][:1] == ["fixture-cervical-il"]  # a title word, not only the first
    assert repo.search("zq") == []


def test_a_kept_page_list_cannot_be_changed_by_its_caller(repo):
    first = repo.list_pages(level="L4-L5")
    first.clear()
    assert repo.list_pages(level="L4-L5") and repo.list_pages(level="L4-L5") == repo._list_pages("L4-L5", None)
    with pytest.raises(ValueError):
        repo.list_pages(level="nonsense")


def test_a_trailing_single_letter_waits_for_its_second(repo):
    assert fts_query("vertebral a") == '"vertebral"*'  # "a" would match only the word "a"
    assert fts_query("C5 6").startswith('("C5" "6")')  # a digit is kept (a level being typed)
    assert slugs(repo.search("vertebral a")) == slugs(repo.search("vertebral"))


def test_titles_are_searched_first_and_the_whole_index_when_they_are_too_few(repo, monkeypatch):
    import atlas.db.repository as repository

    monkeypatch.setattr(repository, "TITLES_FIRST_FROM", 0)  # as on an atlas large enough to need it
    queries = []
    ranked = ContentRepository._best_per_page

    def spy(self, query):
        queries.append(query)
        return ranked(self, query)

    monkeypatch.setattr(ContentRepository, "_best_per_page", spy)
    assert slugs(repo.search("topic", limit=1)) == ["fixture-topic"]  # named in its title
    assert queries == ['{title} : ("topic"*)']  # the titles were enough
    queries.clear()
    hits = set(slugs(repo.search("vertebral", limit=3)))
    assert hits == {"fixture-lumbar-tf", "fixture-cervical-il"}  # in their text only: found all the same
    assert queries == ['{title} : ("vertebral"*)', '"vertebral"*']
    monkeypatch.setattr(repository, "TITLES_FIRST_FROM", 10_000)
    queries.clear()
    assert slugs(repo.search("topic", limit=1)) == ["fixture-topic"]
    assert queries == ['"topic"*']  # a small atlas ranks the whole index at once


def test_pages_with_some_of_the_words_follow_those_with_all_of_them(repo, monkeypatch):
    assert repo.search("interlaminar transforaminal") != []  # no page has both words
    assert set(slugs(repo.search("interlaminar transforaminal"))) == {"fixture-cervical-il", "fixture-lumbar-tf"}
    both = slugs(repo.search("vertebral artery transforaminal", limit=3))
    assert both[0] == "fixture-lumbar-tf"  # the only page with every word comes first
    assert "fixture-cervical-il" in both  # then a page with some of them
    queries = []
    ranked = ContentRepository._best_per_page
    monkeypatch.setattr(ContentRepository, "_best_per_page", lambda self, q: queries.append(q) or ranked(self, q))
    assert slugs(repo.search("vertebral artery transforaminal", limit=1)) == ["fixture-lumbar-tf"]
    assert queries == ['"vertebral" "artery" "transforaminal"*']  # enough pages: no second query
