"""The objects a process keeps for its whole life, moved out of the garbage collector's way.

A full (oldest-generation) collection walks every tracked object; a web or bench process holds
~160,000 after Django and the apps are loaded, and such a collection cost 60-100 ms in the middle of
whichever request triggered it: the county petition statistics took ~190 ms, and ~300 ms on the one
request in ten that collected (docs/performance.md, session 19). ``gc.freeze()`` moves what exists
now into a permanent generation that later collections ignore. A collection first, so that only
live objects are frozen (frozen garbage would never be freed). Called once the application is loaded.
"""

import gc


def settle() -> int:
    """Freeze what the process holds now; returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
