import pytest

from tests.public.helpers import Texts, reset_limits


@pytest.fixture(autouse=True)
def texts(settings):
    settings.SMS_GATEWAY = "tests.public.helpers.Texts"
    Texts.sent = []
    reset_limits()
    yield Texts
    reset_limits()
