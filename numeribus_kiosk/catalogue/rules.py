"""Local rules a library sets for its catalogue: which copies are on board, what is DYS-adapted.

Readers call `apply_local_rules` on every record they build, so the same
configuration gives the same answer whatever the input format.  The rule's
strings are folded once per configuration, not once per record: this runs for
every record of a 250,000-record import.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .record import ReaderOptions, Record
from .text import fold


@lru_cache(maxsize=8)
def _compiled(
    bus_locations: frozenset[str], publishers: tuple[str, ...], subjects: tuple[str, ...], prefixes: tuple[str, ...]
) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return (
        frozenset(b.strip().upper() for b in bus_locations),
        tuple(fold(p) for p in publishers if p),
        tuple(fold(s) for s in subjects if s),
        tuple(p.upper() for p in prefixes if p),
    )


def _rules(options: ReaderOptions):
    return _compiled(
        options.bus_locations, options.dys_publishers, options.dys_subjects, options.dys_call_number_prefixes
    )


def is_dys_adapted(record: Record, options: ReaderOptions) -> bool:
    """True when the record matches the configured DYS rule (publisher, subject or call number)."""
    _, publishers, subjects, prefixes = _rules(options)
    if record.publisher and publishers:
        publisher = fold(record.publisher)
        if any(p in publisher for p in publishers):
            return True
    if record.subjects and subjects:
        text = " " + " ".join(fold(s) for s in record.subjects) + " "
        if any(s in text for s in subjects):
            return True
    return bool(prefixes) and any(c.call_number.strip().upper().startswith(prefixes) for c in record.copies)


def apply_local_rules(record: Record, options: ReaderOptions) -> Record:
    """Mark on-board copies and the DYS flag according to `options`."""
    locations = _rules(options)[0]
    if any(c.on_board != (c.location.strip().upper() in locations) for c in record.copies):
        record = replace(
            record,
            copies=tuple(replace(c, on_board=c.location.strip().upper() in locations) for c in record.copies),
        )
    if not record.dys and is_dys_adapted(record, options):
        record = replace(record, dys=True)
    return record
