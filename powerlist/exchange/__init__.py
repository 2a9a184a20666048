"""Spreadsheet and open-data exchange: exports and the static JSON API (``export``), import of the Excel/CSV
lists departments already keep (``importer``), legal-basis text parsing (``basis_parser``), and the site's
数据下载 page (``contribution``)."""
