"""The content manifest: missing, truncated, tampered and too-new databases are named in plain words."""

import json
import shutil

import pytest

from atlas.db.integrity import manifest_path, verify
from atlas.db.schema import SCHEMA_VERSION


@pytest.fixture
def copy(content_db, tmp_path):
    db = tmp_path / "atlas.db"
    shutil.copy(content_db, db)
    shutil.copy(manifest_path(content_db), manifest_path(db))
    return db


def test_intact(copy):
    result = verify(copy)
    assert result.ok and result.kind == "ok"


def test_missing(tmp_path):
    result = verify(tmp_path / "nothing.db")
    assert result.kind == "missing" and "missing" in result.message and "notes" in result.message


def test_truncated(copy):
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) // 2])
    result = verify(copy)
    assert result.kind == "truncated" and "cut short" in result.message


def test_tampered(copy):
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    result = verify(copy)
    assert result.kind == "tampered" and "cannot be trusted" in result.message


def test_too_new_and_missing_manifest(copy):
    m = manifest_path(copy)
    record = json.loads(m.read_text())
    record["schema_version"] = SCHEMA_VERSION + 1
    m.write_text(json.dumps(record))
    assert verify(copy).kind == "too-new" and "Update the app" in verify(copy).message
    m.unlink()
    assert verify(copy).kind == "no-manifest"
    m.write_text("{ not json")
    assert verify(copy).kind == "no-manifest"


def test_the_check_run_during_start_up_gives_the_same_answer(copy):
    from atlas.db.integrity import BackgroundCheck

    assert BackgroundCheck(copy).result() == verify(copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 3] ^= 0xFF
    copy.write_bytes(bytes(data))
    result = BackgroundCheck(copy).result()
    assert result == verify(copy) and result.kind == "tampered"


def test_a_file_that_cannot_be_read_is_named_not_raised(copy, monkeypatch):
    import atlas.db.integrity as integrity

    def refuse(_path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(integrity, "file_sha256", refuse)
    result = integrity.BackgroundCheck(copy).result()
    assert not result.ok and result.kind == "unreadable" and "Permission denied" in result.message


def test_a_fault_in_the_check_reaches_the_caller(copy, monkeypatch):
    import atlas.db.integrity as integrity

    def broken(_path):
        raise RuntimeError("a bug, not a damaged file")

    monkeypatch.setattr(integrity, "file_sha256", broken)
    check = integrity.BackgroundCheck(copy)
    with pytest.raises(RuntimeError, match="a bug"):
        check.result()
