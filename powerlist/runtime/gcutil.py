"""The cyclic garbage collector around large catalogs.

A catalog of 100,000 items is millions of small objects that contain no reference cycles. The collector
would scan them all again and again. Loading pauses it (:func:`collector_paused`), and a build keeps the
loaded objects out of its scans (:func:`collector_frozen`).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (restored as it was afterwards).

    Everything allocated in the block would count as young to the collector, so its first collection
    afterwards would traverse all of it (1.5 s after loading 100,000 items). On leaving, those objects are moved
    to the oldest generation instead: ``freeze`` + ``unfreeze`` splice the collector's lists without visiting
    any object (skipped when the caller froze objects itself, which ``unfreeze`` would release)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


@contextmanager
def collector_frozen() -> Iterator[None]:
    """Every object that exists on entry, and every object that exists when it is re-entered, stays out of
    the collector's scans until the block ends. When a caller had frozen objects already, they stay frozen
    (the caller unfreezes them)."""
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
