"""The `numeribus-sync` subcommands, one module each (see sync/cli.py)."""
