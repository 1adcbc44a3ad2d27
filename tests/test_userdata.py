from atlas.db.userdata import UserStore


def test_bookmarks_and_notes_persist(tmp_path):
    path = tmp_path / "user.db"
    store = UserStore(path)
    store.add_bookmark("lumbar-transforaminal-esi", 3)
    store.add_bookmark("lumbar-transforaminal-esi", 3)
    store.set_note("caudal-esi", "Check the hiatus with a 100% cranial view")
    store.close()
    store = UserStore(path)
    assert [(b.slug, b.step) for b in store.bookmarks()] == [("lumbar-transforaminal-esi", 3)]
    assert store.is_bookmarked("lumbar-transforaminal-esi", 3)
    assert store.note("caudal-esi").startswith("Check the hiatus")
    assert [n.slug for n in store.search_notes("100%")] == ["caudal-esi"]
    assert store.search_notes("_") == []
    store.set_note("caudal-esi", "  ")
    assert store.notes() == []
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_corrupt_user_database_is_moved_aside_not_deleted(tmp_path):
    path = tmp_path / "user.db"
    path.write_bytes(b"garbage" * 1000)
    store = UserStore(path)
    assert store.moved_aside is not None and store.moved_aside.exists()
    assert store.moved_aside.read_bytes() == b"garbage" * 1000
    store.add_bookmark("x")
    assert store.bookmarks()[0].slug == "x"
