"""Entry point of the frozen app (PyInstaller runs this script)."""

import sys

from atlas.entry import main

if __name__ == "__main__":
    sys.exit(main())
