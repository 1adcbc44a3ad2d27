"""The virtual C-arm's Qt-free side: prompts, CT offsets, cache upkeep."""

from pathlib import Path

from atlas.live import Angles, LiveScene, distance_mm, prune_phantom_cache


def test_prune_keeps_only_the_volume_this_version_loads(tmp_path, monkeypatch):
    from atlas.phantom import Phantom

    current = tmp_path / f"lumbar-full-{Phantom.hash_for('lumbar', 'full')}"
    old = tmp_path / "lumbar-full-0123456789abcdef"
    other_region = tmp_path / "cervical-full-0123456789abcdef"
    for folder in (current, old, other_region):
        folder.mkdir()
        (folder / "meta.json").write_text("{}")
    removed = prune_phantom_cache(tmp_path, "lumbar")
    assert removed == [old] and current.exists() and other_region.exists() and not old.exists()


def test_prompt_checks_and_a_prompt_the_phantom_cannot_check(test_phantom):
    spec = {"modality": "fluoroscopy", "region": "lumbar", "oblique": 25, "craniocaudal": 6, "level": "L4"}
    scene = LiveScene(spec, {"text": "Oblique", "check": {"oblique": [20, 30]}}, phantom=test_phantom("lumbar"), size=128)
    assert scene.check_prompt(Angles("prone", 25, 6)).ok
    assert not scene.check_prompt(Angles("prone", 5, 6)).ok
    odd = LiveScene(spec, {"text": "x", "check": {"squared": "S1.superior"}}, phantom=test_phantom("lumbar"), size=128)
    result = odd.check_prompt(Angles("prone", 0, 0))
    assert not result.ok and "cannot be checked" in result.message


def test_distance():
    assert distance_mm((0, 0), (3, 4), 2.0) == 10.0
