"""SearchModel: searches on a worker thread, stale results dropped, facets, usage counting."""

from __future__ import annotations

import threading

import pytest

from numeribus_kiosk.accessibility.themes import contrast_ratio
from numeribus_kiosk.catalogue import open_catalogue
from numeribus_kiosk.ui.search_model import (
    COVER_PALETTE,
    COVER_TEXT,
    SearchModel,
    cover_colour,
    cover_initials,
    display_name,
)


class CountingJournal:
    def __init__(self) -> None:
        self.counts: list[str] = []

    def count(self, counter: str) -> None:
        self.counts.append(counter)


class SlowCatalogue:
    """Wraps a Catalogue: records the threads, lets a test hold one query on a gate."""

    def __init__(self, catalogue) -> None:
        self.catalogue = catalogue
        self.threads: list[int] = []
        self.gates: dict[str, threading.Event] = {}

    def search(self, text, filters=None, limit=20):
        self.threads.append(threading.get_ident())
        gate = self.gates.get(text)
        if gate is not None:
            assert gate.wait(10)
        return self.catalogue.search(text, filters, limit=limit)


@pytest.fixture
def catalogue(demo_data_dir):
    with open_catalogue(demo_data_dir, check_same_thread=False) as cat:
        yield cat


@pytest.fixture
def journal():
    return CountingJournal()


@pytest.fixture
def model(qapp, catalogue, journal):
    search = SearchModel(catalogue, journal=journal, debounce_ms=0)
    yield search
    search.close()


def type_query(qtbot, model, text: str) -> None:
    with qtbot.waitSignal(model.resultsReady, timeout=5000):
        model.query = text


def test_qmodeltester_on_results(qtmodeltester, qtbot, model):
    qtmodeltester.check(model)
    type_query(qtbot, model, "hugo")
    qtmodeltester.check(model)
    assert model.rowCount() > 0


def test_roles_and_counts(qtbot, model):
    type_query(qtbot, model, "hugo")
    roles = {bytes(v).decode(): k for k, v in model.roleNames().items()}
    assert {"recordId", "title", "authors", "year", "typeLabel", "onBoard", "coverColour", "coverInitials"} <= set(
        roles
    )
    index = model.index(0, 0)
    assert model.data(index, roles["typeLabel"]) == "Livre"
    assert model.data(index, roles["coverColour"]) in COVER_PALETTE
    assert "," not in model.data(index, roles["authors"]).split(" ")[0]  # "Claude Rétat", not "Rétat, Claude"
    assert model.total == 2 and model.hasResults and model.searched and not model.busy
    assert model.countText == "2 résultats"


def test_search_runs_off_the_ui_thread(qtbot, catalogue, qapp):
    slow = SlowCatalogue(catalogue)
    model = SearchModel(slow, debounce_ms=0)
    try:
        type_query(qtbot, model, "misérables")
        assert slow.threads and threading.main_thread().ident not in slow.threads
        assert threading.main_thread().ident not in model.worker_threads
    finally:
        model.close()


def test_stale_results_are_dropped(qtbot, catalogue, qapp):
    slow = SlowCatalogue(catalogue)
    gate = threading.Event()
    slow.gates["hugo"] = gate
    model = SearchModel(slow, debounce_ms=0)
    delivered = []
    model.resultsReady.connect(lambda: delivered.append(model.query))
    try:
        model.query = "hugo"  # held on the worker thread
        qtbot.waitUntil(lambda: len(slow.threads) == 1, timeout=5000)
        model.query = "frankenstein"  # newer: queued behind it
        gate.set()
        qtbot.waitUntil(lambda: model.stale_dropped == 1 and not model.busy, timeout=5000)
        roles = {bytes(v).decode(): k for k, v in model.roleNames().items()}
        shown = [model.data(model.index(i, 0), roles["recordId"]) for i in range(model.rowCount())]
        assert shown == [hit.id for hit in catalogue.search("frankenstein", limit=30).results]
        assert delivered == ["frankenstein"]  # the "hugo" results never reached the screen
    finally:
        gate.set()
        model.close()


def test_debounce_starts_one_search_for_fast_typing(qtbot, catalogue, qapp):
    slow = SlowCatalogue(catalogue)
    model = SearchModel(slow, debounce_ms=10_000)
    try:
        for text in ("h", "hu", "hug", "hugo"):
            model.query = text
        assert model.busy and slow.threads == []
        model.debounceMs = 0
        with qtbot.waitSignal(model.resultsReady, timeout=5000):
            model.refresh()  # what the timer does when it fires
        assert len(slow.threads) == 1
    finally:
        model.close()


def test_one_search_counted_per_settled_query(qtbot, model, journal):
    for text in ("m", "mi", "mis"):
        type_query(qtbot, model, text)
    assert journal.counts == []  # still typing the same query
    type_query(qtbot, model, "hugo")  # a different query: "mis" is settled
    assert journal.counts == ["search"]
    model.commit()  # a result opened
    assert journal.counts == ["search", "search"]
    model.commit()
    assert journal.counts == ["search", "search"]


def test_facet_chips_and_filters(qtbot, model):
    type_query(qtbot, model, "le")
    flags = {chip["key"]: chip for chip in model.flagChips}
    assert set(flags) == {"large_print", "dys", "audio", "on_board"}
    on_board = flags["on_board"]["count"]
    assert 0 < on_board < model.total
    assert flags["on_board"]["text"] == f"À bord ({on_board})"
    assert [chip["key"] for chip in model.typeChips] == ["book"]
    with qtbot.waitSignal(model.resultsReady, timeout=5000):
        model.toggleFlag("on_board")
    assert model.total == on_board and model.filters() == {"on_board": True}
    assert {chip["key"]: chip["on"] for chip in model.flagChips}["on_board"]
    with qtbot.waitSignal(model.resultsReady, timeout=5000):
        model.clear()
    assert model.query == "" and model.filters() == {}


def test_corrected_and_empty(qtbot, model):
    type_query(qtbot, model, "frankenstien")
    assert model.correctedText == "frankenstein"
    assert model.correctedLabel == "Résultats pour « frankenstein »"
    type_query(qtbot, model, "zzxqwv")
    assert model.searched and not model.hasResults and model.countText == "Aucun résultat"


def test_reset_forgets_everything(qtbot, model, journal):
    type_query(qtbot, model, "hugo")
    model.reset()
    assert model.query == "" and model.rowCount() == 0 and not model.searched
    assert journal.counts == ["search"]


def test_generated_covers_are_stable_and_readable():
    assert cover_colour("Les Misérables") == cover_colour("les misérables")
    assert cover_initials("Les Misérables") == "M"
    assert cover_initials("Le Petit Prince") == "PP"
    assert cover_initials("") == "?"
    for colour in COVER_PALETTE:
        assert contrast_ratio(COVER_TEXT, colour) >= 7, colour
    assert display_name("Hugo, Victor") == "Victor Hugo"
    assert display_name("Collectif") == "Collectif"
