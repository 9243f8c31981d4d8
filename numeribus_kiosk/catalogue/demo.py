"""The embedded demo data: real French records, a demo schedule and a demo agenda.

The kiosk starts on them when its catalogue is empty, so that a new bus (or a
developer's machine) shows real titles at once.  Everything loaded here is marked
as demo data; the next real import or sync replaces it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..settings import load_settings
from ..store import open_catalogue_db
from . import schedule
from .importer import CatalogueImportError, import_files

DEMO_CATALOGUE = "catalogue-demo.mrc"


class DemoError(Exception):
    """The demo data is missing or unreadable (a broken installation)."""


def demo_catalogue_path() -> Path:
    return schedule.demo_dir() / DEMO_CATALOGUE


def catalogue_is_empty(db) -> bool:
    return db.execute("SELECT NOT EXISTS (SELECT 1 FROM records)").fetchone()[0] == 1


def load_demo_data(data_dir: Path, *, force: bool = False, today: date | None = None) -> dict:
    """Load the demo catalogue (only into an empty catalogue unless `force`), schedule and agenda."""
    path = demo_catalogue_path()
    if not path.is_file():
        raise DemoError(f"The demo catalogue {path} is missing; reinstall the application.")
    options = load_settings(data_dir).reader_options()
    db = open_catalogue_db(data_dir)
    try:
        loaded = False
        if force or catalogue_is_empty(db):
            try:
                import_files(db, [path], options=options)
            except CatalogueImportError as exc:
                raise DemoError(str(exc)) from exc
            loaded = True
        try:
            passages, workshops = schedule.load_demo(db, today or date.today())
        except schedule.ScheduleError as exc:
            raise DemoError(str(exc)) from exc
        records = db.execute("SELECT count(*) FROM records").fetchone()[0]
    finally:
        db.close()
    return {"catalogue_loaded": loaded, "records": records, "passages": passages, "workshops": workshops}
