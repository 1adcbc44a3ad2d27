import json

from atlas.db.userdata import UserStore
from atlas.ui.recovery import RecoveryWindow


def test_recovery_window_still_gives_the_user_their_notes(qtbot, tmp_path):
    store = UserStore(tmp_path / "user.db")
    store.add_bookmark("caudal-esi", 2)
    store.set_note("sacroplasty", "check the S1 foramina")
    window = RecoveryWindow("The atlas content has changed since it was built, so it cannot be trusted.", store)
    qtbot.addWidget(window)
    window.show()
    items = [window.notes.item(i).text() for i in range(window.notes.count())]
    assert any("Caudal esi — step 2" in t for t in items) and any("check the S1 foramina" in t for t in items)
    assert "cannot be trusted" in window.message.text()
    out = tmp_path / "rescued.json"
    assert window.export(str(out)) and json.loads(out.read_text())["notes"][0]["slug"] == "sacroplasty"
