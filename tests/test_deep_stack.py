"""tests.deep_stack: a call made on a deep stack answers and fails as the call itself."""

import pytest

from tests.deep_stack import ROOM, _enter, on_deep_stack


def test_the_entry_frame_declares_the_room_and_the_call_is_unchanged():
    assert _enter.__code__.co_stacksize == ROOM
    assert on_deep_stack(lambda: ("answer", 42)) == ("answer", 42)
    with pytest.raises(ZeroDivisionError):
        on_deep_stack(lambda: 1 / 0)


def test_deep_recursion_inside_still_works():
    def depth(n):
        return 0 if n == 0 else 1 + depth(n - 1)

    assert on_deep_stack(lambda: depth(900)) == 900
