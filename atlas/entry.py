"""The ``spine-atlas`` entry point: the window when started without arguments, else the command line.

Opened from its icon, the atlas gets no arguments; that path goes straight to the window without loading
the command-line parser or the subcommands' modules, so the window is on screen sooner.
"""

from __future__ import annotations

import sys
from pathlib import Path


def start_app(db_path: Path) -> int:
    """Verify the content on a thread while Qt loads, then run the window."""
    from atlas.db.integrity import BackgroundCheck

    pending = BackgroundCheck(db_path)
    # The window's Qt-free modules are loaded before Qt: once imported, PySide6 reads the source of every
    # module imported after it (looking for its __feature__ switches).
    import html  # noqa: F401
    import atlas.db.repository  # noqa: F401
    import atlas.db.userdata  # noqa: F401
    import atlas.history  # noqa: F401
    from atlas.ui.app import run_app

    return run_app(db_path, pending)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        from atlas.cli import main as cli_main

        return cli_main(args)
    from atlas import resources

    try:
        return start_app(resources.default_database())
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
