"""The landmark table is computed once per phantom version and read back from disk after that."""

import numpy as np

from atlas.phantom import landmark_cache


def test_table_is_saved_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(landmark_cache, "_folder", None)
    landmark_cache.use_folder(tmp_path)
    (tmp_path / "landmarks-0000000000000000.npz").write_bytes(b"an earlier version's table")
    calls = []

    def compute():
        calls.append(1)
        return {"L4.R.pedicle": np.array([-20.0, 10.5, 60.25]), "L4-L5.disc-centre": np.array([0.0, -5.0, 40.0])}

    first = landmark_cache.cached(compute)
    second = landmark_cache.cached(compute)
    assert len(calls) == 1
    assert first.keys() == second.keys() and all(np.array_equal(first[k], second[k]) for k in first)
    assert [p.name for p in tmp_path.glob("landmarks-*.npz")] == [f"landmarks-{landmark_cache.code_digest()}.npz"]


def test_a_damaged_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    monkeypatch.setattr(landmark_cache, "_folder", None)
    landmark_cache.use_folder(tmp_path)
    (tmp_path / f"landmarks-{landmark_cache.code_digest()}.npz").write_bytes(b"PK\x03\x04 truncated")
    table = {"C5.L.pedicle": np.array([1.0, 2.0, 3.0])}
    assert landmark_cache.cached(lambda: table) is table  # unreadable: computed again, and saved over
    assert landmark_cache.cached(lambda: {})["C5.L.pedicle"].tolist() == [1.0, 2.0, 3.0]
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    landmark_cache.use_folder(blocked)
    assert landmark_cache.cached(lambda: table) is table
