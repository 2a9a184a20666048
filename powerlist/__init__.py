"""powerlist: an administrative power list (行政权力清单) as a validated git repository and static site."""
from __future__ import annotations

__version__ = "0.1.0"
