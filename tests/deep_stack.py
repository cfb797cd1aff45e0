"""Each test run on a Python data stack with room for all of it (CPython 3.11's chunk thrashing).

CPython 3.11 keeps the frames of a thread in 16 KiB chunks and frees a chunk as soon as the frame at
its base returns. A call depth that goes back and forth across the end of a chunk (a template's
loop, the ORM compiling a query, at whatever depth pytest, the test client and twenty middlewares
put them) maps and unmaps 16 KiB at each crossing: the access matrix made ~3,000 mmap/munmap pairs a
second and spent 15 % of its CPU time in the kernel (docs/performance.md, "The test suite").
CPython 3.13 and 3.14 keep one chunk (gh-142183); 3.11 and 3.12 do not.

``on_deep_stack`` makes its call from a frame with ``ROOM`` slots it does not use: CPython gives a
frame that large a chunk of its own, sized up to the next power of two (256 KiB for 160 KiB), and
everything the call does lives in the rest of that one chunk. A deeper call only leaves the chunk,
as any call did before. Nothing about the test changes but where its frames are kept.
"""

from collections.abc import Callable

ROOM = 20_000  # words of the entry frame: a 256 KiB chunk with ~100 KiB left for the call's frames


def _enter(call: Callable):
    return call()


# A frame's size is its code's locals plus its declared evaluation stack: declaring a deep stack
# makes the frame large without running anything more.
_enter.__code__ = _enter.__code__.replace(co_stacksize=ROOM)


def on_deep_stack(call: Callable):
    """``call()``, its frames in one data-stack chunk of their own."""
    return _enter(call)
