"""Text messages to citizens through the portal's SMS hook (supervision.notify.sms_gateway: the
class named by SMS_GATEWAY; `make run` prints them). With no gateway configured nothing is sent and
the page says so where it matters; a failing gateway is logged, never shown as an error page."""

import logging

from supervision.notify import sms_gateway

log = logging.getLogger(__name__)


def send(phone: str, text: str) -> bool:
    gateway = sms_gateway()
    if gateway is None:
        log.warning("public SMS not sent: no SMS_GATEWAY configured")
        return False
    try:
        gateway.send(phone, text)
    except Exception:  # noqa: BLE001 - the gateway's failure must not become the citizen's 500
        log.exception("public SMS to a citizen failed")
        return False
    return True
