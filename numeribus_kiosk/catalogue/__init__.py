"""The local catalogue: record model, readers, import, index and search (no Qt).

Entry point for the UI and the benchmarks::

    from numeribus_kiosk.catalogue import open_catalogue
    with open_catalogue(data_dir) as catalogue:
        result = catalogue.search("victor h", filters={"on_board": True}, limit=20)
"""

from __future__ import annotations

import os
from pathlib import Path

from .record import AUDIENCES, DOC_TYPES, Author, Copy, ReaderOptions, Record, Skipped
from .search import Catalogue, SearchResult


def open_catalogue(data_dir: str | os.PathLike | None = None, *, check_same_thread: bool = True) -> Catalogue:
    """Open catalogue.db in `data_dir` (resolved as on the command line) for searching."""
    from ..store import open_catalogue_db, resolve_data_dir

    db = open_catalogue_db(Path(resolve_data_dir(data_dir)), check_same_thread=check_same_thread)
    return Catalogue(db, close_db=True)


__all__ = [
    "AUDIENCES",
    "DOC_TYPES",
    "Author",
    "Catalogue",
    "Copy",
    "ReaderOptions",
    "Record",
    "SearchResult",
    "Skipped",
    "open_catalogue",
]
