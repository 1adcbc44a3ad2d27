from pathlib import Path

from atlas import resources
from atlas.ui import app


def test_portable_marker_moves_user_data_beside_the_app(monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "app_folder", lambda: tmp_path)
    assert resources.portable_folder() is None
    assert app.user_data_folder() != tmp_path / "user-data"
    (tmp_path / "portable").write_text("")
    assert app.user_data_folder() == tmp_path / "user-data"
    assert Path(app.user_settings().fileName()) == tmp_path / "user-data" / "settings.ini"
    store = app.open_user_store()
    assert store.path == tmp_path / "user-data" / "user.db" and store.path.exists()
    store.close()
