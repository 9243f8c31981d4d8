"""Importing catalogue files into catalogue.db: reading, local rules, atomic swap.

The files given to one import are the whole new catalogue.  Records stream from
the readers into the index's staging tables; the previous catalogue stays
searchable until the new one is complete and is then swapped in (see
`index.replace_all`).  A file that cannot be read at all aborts the import and
keeps the previous catalogue: a partial catalogue never replaces a whole one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import index
from .readers import CatalogueReadError, read_file
from .record import ReaderOptions, Skipped

# What a folder walk picks up; files named explicitly are always read.
CATALOGUE_EXTENSIONS = frozenset({".mrc", ".marc", ".iso", ".iso2709", ".dat", ".xml", ".marcxml", ".csv"})


class CatalogueImportError(Exception):
    """The import could not produce a new catalogue; the previous one is untouched."""


@dataclass(slots=True)
class ImportReport:
    files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files of a folder that are not catalogue files
    read: int = 0  # records met, usable or not
    imported: int = 0  # distinct records in the new catalogue
    duplicates: list[dict] = field(default_factory=list)  # a later record replaced an earlier one with its id
    skipped: list[Skipped] = field(default_factory=list)
    result: index.ImportResult | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        result = self.result
        return {
            "files": self.files,
            "ignored": self.ignored,
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": [{"file": s.file, "position": s.position, "reason": s.reason} for s in self.skipped],
            "changed": bool(result and result.changed),
            "added": result.added if result else 0,
            "updated": result.updated if result else 0,
            "removed": result.removed if result else 0,
            "unchanged": result.unchanged if result else 0,
            "seconds": round(self.seconds, 3),
        }


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Files to read, and files of the given folders that were left aside."""
    files: list[Path] = []
    ignored: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                (files if child.suffix.lower() in CATALOGUE_EXTENSIONS else ignored).append(child)
        else:
            files.append(path)
    return files, ignored


def import_files(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    *,
    format: str = "auto",
    options: ReaderOptions | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Replace the catalogue with the records of `paths`; raise CatalogueImportError if impossible."""
    started = time.perf_counter()
    files, ignored = expand_paths(paths)
    report = ImportReport(files=[str(f) for f in files], ignored=[str(f) for f in ignored])
    if not files:
        raise CatalogueImportError("No catalogue file to import (.mrc, .xml or .csv).")
    seen: dict[str, tuple[str, int]] = {}

    def records() -> Iterator[index.Prepared]:
        for path in files:
            position = 0
            # Records become staging rows where they are read: in the reader's worker
            # processes for big files, so that both cores work.
            for item in read_file(path, format=format, options=options, workers=workers, transform=index.prepare):
                report.read += 1
                position += 1
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                earlier = seen.get(item.id)
                if earlier is not None:
                    report.duplicates.append(
                        {
                            "id": item.id,
                            "file": str(path),
                            "position": position,
                            "replaces_file": earlier[0],
                            "replaces_position": earlier[1],
                        }
                    )
                seen[item.id] = (str(path), position)
                yield item

    try:
        report.result = index.replace_all(db, records())
    except CatalogueReadError as exc:
        raise CatalogueImportError(f"{exc} The previous catalogue is kept.") from exc
    except index.EmptyImportError as exc:
        raise CatalogueImportError(
            f"No usable record in {', '.join(report.files)} ({report.read} read, "
            f"{len(report.skipped)} skipped). The previous catalogue is kept."
        ) from exc
    report.imported = len(seen)
    report.seconds = time.perf_counter() - started
    return report
