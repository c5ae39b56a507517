"""Fewer, shorter garbage-collection pauses while the app is on screen.

With a large workspace the process holds a big, long-lived object graph (the store's cached
tables). Python's cycle collector then walks all of it every now and then, pausing the UI for
100 ms and more: a key press that lands in such a pause feels sluggish. After the first big read,
the objects alive are frozen (the collector skips them; reference counting still frees what is
dropped) and collections run less often.
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 20, 100)  # Python's defaults are (700, 10, 10) (2000, 10, 0 on 3.13)

_done = False


def calm_garbage_collector() -> None:
    """Once per process, after the start-up data is loaded."""
    global _done
    if _done:
        return
    _done = True
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
