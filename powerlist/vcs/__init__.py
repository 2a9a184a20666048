"""The data's git history: git access, revisions field by field, the semantic diff and its renderers, the
reform report, the change feed, and what they add to the site."""
