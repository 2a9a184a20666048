"""The ``powerlist`` command line: :mod:`powerlist.cli.main` parses and dispatches; one module per command group
(core, site, audit, exchange) registers its subcommands (see ``powerlist.cli.main.COMMAND_MODULES``)."""
