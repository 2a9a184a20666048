"""Where the site puts the pages of items, departments, categories and laws (URL patterns, relative to the
site root, each ending with '/': the page is written to ``<url>index.html``).

Shared by everything that writes or links those pages: the site's generator, the build's completeness check,
and features that link to an item or a law."""
from __future__ import annotations

ITEM_URL = "items/{code}/"
DEPARTMENT_URL = "departments/{id}/"
CATEGORY_URL = "categories/{slug}/"
LAW_URL = "laws/{id}/"
STATS_URL = "stats/"


def category_slug(letters: str) -> str:
    """The URL segment of a category: its code letters in lower case (行政许可, XK → ``xk``)."""
    return letters.lower()
