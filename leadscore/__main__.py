"""python -m leadscore: the same as the leadscore command."""

import sys

from leadscore.cli import main

sys.exit(main())
