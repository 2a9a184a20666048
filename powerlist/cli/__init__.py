"""CLI subcommands, one module per feature (see ``powerlist.cli.COMMAND_MODULES``)."""
