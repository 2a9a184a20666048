"""The bottom layer: the records of a power list (items, departments, laws), the Catalog that holds them, the
field specs the validator and the JSON Schema are both made from, settings, errors, citation text and counts.
Imports nothing from the other layers."""
