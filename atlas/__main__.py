import sys

from atlas.entry import main

sys.exit(main())
