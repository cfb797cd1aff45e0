"""The public pages share no session with the staff site.

Under /public/ the staff session cookie is taken out of the request before anything reads it, and
the request gets an empty session that refuses to store anything: no staff user is known there
(``request.user`` is anonymous even for a signed-in clerk), nothing a public page does can touch,
renew or end a staff session, and no staff cookie is ever set from a public page.

The public pages' own state (which challenge is open, which case was unlocked by a one-time code)
is a small signed cookie of their own (``PUBLIC_COOKIE``: path /public/, HttpOnly, SameSite=Strict,
Secure where the staff cookie is, 30 minutes), holding only random tokens whose rows in the database
(public.OneTimeCode) decide everything: the cookie names, the database grants. A signed cookie
rather than a second server-side session table: the state is two tokens, each already revocable
through its row, and the staff session table then never holds a public visitor.
"""

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing

PUBLIC_COOKIE = "jiefen_public"
PUBLIC_PATH = "/public/"
MAX_AGE = 30 * 60
SALT = "jiefen.public.state"


class NoSession(SessionBase):
    """The session of a public page: always empty, never saved."""

    def load(self):
        return {}

    def exists(self, session_key):
        return False

    def create(self):
        return None

    def save(self, must_create=False):
        return None

    def delete(self, session_key=None):
        return None

    def __setitem__(self, key, value):
        raise RuntimeError("public pages keep no session (public.middleware)")


def is_public(request) -> bool:
    return request.path_info.startswith(PUBLIC_PATH)


class PublicSessionMiddleware:
    """Placed right after SessionMiddleware (before authentication reads the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public(request):
            return self.get_response(request)
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        request.session = NoSession()
        request.public_state = read_state(request)
        original = dict(request.public_state)
        response = self.get_response(request)
        if request.public_state != original:
            write_state(response, request.public_state)
        return response


def read_state(request) -> dict:
    value = request.COOKIES.get(PUBLIC_COOKIE)
    if not value:
        return {}
    try:
        state = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return {}
    return state if isinstance(state, dict) else {}


def write_state(response, state: dict) -> None:
    if not state:
        response.delete_cookie(PUBLIC_COOKIE, path=PUBLIC_PATH, samesite="Strict")
        return
    response.set_cookie(
        PUBLIC_COOKIE,
        signing.dumps(state, salt=SALT),
        max_age=MAX_AGE,
        path=PUBLIC_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
