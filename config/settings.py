"""Settings, read from the environment.

Every variable is listed in README.md ("Configuration"). Defaults are for a developer's machine:
SQLite under ``var/``, Celery on kombu's filesystem transport, DEBUG off unless ``DEBUG=1``.
Production (docker-compose.yml) sets ``DJANGO_ENV=production``, which turns on the secure-cookie,
HSTS and SSL settings that ``manage.py check --deploy`` asks for.
"""

import base64
import hashlib
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET)
if PRODUCTION and SECRET_KEY == _DEV_SECRET:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "csp",
    "django_celery_beat",
    "django_htmx",
    "import_export",
    "captcha",  # django-simple-captcha: drawn locally, for the public pages (public.limits)
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    # Apps by domain, lowest floor first (docs/architecture.md; import-linter contracts in pyproject.toml).
    "accounts",
    "cases",
    "supervision",
    "jobs",
    "mediation",
    "petitions",
    "analysis",
    "grids",
    "reporting",
    "hooks",
    "public",
    "benchmarks",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Under /public/: no staff session, the public pages' own signed cookie (public.middleware).
    "public.middleware.PublicSessionMiddleware",
    "accounts.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "api.middleware.ApiCallLogMiddleware",  # every /api/ call: client, user, endpoint, status
    "accounts.middleware.AbsoluteSessionLimitMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.current_user",
                "supervision.context_processors.notifications",
            ],
        },
    },
]
# Django's form renderer, but a <select> is written without a template per option (cases.form_renderer).
FORM_RENDERER = "cases.form_renderer.FormRenderer"

# --- Database ------------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:pass@host:5432/jiefen; default: SQLite under var/.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jiefen.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs the web server and a Celery worker against one file: wait for locks instead of
    # failing, and let readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The request user's statement as a server-side prepared statement (accounts.backends); turn off
# behind a pooler that hands one server session to many clients (PgBouncer in transaction mode).
PREPARED_STATEMENTS = env.bool("PREPARED_STATEMENTS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication -------------------------------------------------------------------------------
# accounts.backends.ModelBackend: Django's, loading the request's user with the unit, roles and the
# header's figures in one query.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username+IP pair, never forever (its default cool-off is None = until an
# administrator resets it, which would let anyone lock a mediator out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# guardian: no anonymous user row; object permissions are granted to units' groups.
ANONYMOUS_USER_NAME = None
GUARDIAN_RENDER_403 = False

# Sessions: idle timeout 30 min, absolute limit 12 h after login
# (accounts.middleware.AbsoluteSessionLimitMiddleware); the cookie ends with the browser. The idle
# expiry is renewed when the last renewal is older than SESSION_RENEW_AFTER_SECONDS
# (accounts.middleware.SessionRenewalMiddleware), not written on every request: a session ends
# between SESSION_COOKIE_AGE - SESSION_RENEW_AFTER_SECONDS and SESSION_COOKIE_AGE after its last use.
SESSION_ENGINE = "accounts.sessions"  # Django's database sessions, saved with one UPDATE
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER_SECONDS = env.int("SESSION_RENEW_AFTER_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Served at the site's root: /favicon.ico, which browsers ask for on every page (admin included).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
if not PRODUCTION:
    # whitenoise warns at every start when STATIC_ROOT is missing; collectstatic fills it in production.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# --- Celery ---------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{CELERY_QUEUE_DIR / 'results'}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "in"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "in"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        # Without this kombu writes broadcast state into ./control of the working directory.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
else:
    # A task running longer than the visibility timeout would be delivered twice (kombu default
    # 3600 s); jobs here are short, but exports can take minutes.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = env.str("CELERY_BEAT_SCHEDULER", default="celery.beat:PersistentScheduler")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "jobs.tasks.heartbeat",
        "schedule": env.float("HEARTBEAT_SECONDS", default=60.0),
    },
    "scan-deadlines": {
        "task": "supervision.tasks.scan_deadlines",
        "schedule": env.float("SCAN_DEADLINES_SECONDS", default=300.0),
    },
    # The open-case tally kept by a trigger: each key's rows added into one (cases.tally.fold).
    "fold-open-tally": {
        "task": "cases.tasks.fold_open_tally",
        "schedule": env.float("FOLD_OPEN_TALLY_SECONDS", default=600.0),
    },
    # The petition tallies, the same way (reporting.petition_tally.fold).
    "fold-petition-tally": {
        "task": "reporting.tasks.fold_petition_tally",
        "schedule": env.float("FOLD_OPEN_TALLY_SECONDS", default=600.0),
    },
    # Every day at 08:30 Asia/Shanghai; the task itself skips non-working days (调休 Saturdays work).
    "supervisor-digest": {
        "task": "supervision.tasks.supervisor_digest",
        "schedule": crontab(hour=8, minute=30),
    },
    # Early warnings (analysis.scan): reads only the cases created since its last run.
    "scan-warnings": {
        "task": "analysis.tasks.scan_warnings",
        "schedule": env.float("SCAN_WARNINGS_SECONDS", default=900.0),
    },
    # Hourly: 包案 time limits and key-person reviews approaching or passed, each stage once
    # (analysis.duty_reminders; e-mail and SMS within working hours).
    "remind-duties": {
        "task": "analysis.tasks.remind_duties",
        "schedule": crontab(minute=20),
    },
    # Hourly: a mediation session scheduled for tomorrow (or later today) reminds its mediators once.
    "remind-sessions": {
        "task": "mediation.tasks.remind_sessions",
        "schedule": crontab(minute=10),
    },
    # Webhooks (hooks.tasks): overdue deadlines become events; deliveries due for a retry go out.
    "deliver-webhooks": {
        "task": "hooks.tasks.deliver_due",
        "schedule": env.float("HOOK_DELIVER_SECONDS", default=60.0),
    },
    # Daily: inspection reports (排查台账) missing after their week's due day remind the grid once.
    "remind-grid-ledgers": {
        "task": "grids.tasks.remind_missing_reports",
        "schedule": crontab(hour=9, minute=0),
    },
}

# --- Webhooks (hooks) ----------------------------------------------------------------------------
HOOK_TIMEOUT_SECONDS = env.float("HOOK_TIMEOUT_SECONDS", default=10.0)
HOOK_RETRY_BASE_SECONDS = env.float("HOOK_RETRY_BASE_SECONDS", default=30.0)
HOOK_RETRY_MAX_SECONDS = env.float("HOOK_RETRY_MAX_SECONDS", default=3600.0)
HOOK_MAX_ATTEMPTS = env.int("HOOK_MAX_ATTEMPTS", default=25)
HOOK_SUBSCRIPTION_CACHE_SECONDS = env.float("HOOK_SUBSCRIPTION_CACHE_SECONDS", default=30.0)

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jiefen@localhost")

# --- Security headers -----------------------------------------------------------------------------
# No inline script anywhere: templates load static/js files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Personal data and audit (docs/architecture.md, "ID numbers at rest" and "Audit trail") -------
# Key for the keyed hash that finds people by ID number without reading the number. Its own key, not
# SECRET_KEY: rotating SECRET_KEY (sessions) must not make every ID number unfindable. Changing it
# requires re-hashing (see docs/architecture.md).
PII_HASH_KEY = env.str("PII_HASH_KEY", default=SECRET_KEY)
# ID numbers are stored encrypted (cases.idcrypt, Fernet = AES-128-CBC + HMAC-SHA256). ID_NUMBER_KEY
# is a comma-separated list of Fernet keys, newest first: the first encrypts, every one decrypts, so
# a new key is put in front, `manage.py rotate_id_keys` re-encrypts, and the old key is removed.
# The default is derived from a fixed, public phrase: for development and tests only.
_DEV_ID_NUMBER_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"jiefen development ID key, not for production").digest()
).decode()
ID_NUMBER_KEYS = env.list("ID_NUMBER_KEY", default=[_DEV_ID_NUMBER_KEY])
if PRODUCTION:
    if _DEV_ID_NUMBER_KEY in ID_NUMBER_KEYS or not ID_NUMBER_KEYS:
        raise environ.ImproperlyConfigured(
            "ID_NUMBER_KEY must be set when DJANGO_ENV=production (a Fernet key; see README)"
        )
    if "PII_HASH_KEY" not in env or PII_HASH_KEY == SECRET_KEY:
        raise environ.ImproperlyConfigured(
            "PII_HASH_KEY must be set, and differ from SECRET_KEY, when DJANGO_ENV=production"
        )
# Audit rows (the case timeline) are kept at least this long: 网络安全法 §21(三) asks for network
# logs to be kept for no less than six months. Nothing in Jiefen deletes them (the database refuses
# DELETE); any purge must keep every row younger than this, and the floor cannot be lowered.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
if AUDIT_RETENTION_DAYS < 180:
    raise environ.ImproperlyConfigured("AUDIT_RETENTION_DAYS cannot be below 180 (网络安全法 §21)")

# --- Domain settings ------------------------------------------------------------------------------
# When a date lies in a year the holiday table does not know yet (the State Council publishes the
# next year's schedule in Nov-Dec), deadlines are computed Mon-Fri and flagged "estimated".
CALENDAR_ESTIMATE_UNKNOWN_YEARS = env.bool("CALENDAR_ESTIMATE_UNKNOWN_YEARS", default=True)
# Reminders' e-mail and SMS go out on working days between these times (Asia/Shanghai; the in-app
# notice is written at any hour); an overdue deadline is escalated to the supervisors one level up
# after this many days.
REMINDER_SEND_FROM = env.str("REMINDER_SEND_FROM", default="08:30")
REMINDER_SEND_UNTIL = env.str("REMINDER_SEND_UNTIL", default="17:30")
REMINDER_ESCALATE_AFTER_DAYS = env.int("REMINDER_ESCALATE_AFTER_DAYS", default=3)
REMINDER_WORKDAYS_ONLY = env.bool("REMINDER_WORKDAYS_ONLY", default=True)
# Reminders per delivery transaction. Each batch re-asks who may see its cases and writes one part
# per digest it adds to, ~0.2 s a batch at province scale whatever its size: 100,000 reminders took
# 10.2-12.0 s in batches of 5,000 and 7.2-8.5 s in batches of 20,000 (docs/performance.md, issue 22),
# for 14 MB more memory. A killed run re-claims at most one batch.
REMINDER_SEND_BATCH = env.int("REMINDER_SEND_BATCH", default=20000)
# Rows an import writes per statement and table (jobs.imports.writer): one statement per table and
# batch instead of five per case; 10,000 disputes at province scale took 32.8 s one by one and
# 14.7-19.6 s in batches of 1,000 (docs/performance.md, issue 22).
IMPORT_WRITE_BATCH = env.int("IMPORT_WRITE_BATCH", default=1000)
# A delivery run killed midway: its digests' e-mail/SMS go out after this long (a live run renews it).
REMINDER_DIGEST_HOLD_SECONDS = env.int("REMINDER_DIGEST_HOLD_SECONDS", default=900)
# Domain part of reminder e-mails' Message-ID (<notification-ID@domain>): a resent copy folds.
REMINDER_MESSAGE_DOMAIN = env.str("REMINDER_MESSAGE_DOMAIN", default="jiefen.local")
# Dotted path of an SMS gateway class with send(recipient, text) (supervision.notify.SmsGateway);
# empty = no SMS.
SMS_GATEWAY = env.str("SMS_GATEWAY", default="")

# --- Public channel (app public) --------------------------------------------------------------
# django-ratelimit's counters (public.limits) in a cache every process shares: Redis when there is
# one; the zero-service demo runs one process, where local memory is shared enough.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "rl"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
    ),
}
RATELIMIT_USE_CACHE = "ratelimit"
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
# The list pages' filter choices (categories, risk levels) come from the cache (cases.choices): a
# save drops them at once in its own process, other processes read the table again after this long.
REFERENCE_CACHE_SECONDS = env.int("REFERENCE_CACHE_SECONDS", default=300)
# Supervision dashboard: its on-time rates and trend are cached per user this long (0: never), and
# each table shows this many rows, most late first, with the whole table a click away.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
DASHBOARD_TABLE_ROWS = env.int("DASHBOARD_TABLE_ROWS", default=15)
# The dates a form accepts (cases.bounds): from 1949-10-01 to the end of the year this many years
# ahead; statistics periods from 1 January of PERIOD_EARLIEST_YEAR to the end of next year.
DATE_YEARS_AHEAD = env.int("DATE_YEARS_AHEAD", default=10)
PERIOD_EARLIEST_YEAR = env.int("PERIOD_EARLIEST_YEAR", default=1980)

# --- The API (api app, docs/api.md) ----------------------------------------------------------------
# Systems sign in with OAuth2 client credentials (django-oauth-toolkit): an Application per external
# system, bound to a service user of a unit (api.models.ApiClient); staff may use their session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ClientTokenAuthentication",
        "api.auth.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.PerClientThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Calls per client (token's application, else user): DRF's "number/second|minute|hour|day".
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiefen API",
    "DESCRIPTION": "Cases, deadlines, orders, statistics; intake of 12345 orders and grid events.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}
OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read cases, deadlines, orders, warnings and statistics",
        "intake": "Post 12345 work orders and grid events",
        "workflow": "Take workflow steps",
    },
    "DEFAULT_SCOPES": ["read"],
    "SCOPES_BACKEND_CLASS": "api.auth.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_TOKEN_SECONDS", default=3600),
    # RFC 9700 (OAuth 2.0 Security BCP) throughout: tokens stored hashed, only in the header, no
    # implicit or password grant, https redirects only (only client credentials are used here).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# The toolkit's models are swappable; its migrations name these settings.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
# The throttles' counters: Redis when there is one (shared by every web process), else memory.
CACHES["api"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "api"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refusal (403) is an answer, not a fault: one line, no traceback (config.logfilters).
    "filters": {"refusal_without_traceback": {"()": "config.logfilters.RefusalWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refusal_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
