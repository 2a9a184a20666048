"""``python -m powerlist.cli``: the same as the ``powerlist`` command."""
from __future__ import annotations

import sys

from .main import main

sys.exit(main())
