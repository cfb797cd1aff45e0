import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise with the language switch (cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an
    English browser would show English by default; the portal is Chinese first.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AbsoluteSessionLimitMiddleware:
    """End a session 12 hours (SESSION_ABSOLUTE_SECONDS) after login, however active it was.

    The idle limit is Django's own expiry (SESSION_COOKIE_AGE, renewed by SessionRenewalMiddleware);
    this adds the absolute one (ASVS 7.3.2; GB/T 22239 "超时自动退出").
    """

    KEY = "_jiefen_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib.auth import logout
        from django.shortcuts import redirect

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(self.KEY)
            now = int(time.time())
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Extend a signed-in session's idle expiry, writing it at most once a SESSION_RENEW_AFTER_SECONDS.

    The idle timeout is the session row's expiry (SESSION_COOKIE_AGE after its last save; an
    expired row is not loaded, so the user is signed out). Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) cost three statements per page (BEGIN, UPDATE django_session,
    COMMIT). Instead the session is marked modified, and Django saves it with a fresh expiry, only
    when the last renewal is older than SESSION_RENEW_AFTER_SECONDS: a session idle for
    SESSION_COOKIE_AGE seconds after its last request has expired, one idle for less than
    SESSION_COOKIE_AGE - SESSION_RENEW_AFTER_SECONDS has not (docs/performance.md, SECURITY.md).
    """

    KEY = "_jiefen_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            renewed = request.session.get(self.KEY)
            if renewed is None or now - renewed >= settings.SESSION_RENEW_AFTER_SECONDS:
                request.session[self.KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (ASVS 14.3.2).

    Nearly every page behind the sign-in shows personal data: names in lists and the inbox, ID
    numbers and phones on case pages, PDFs and exports. A browser or proxy must not keep a copy
    that the next user of a shared office PC could open from the cache or the back button. Static
    files are served before this (WhiteNoise) and keep their long cache lifetimes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
