import pytest
from PySide6.QtCore import QSettings

from atlas.ui.main_window import MainWindow


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    made = []

    def make(repo):
        window = MainWindow(repo, settings)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.viewerReady, timeout=10000):
            window.show()
        window.live.prepared = True  # no warm-up of the real phantom in the background of UI tests
        made.append(window)
        return window

    yield make
    for window in made:
        window.shutdown()


@pytest.fixture
def window(make_window, repo):
    return make_window(repo)
