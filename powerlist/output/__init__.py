"""The contract every feature writes the site through: Page, Asset, NavLink, Contribution and BuildContext,
stamped deterministic writing of files, and the URL patterns of the site's pages."""
