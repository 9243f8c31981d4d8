from __future__ import annotations

import io

from numeribus_kiosk.catalogue.readers import marcxml
from numeribus_kiosk.catalogue.readers.iso2709 import RecordError
from numeribus_kiosk.catalogue.record import Skipped

from .readers_support import FIXTURES, records, skipped


def test_three_namespace_variants():
    assert records(FIXTURES / "marcxml-slim.xml")[0].source == "marc21"
    assert records(FIXTURES / "marcxchange-sru.xml")[0].source == "unimarc"
    rec = records(FIXTURES / "marcxml-no-namespace.xml")[0]
    assert rec.source == "unimarc" and rec.language == "swe" and rec.year == 1679


def test_malformed_keeps_earlier_records_and_reports_position():
    path = FIXTURES / "marcxml-malformed.xml"
    assert [r.id for r in records(path)] == ["OK-1", "OK-2"]
    (bad,) = skipped(path)
    assert isinstance(bad, Skipped) and bad.position == 3
    assert "line 8" in bad.reason


def test_streaming_detaches_records():
    body = "".join(
        f'<record><controlfield tag="001">{i}</controlfield>'
        f'<datafield tag="245" ind1="0" ind2="0"><subfield code="a">T{i}</subfield></datafield></record>'
        for i in range(50)
    )
    stream = io.BytesIO(f'<collection xmlns="http://www.loc.gov/MARC21/slim">{body}</collection>'.encode())
    items = list(marcxml.iter_records(stream))
    assert len(items) == 50 and not any(isinstance(i, RecordError) for i in items)
    assert items[49].control("001") == "49"
