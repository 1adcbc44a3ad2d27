"""The spine-atlas entry point: no arguments start the window, anything else goes to the command line."""

import subprocess
import sys

import atlas.entry
from atlas import resources


def test_no_arguments_start_the_window_on_the_default_content(monkeypatch, tmp_path):
    started = []
    monkeypatch.setenv("SPINE_ATLAS_DB", str(tmp_path / "spine-atlas.db"))
    monkeypatch.setattr(atlas.entry, "start_app", lambda db: started.append(db) or 0)
    assert atlas.entry.main([]) == 0
    assert started == [resources.default_database()] == [tmp_path / "spine-atlas.db"]


def test_arguments_go_to_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr(atlas.entry, "start_app", lambda db: (_ for _ in ()).throw(AssertionError("window started")))
    try:
        atlas.entry.main(["--version"])
    except SystemExit as done:
        assert done.code == 0
    assert capsys.readouterr().out.startswith("spine-atlas ")


def test_the_window_path_does_not_load_the_command_line_parser():
    # what `python -m atlas` loads before the window module: the parser and the subcommands stay out
    code = (
        "import sys, atlas.entry\n"
        "atlas.entry.start_app = lambda db: 0\n"
        "atlas.entry.main([])\n"
        "print(' '.join(m for m in ('argparse', 'atlas.cli', 'atlas.charting') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
