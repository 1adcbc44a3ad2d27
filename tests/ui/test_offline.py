"""Offline, provably: every page, step, quiz, card and export with network sockets made impossible."""

import socket
import sys

import pytest

from atlas.db.repository import ContentRepository
from atlas.db.userdata import UserStore
from atlas.ui.main_window import MainWindow


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=socket.AF_INET, *args, **kwargs):
            if family in (socket.AF_INET, socket.AF_INET6):
                raise NetworkUsed(f"network socket opened (family {family})")
            super().__init__(family, *args, **kwargs)

    def refuse(*args, **kwargs):
        raise NetworkUsed("network lookup or connection attempted")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        if name != "socketpair":
            monkeypatch.setattr(socket, name, refuse)
    yield


def test_the_whole_atlas_works_with_the_network_forbidden(qtbot, settings, real_db, tmp_path, no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))  # the guard itself works
    repo = ContentRepository(real_db)
    window = MainWindow(repo, settings, UserStore(tmp_path / "user.db"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.viewerReady, timeout=10000):
        window.show()
    visited = 0
    for slug in repo.slugs():
        page = repo.page(slug)
        window.open_page(slug)
        for step in page.steps:
            with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
                window.open_step(step.number)
            visited += 1
        window.page_view.toHtml()
    assert visited >= 200
    window.open_page(repo.slugs()[0])
    assert window.print_card(str(tmp_path / "card.pdf"))
    assert window.export_user_data(str(tmp_path / "export.json"))
    dialog = window.show_study()
    qtbot.waitUntil(lambda: dialog.current is not None or dialog.answer_stack.currentIndex() == 3, timeout=10000)
    dialog.reject()
    window.show_search()
    with qtbot.waitSignal(window.search_popup.resultsShown, timeout=5000):
        window.search_popup.edit.setText("vertebral artery")
    assert window.search_popup.hits
    window.shutdown()
    repo.close()
    assert "PySide6.QtNetwork" not in sys.modules, "nothing may load Qt's network module"
