"""The collector helpers around large catalogs."""
from __future__ import annotations

import gc

from powerlist.runtime.gcutil import collector_frozen, collector_paused


def test_paused_block_leaves_its_objects_old_and_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(50_000)]  # tracked containers, as a catalog's are
        assert gc.get_count()[0] >= 50_000   # all of them young: the next collection would visit each
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 1_000         # moved to the oldest generation without being visited
    assert gc.is_tracked(kept[0]) and len(kept) == 50_000


def test_paused_inside_frozen_keeps_the_callers_frozen_objects_frozen() -> None:
    with collector_frozen():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with collector_paused():
            _ = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0


def test_paused_keeps_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
