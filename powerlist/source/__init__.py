"""The data folder as files: reading YAML with positions, the safe file reader, loading into a Catalog,
validation, writing canonical YAML and scaffolding new items. The only layer that reads data YAML."""
