"""Starting the app: the QApplication it creates (each in a fresh process: tests share one QApplication)."""

import os
import subprocess
import sys


def run_fresh(code: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_app_runs_in_the_fusion_style_on_every_platform():
    # chosen on the app's command line; the stylesheet wraps it, so it is cleared before looking
    out = run_fresh(
        "from atlas.ui.app import application\n"
        "app = application(['spine-atlas'])\n"
        "app.setStyleSheet('')\n"
        "print(app.style().metaObject().className(), app.palette().window().color().name())\n"
    )
    style, window_colour = out.split()
    assert style == "QFusionStyle"
    from atlas.ui.theme import READING

    assert window_colour == READING.palette["Window"].lower()
