"""Rate limits of the public channel and when to ask for a CAPTCHA (django-ratelimit's counters).

Counted per client address and, where a phone is involved, per phone (its keyed digest, never the
number): submission, code look-up and one-time-code checks each have their own budget. A refused
request gets the same page as an accepted one would, with a 429 status and a plain sentence; it
never says whether the code it carried exists. After ``CAPTCHA_AFTER`` look-ups (matched or not,
so the CAPTCHA's coming tells nothing) or wrong one-time codes from one address within the hour,
every public form there asks for the locally drawn CAPTCHA.

The counters live in the cache named by ``RATELIMIT_USE_CACHE`` ("ratelimit": Redis when REDIS_URL
is set, so every process shares them; the zero-service demo's single process uses local memory).
"""

from django.conf import settings
from django.core.cache import caches
from django_ratelimit.core import get_usage

# group: (rate per address, rate per phone)
RATES = {
    "submit": ("5/h", "3/d"),
    "lookup": ("20/h", "10/h"),
    "otp": ("20/h", "10/h"),
}
CAPTCHA_AFTER = 3
FAIL_WINDOW = 3600


def _cache():
    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"


def limited(request, group: str, *, phone_key: str = "") -> bool:
    """Count this request against ``group``'s budget per address, or (``phone_key``: a phone's keyed
    digest or a challenge token) per phone; True when it is spent."""
    by_ip, by_phone = RATES[group]
    if phone_key:
        usage = get_usage(
            request, group=f"public.{group}.phone", key=lambda g, r: phone_key, rate=by_phone, increment=True
        )
    else:
        usage = get_usage(
            request, group=f"public.{group}.ip", key=lambda g, r: client_ip(r), rate=by_ip, increment=True
        )
    return bool(usage and usage["should_limit"])


def _fail_key(request) -> str:
    return f"public:fail:{client_ip(request)}"


def failed(request) -> None:
    cache = _cache()
    key = _fail_key(request)
    if not cache.add(key, 1, FAIL_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, FAIL_WINDOW)


def needs_captcha(request) -> bool:
    return (_cache().get(_fail_key(request)) or 0) >= CAPTCHA_AFTER
