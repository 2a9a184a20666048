"""Test plugin: raises an unexpected error at the end of a build while $WORK/boom exists."""
import os

from pelican import signals


def _boom(_pelican: object) -> None:
    if os.path.exists(os.path.join(os.environ["WORK"], "boom")):
        raise RuntimeError("boom in a plugin")


def register() -> None:
    signals.finalized.connect(_boom)
