"""Mediator mode: the PIN that guards it (`pin`), its tables in journal.db (`schema`) and its
command-line sub-commands (`commands`).

Nothing in this package imports Qt: the screens call into it.
"""
