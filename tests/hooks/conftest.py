import pytest

from hooks import events


@pytest.fixture(autouse=True)
def _fresh_subscription_cache():
    """A test's subscriptions vanish with its transaction, which sends no post_delete: forget them."""
    events._cache["at"] = None
    yield
    events._cache["at"] = None
