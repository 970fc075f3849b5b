"""``python -m cdcpos.cli``: the same as the ``cdcpos`` command."""

import sys

from cdcpos.cli import main

sys.exit(main())
