"""Local rules a library sets for its catalogue: which copies are on board, what is DYS-adapted.

Readers call `apply_local_rules` on every record they build, so the same
configuration gives the same answer whatever the input format.
"""

from __future__ import annotations

from dataclasses import replace

from .record import Copy, ReaderOptions, Record
from .text import fold


def is_dys_adapted(record: Record, options: ReaderOptions) -> bool:
    """True when the record matches the configured DYS rule (publisher, subject or call number)."""
    publisher = fold(record.publisher)
    if any(fold(p) in publisher for p in options.dys_publishers if p):
        return True
    subjects = " " + " ".join(fold(s) for s in record.subjects) + " "
    if any(fold(s) in subjects for s in options.dys_subjects if s):
        return True
    prefixes = tuple(p.upper() for p in options.dys_call_number_prefixes if p)
    return bool(prefixes) and any(c.call_number.strip().upper().startswith(prefixes) for c in record.copies)


def apply_local_rules(record: Record, options: ReaderOptions) -> Record:
    """Mark on-board copies and the DYS flag according to `options`."""
    copies = tuple(
        c if c.on_board == options.is_on_board(c.location) else replace(c, on_board=options.is_on_board(c.location))
        for c in record.copies
    )
    record = replace(record, copies=copies)
    return replace(record, dys=record.dys or is_dys_adapted(record, options))


__all__ = ["Copy", "apply_local_rules", "is_dys_adapted"]
