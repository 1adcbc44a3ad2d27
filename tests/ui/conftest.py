import pytest
from PySide6.QtCore import QSettings

from atlas.ui.main_window import MainWindow
from atlas.ui.workers import running_threads


@pytest.fixture(autouse=True)
def no_worker_thread_left_running(qtbot):
    """A window's worker threads end with its ``shutdown()``; one still running when the interpreter exits
    aborts it ("QThread: Destroyed while thread is still running")."""
    yield
    qtbot.wait(50)  # queued events and timers due now (an image arriving late, the warm-up timer)
    assert running_threads() == [], "worker threads still running after the test"


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
