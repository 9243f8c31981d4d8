"""Catalogue imports at headquarters: library exports -> `record` entities of the change log.

The files given to one import are the whole catalogue (as on the bus, `numeribus_kiosk`'s
importer): they are read with the kiosk's readers (same formats, same local rules, same
reader options from config.toml), then `publish.replace_all` compares each record's content
hash with the one published: a new or changed record gets a new version, a record absent from
the files a tombstone, an unchanged record nothing.  Records are encoded where they are read
(in the readers' worker processes for big ISO 2709 files) and staged in a TEMP table, so that
hq.db is written in one short transaction at the end; a file that cannot be read, or an
import without a single usable record, aborts before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

import sqlite_utils

from numeribus_kiosk.catalogue.importer import expand_paths
from numeribus_kiosk.catalogue.readers import CatalogueReadError, read_file
from numeribus_kiosk.catalogue.record import Author, Copy, ReaderOptions, Record, Skipped

from . import publish, snapshots
from .database import get_meta, set_meta, write_transaction

KIND = "record"
IMPORTED_AT = "catalogue_imported_at"

_RECORD_FIELDS = tuple(f.name for f in fields(Record))
_AUTHOR_FIELDS = tuple(f.name for f in fields(Author))
_COPY_FIELDS = tuple(f.name for f in fields(Copy))


class CatalogueImportError(Exception):
    """The import could not be done; the published catalogue is untouched."""


def record_data(record: Record) -> dict:
    """The JSON form of `Record.to_dict()` (lists for tuples; tested), without `asdict`'s deep copies."""
    data = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["authors"] = [{n: getattr(a, n) for n in _AUTHOR_FIELDS} for a in record.authors]
    data["copies"] = [{n: getattr(c, n) for n in _COPY_FIELDS} for c in record.copies]
    data["isbn"] = list(record.isbn)
    data["subjects"] = list(record.subjects)
    return data


def encode_record(record: Record) -> tuple[str, str, str]:
    """(id, canonical JSON, content hash); top level so that reader workers can run it."""
    return (record.id, *publish.encode(record_data(record)))


@dataclass(slots=True)
class CatalogueReport:
    files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files of a folder that are not catalogue files
    read: int = 0  # records met, usable or not
    imported: int = 0  # distinct records in the catalogue now
    duplicates: list[dict] = field(default_factory=list)  # a later record replaced an earlier one with its id
    skipped: list[Skipped] = field(default_factory=list)
    diff: publish.Diff = field(default_factory=publish.Diff)
    version: int = 0  # the change log's version after the import
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "ignored": self.ignored,
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": [{"file": s.file, "position": s.position, "reason": s.reason} for s in self.skipped],
            "changed": self.diff.changed,
            "added": self.diff.added,
            "updated": self.diff.updated,
            "removed": self.diff.removed,
            "unchanged": self.diff.unchanged,
            "version": self.version,
            "seconds": round(self.seconds, 3),
        }


def import_catalogue(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    now: datetime,
    *,
    format: str = "auto",
    options: ReaderOptions | None = None,
    workers: int | None = None,
) -> CatalogueReport:
    """Publish the records of `paths` as the whole catalogue; raise CatalogueImportError if impossible.

    Does not rebuild the snapshot: callers do (`snapshots.build_snapshot`), after any other
    publishing of the same run.
    """
    started = time.perf_counter()
    files, ignored = expand_paths(paths)
    report = CatalogueReport(files=[str(f) for f in files], ignored=[str(f) for f in ignored])
    if not files:
        raise CatalogueImportError("No catalogue file to import (.mrc, .xml or .csv).")
    seen: dict[str, tuple[str, int]] = {}

    def entries() -> Iterator[tuple[str, str, str]]:
        for path in files:
            position = 0
            for item in read_file(path, format=format, options=options, workers=workers, transform=encode_record):
                report.read += 1
                position += 1
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                record_id = item[0]
                if not record_id:
                    report.skipped.append(Skipped(position, "no record id", str(path)))
                    continue
                earlier = seen.get(record_id)
                if earlier is not None:
                    report.duplicates.append(
                        {
                            "id": record_id,
                            "file": str(path),
                            "position": position,
                            "replaces_file": earlier[0],
                            "replaces_position": earlier[1],
                        }
                    )
                seen[record_id] = (str(path), position)
                yield item

    try:
        report.diff = publish.replace_all(db, KIND, entries(), now)
    except CatalogueReadError as exc:
        raise CatalogueImportError(f"{exc} The published catalogue is kept.") from exc
    except publish.EmptySetError as exc:
        raise CatalogueImportError(
            f"No usable record in {', '.join(report.files)} ({report.read} read, "
            f"{len(report.skipped)} skipped). The published catalogue is kept."
        ) from exc
    with write_transaction(db):
        set_meta(db, IMPORTED_AT, now.isoformat(timespec="seconds"))
    report.imported = len(seen)
    report.version = publish.current_version(db)
    report.seconds = time.perf_counter() - started
    return report


def get_record(db: sqlite_utils.Database, record_id: str) -> Record | None:
    """The published record `record_id`, or None."""
    change = publish.get(db, KIND, record_id)
    if change is None or change.deleted:
        return None
    return Record.from_dict(change.data)


def stats(db: sqlite_utils.Database) -> dict:
    """What `catalogue stats` prints."""
    snapshot = snapshots.latest_snapshot(db)
    return {
        "records": publish.count_live(db, KIND),
        "passages": publish.count_live(db, "passage"),
        "workshops": publish.count_live(db, "workshop"),
        "version": publish.current_version(db),
        "tombstones": publish.count_tombstones(db),
        "log_start": publish.log_start(db),
        "snapshot_version": snapshot.version if snapshot else None,
        "snapshot_chunks": len(snapshot.chunks) if snapshot else 0,
        "snapshot_size": snapshot.size if snapshot else 0,
        "imported_at": get_meta(db, IMPORTED_AT),
    }
