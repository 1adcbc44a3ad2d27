"""The volume cache keeps one volume per region and quality."""

import os
import time

from atlas.phantom.phantom import Phantom, prune_superseded


def _folder(root, name, age_s=0.0):
    p = root / name
    p.mkdir()
    (p / "meta.json").write_text("{}")
    if age_s:
        t = time.time() - age_s
        os.utime(p, (t, t))
    return p


def test_volumes_of_earlier_code_and_abandoned_builds_are_removed(tmp_path):
    keep = _folder(tmp_path, "lumbar-full-aaaa")
    old = _folder(tmp_path, "lumbar-full-bbbb")
    abandoned = _folder(tmp_path, "lumbar-full-aaaa.x1y2", age_s=7200)
    writing = _folder(tmp_path, "lumbar-full-cccc.z9q8")  # another process is building it now
    other_region = _folder(tmp_path, "cervical-full-bbbb")
    other_quality = _folder(tmp_path, "lumbar-test-bbbb")
    landmarks = tmp_path / "landmarks-0123.npz"
    landmarks.write_bytes(b"")
    removed = prune_superseded(tmp_path, "lumbar", "full", keep=keep.name)
    assert sorted(removed) == sorted([old.name, abandoned.name])
    for p in (keep, writing, other_region, other_quality, landmarks):
        assert p.exists(), p.name


def test_building_a_volume_prunes_the_one_it_supersedes(tmp_path, monkeypatch):
    import atlas.phantom.phantom as P

    monkeypatch.setattr(P, "_MEMO", {})  # build here, not from a volume another test loaded
    stale = _folder(tmp_path, "lumbar-test-0000000000000000")
    Phantom.load("lumbar", tmp_path, quality="test")
    assert not stale.exists()
    assert len(list(tmp_path.glob("lumbar-test-*"))) == 1
