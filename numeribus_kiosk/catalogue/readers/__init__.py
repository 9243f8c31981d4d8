"""Catalogue readers: ISO 2709 (MARC21/UNIMARC), MARCXML/marcXchange and CSV files -> Records.

    for item in read_file(path):
        if isinstance(item, Skipped): ...   # a bad record, with its position and reason
        else: ...                           # a Record, local rules already applied

`read_file` raises `CatalogueReadError` only when the whole file cannot be read
(missing, unreadable, empty, not a known format).  A bad record never aborts the
file: it is yielded as a `Skipped`.  No other exception escapes for any input.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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


def read_file(
    path: str | os.PathLike[str], format: str = "auto", options: ReaderOptions | None = None
) -> Iterator[Record | Skipped]:
    """Read a catalogue file; yield a Record per usable record and a Skipped per bad one.

    `format` is "auto", "marc21", "unimarc" (force the MARC flavour; the form - ISO 2709
    or XML - is still sniffed) or "csv".  Raises CatalogueReadError at once for a file
    that cannot be read at all.
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
        return _read_csv(path, options)
    flavour = format if format in ("marc21", "unimarc") else "auto"
    return _read_marc(path, form, flavour, options)


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


def _marc_items(stream, form: str) -> Iterator[MarcRecord | RecordError]:
    if form == "xml":
        yield from marcxml.iter_records(stream)
        return
    for raw in iso2709.split_records(stream):
        if isinstance(raw, iso2709.TruncatedRecord):
            yield RecordError(
                f"truncated record: the file ends after {len(raw)} of the {raw.announced} bytes its leader announces"
            )
            continue
        try:
            yield iso2709.parse_record(raw)
        except RecordError as exc:
            yield exc
        except Exception as exc:  # noqa: BLE001 - defensive: garbage must never crash an import
            yield RecordError(f"unreadable record: {exc}")


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
                if isinstance(item, RecordError):
                    yield Skipped(position, str(item), name)
                    continue
                try:
                    record = map_marc(item, flavour)
                except (unimarc.MissingTitle, marc21.MissingTitle) as exc:
                    yield Skipped(position, f"{exc}", name)
                    continue
                except Exception as exc:  # noqa: BLE001 - a bad record must not abort the file
                    yield Skipped(position, f"cannot map this record: {exc!r}", name)
                    continue
                yield apply_local_rules(record, options)
    except OSError as exc:
        yield Skipped(position + 1, f"reading stopped: {exc}", name)
