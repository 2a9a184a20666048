"""Test plugin: holds a powerlist build at a known point so that a hostile case can signal it there.

SLOW_AT=finalized: once every page is written (before the manifest and the swap) the build touches
$WORK/ready and sleeps SLOW_SECONDS (default 60). SLOW_AT=items: every item page a pool worker renders records
the worker's pid in $WORK/workers/, touches $WORK/ready and takes one second more.
"""
import os
import time

from pelican import signals


def _ready() -> None:
    open(os.path.join(os.environ["WORK"], "ready"), "w").close()


def _hold(_pelican: object) -> None:
    _ready()
    time.sleep(float(os.environ.get("SLOW_SECONDS", "60")))


def register() -> None:
    if os.environ.get("SLOW_AT") == "finalized":
        signals.finalized.connect(_hold)
    elif os.environ.get("SLOW_AT") == "items":
        from powerlist.site import pelican as site_pelican

        render = site_pelican.PowerlistGenerator._render_item_file

        def slow(self, template, item):  # type: ignore[no-untyped-def]
            open(os.path.join(os.environ["WORK"], "workers", str(os.getpid())), "w").close()
            _ready()
            time.sleep(1.0)
            return render(self, template, item)

        site_pelican.PowerlistGenerator._render_item_file = slow
