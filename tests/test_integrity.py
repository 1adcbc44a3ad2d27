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
