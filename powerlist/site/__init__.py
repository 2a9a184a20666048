"""The public website: the all-or-nothing build, the Pelican glue (generator and plugin), the integrity
manifest and its verification, rendering helpers (Markdown, citations, Jinja filters)."""
