"""Catalogue readers: ISO 2709 (MARC21/UNIMARC), MARCXML/marcXchange and CSV files -> Records.

    for item in read_file(path):
        if isinstance(item, Skipped): ...   # a bad record, with its position and reason
        else: ...                           # a Record, local rules already applied

`read_file` raises `CatalogueReadError` only when the whole file cannot be read
(missing, unreadable, empty, not a known format).  A bad record never aborts the
file: it is yielded as a `Skipped`.  No other exception escapes for any input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from ..record import ReaderOptions, Record, Skipped
from ..rules import apply_local_rules
from . import csv_reader, iso2709, marc21, marcxml, unimarc
from .iso2709 import RecordError
from .marc import MarcRecord, detect_flavour

FORMATS = ("auto", "marc21", "unimarc", "csv")

__all__ = ["FORMATS", "CatalogueReadError", "detect_form", "map_marc", "read_file"]


class CatalogueReadError(Exception):
    """A whole file cannot be read (missing, unreadable, empty or not a catalogue format)."""


def detect_form(head: bytes) -> str:
    """'xml', 'iso2709', 'csv' or '' from the first bytes of a file (not its extension)."""
    data = head.lstrip(b"\x00\r\n\t \x1a")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:].lstrip()
    if not data:
        return ""
    if data.startswith(b"<"):
        return "xml"
    if b"\x1d" in data or b"\x1e" in data:
        return "iso2709"
    if len(data) >= 24 and data[:5].isdigit() and data[10:12] == b"22":
        return "iso2709"  # a single truncated record
    sample = data[:4096]
    if b"\x00" in sample:
        return ""
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 3:
            text = sample.decode("cp1252", errors="replace")
        else:
            text = sample[: exc.start].decode("utf-8")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    if any(d in first_line for d in (",", ";", "\t")):
        return "csv"
    return ""


def map_marc(record: MarcRecord, flavour: str = "auto") -> Record:
    """Map a parsed MARC record with the given or detected flavour (no local rules)."""
    if flavour not in ("marc21", "unimarc"):
        flavour = detect_flavour(record)
    return (unimarc if flavour == "unimarc" else marc21).map_record(record)


# ISO 2709 files at least this big are decoded and mapped by worker processes
# (the import's other half - the index - runs meanwhile); smaller ones in-process.
PARALLEL_MIN_BYTES = 4 << 20
_BATCH = 500  # raw records per task sent to a worker


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def read_file(
    path: str | os.PathLike[str],
    format: str = "auto",
    options: ReaderOptions | None = None,
    *,
    workers: int | None = None,
    transform: Callable[[Record], Any] | None = None,
) -> Iterator[Record | Skipped]:
    """Read a catalogue file; yield a Record per usable record and a Skipped per bad one.

    `format` is "auto", "marc21", "unimarc" (force the MARC flavour; the form - ISO 2709
    or XML - is still sniffed) or "csv".  Raises CatalogueReadError at once for a file
    that cannot be read at all.  `workers` > 1 decodes a large ISO 2709 file in that
    many processes (default: one per core, up to 4); records come out in file order
    either way.  `transform` (a picklable top-level function) is applied to every
    Record where it is built - in the worker processes when there are some - and
    its result is yielded instead of the Record.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown catalogue format {format!r} (expected one of {', '.join(FORMATS)})")
    options = options or ReaderOptions()
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(1 << 16)
    except FileNotFoundError:
        raise CatalogueReadError(f"catalogue file not found: {name}") from None
    except IsADirectoryError:
        raise CatalogueReadError(f"not a file but a folder: {name}") from None
    except PermissionError:
        raise CatalogueReadError(f"no permission to read the catalogue file: {name}") from None
    except OSError as exc:
        raise CatalogueReadError(f"cannot read the catalogue file {name}: {exc.strerror or exc}") from None
    if not head.strip(b"\x00\r\n\t \x1a"):
        raise CatalogueReadError(f"the catalogue file is empty: {name}")
    form = "csv" if format == "csv" else detect_form(head)
    if not form:
        raise CatalogueReadError(
            f"{name} is not a catalogue file this kiosk can read (expected ISO 2709 MARC, MARCXML or CSV)"
        )
    if form == "csv":
        # Check the header now so that a missing column is reported for the whole file.
        try:
            with path.open("rb") as stream:
                rows = csv_reader.iter_rows(stream)
                try:
                    next(rows, None)
                finally:
                    rows.close()
        except csv_reader.CsvHeaderError as exc:
            raise CatalogueReadError(f"{name}: {exc}") from None
        except OSError as exc:
            raise CatalogueReadError(f"cannot read the catalogue file {name}: {exc}") from None
        return _transformed(_read_csv(path, options), transform)
    flavour = format if format in ("marc21", "unimarc") else "auto"
    workers = default_workers() if workers is None else max(1, int(workers))
    if form == "iso2709" and workers > 1 and path.stat().st_size >= PARALLEL_MIN_BYTES:
        return _read_iso2709_parallel(path, flavour, options, workers, transform)
    return _transformed(_read_marc(path, form, flavour, options), transform)


def _transformed(items: Iterator[Record | Skipped], transform) -> Iterator:
    if transform is None:
        return items
    return (item if isinstance(item, Skipped) else transform(item) for item in items)


def _read_csv(path: Path, options: ReaderOptions) -> Iterator[Record | Skipped]:
    name = str(path)
    position = 0
    try:
        with path.open("rb") as stream:
            for position, item in csv_reader.iter_rows(stream):
                if isinstance(item, Record):
                    try:
                        yield apply_local_rules(item, options)
                    except Exception as exc:  # noqa: BLE001 - a bad row must not abort the file
                        yield Skipped(position, f"cannot use this row: {exc}", name)
                else:
                    yield Skipped(position, item, name)
    except (OSError, csv_reader.CsvHeaderError) as exc:
        yield Skipped(position + 1, f"reading stopped: {exc}", name)


def _parse_raw(raw: bytes) -> MarcRecord | RecordError:
    if isinstance(raw, iso2709.TruncatedRecord):
        return RecordError(
            f"truncated record: the file ends after {len(raw)} of the {raw.announced} bytes its leader announces"
        )
    try:
        return iso2709.parse_record(raw)
    except RecordError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - defensive: garbage must never crash an import
        return RecordError(f"unreadable record: {exc}")


def _convert(item: MarcRecord | RecordError, flavour: str, options: ReaderOptions) -> Record | str:
    """A Record with local rules applied, or the reason it cannot be used."""
    if isinstance(item, RecordError):
        return str(item)
    try:
        record = map_marc(item, flavour)
    except (unimarc.MissingTitle, marc21.MissingTitle) as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a bad record must not abort the file
        return f"cannot map this record: {exc!r}"
    try:
        return apply_local_rules(record, options)
    except Exception as exc:  # noqa: BLE001
        return f"cannot apply the local rules: {exc!r}"


def _convert_batch(raws: list[bytes], flavour: str, options: ReaderOptions, transform=None) -> list:
    """Worker side of the parallel reader (a top-level function: it is pickled by name)."""
    out = [_convert(_parse_raw(raw), flavour, options) for raw in raws]
    if transform is not None:
        out = [item if isinstance(item, str) else transform(item) for item in out]
    return out


def _marc_items(stream, form: str) -> Iterator[MarcRecord | RecordError]:
    if form == "xml":
        yield from marcxml.iter_records(stream)
        return
    for raw in iso2709.split_records(stream):
        yield _parse_raw(raw)


def _read_marc(path: Path, form: str, flavour: str, options: ReaderOptions) -> Iterator[Record | Skipped]:
    name = str(path)
    position = 0
    try:
        with path.open("rb") as stream:
            items = _marc_items(stream, form)
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except Exception as exc:  # noqa: BLE001 - e.g. an XML encoding the parser refuses
                    yield Skipped(position + 1, f"reading stopped: {exc}", name)
                    break
                position += 1
                converted = _convert(item, flavour, options)
                yield Skipped(position, converted, name) if isinstance(converted, str) else converted
    except OSError as exc:
        yield Skipped(position + 1, f"reading stopped: {exc}", name)


def _batches(items: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _read_iso2709_parallel(
    path: Path, flavour: str, options: ReaderOptions, workers: int, transform=None
) -> Iterator[Record | Skipped]:
    """Split records here, decode and map them in `workers` processes, yield them in file order.

    At most two batches per worker are in flight, so memory stays bounded whatever
    the file's size.  "forkserver" workers: forking a process that runs threads
    (the kiosk's) is unsafe.
    """
    name = str(path)
    position = 0
    convert = partial(_convert_batch, flavour=flavour, options=options, transform=transform)
    context = multiprocessing.get_context("forkserver")
    try:
        with path.open("rb") as stream, context.Pool(workers) as pool:
            pending: deque = deque()
            batches = _batches(iso2709.split_records(stream), _BATCH)
            exhausted = False
            while pending or not exhausted:
                while not exhausted and len(pending) < 2 * workers:
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                    else:
                        pending.append(pool.apply_async(convert, (batch,)))
                if not pending:
                    break
                for converted in pending.popleft().get():
                    position += 1
                    yield Skipped(position, converted, name) if isinstance(converted, str) else converted
    except OSError as exc:
        yield Skipped(position + 1, f"reading stopped: {exc}", name)
