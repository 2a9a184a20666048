"""Drawings made at build time as static SVG: the flowchart of an item's 运行流程, bar charts, and the text
measurement and markup both share. Knows the records, nothing else."""
