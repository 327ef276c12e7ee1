"""Settings for every environment, read from environment variables (see README)."""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_database, env_embeddings, env_int, env_list, env_redis_url, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY must be a random string of 50+ characters when DEBUG=false."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "config.apps.KizunaConfig",
    "accounts",
    "companies",
    "events",
    "matchmaking",
]

MIDDLEWARE = [
    "config.middleware.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx: views answer an htmx swap with the page's partial, a plain request with the page.
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "accounts.context_processors.notifications",
                "config.context_processors.layout_urls",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", str(VAR_DIR / "kizuna.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every password check goes through the failed-login throttle (accounts/throttle.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
# Read with the signed-in user on every request, in the same query: the firm membership (every
# page's menu asks for it; companies.Membership, a user's one firm).
AUTH_USER_RELATED = ["membership"]
# Failures one IP address may make on one account before each further try waits, doubling from
# DELAY up to MAX_DELAY seconds; and failures one IP address may make on all accounts per window.
LOGIN_THROTTLE_ATTEMPTS = env_int("LOGIN_THROTTLE_ATTEMPTS", 5)
LOGIN_THROTTLE_DELAY_SECONDS = env_int("LOGIN_THROTTLE_DELAY_SECONDS", 30)
LOGIN_THROTTLE_MAX_DELAY_SECONDS = env_int("LOGIN_THROTTLE_MAX_DELAY_SECONDS", 900)
LOGIN_THROTTLE_IP_ATTEMPTS = env_int("LOGIN_THROTTLE_IP_ATTEMPTS", 50)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 900)
# Mails sent on request of anyone (sign-up, verification, password reset): at most one per address
# per MAIL_ADDRESS_INTERVAL seconds, and MAIL_IP_LIMIT requests per client IP address per hour.
MAIL_ADDRESS_INTERVAL_SECONDS = env_int("MAIL_ADDRESS_INTERVAL_SECONDS", 60)
MAIL_IP_LIMIT_PER_HOUR = env_int("MAIL_IP_LIMIT_PER_HOUR", 20)
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# API tokens expire this many days after they were issued; a password change or reset revokes them.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # our named date formats per language, e.g. DAY_FORMAT
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Cache: shared Redis in production (login throttling must see every process), memory otherwise.
CACHE_URL = env_redis_url("CACHE_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: read from the shared cache, written through to the database (accounts.sessions; a copy
# in the cache lives at most SESSION_CACHE_SECONDS, the database stays the truth). Only with a cache
# that every process shares: with per-process memory a logout would not reach the other workers.
SESSION_ENGINE = "accounts.sessions" if CACHE_URL else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 60)

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env_redis_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker, match and schedule runs started from a page run in a thread after the response
# (config.background), so the page answers at once; other tasks (e-mails) stay in the request.
RUN_TASKS_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_redis_url("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "kizuna")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# The longest hard time limit of any task (matchmaking.run_block, 1900 s; tests/config/test_celery.py
# checks it). Redis hands a message that was taken but not acknowledged to another worker after the
# visibility timeout (acks_late: acknowledged when the task ends), so the timeout must outlast every
# task, or a long task runs twice; after a whole worker dies, its messages come back after it.
TASK_LONGEST_TIME_LIMIT = 1900
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_LONGEST_TIME_LIMIT + 300,
    # A broker that is down fails an enqueue at once instead of blocking the request: one connection
    # retry (0.2 s to a dead port, 6.3 s with kombu's default retries). Workers (re)connect with
    # their own broker_connection_* retries; this shortens publishing over a connection that is down.
    "socket_connect_timeout": 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Celery beat (run exactly one `celery -A config beat`): the nightly full match recompute at 03:00 UTC,
# every minute the sweep that fails runs whose worker died (docs/operations.md), and:
CELERY_BEAT_SCHEDULE = {
    "matchmaking-nightly": {"task": "matchmaking.nightly", "schedule": crontab(hour=3, minute=0)},
    "runs-sweep": {"task": "events.runs_sweep", "schedule": 60.0},
    # Notifications (docs/notifications.md): the daily digest, the sweep of e-mails whose task was lost,
    # and the reminder before a firm's first meeting of a mission (sent once the meeting is < 24 h away).
    "notifications-digest": {"task": "accounts.notification_digest", "schedule": crontab(hour=6, minute=0)},
    "notifications-pending": {"task": "accounts.notification_email_pending", "schedule": crontab(minute="*/15")},
    "meeting-reminders": {"task": "events.meeting_reminders", "schedule": crontab(minute=5)},
}
# Runs (match and schedule, docs/operations.md): a running run writes a sign of life every
# RUN_HEARTBEAT_SECONDS; one silent for RUN_STALE_SECONDS lost its worker and the sweep fails it
# (and releases its mission); one still queued after RUN_QUEUED_STALE_SECONDS was never picked up.
RUN_HEARTBEAT_SECONDS = env_int("RUN_HEARTBEAT_SECONDS", 30)
RUN_STALE_SECONDS = env_int("RUN_STALE_SECONDS", 300)
RUN_QUEUED_STALE_SECONDS = env_int("RUN_QUEUED_STALE_SECONDS", 3 * 3600)
if RUN_HEARTBEAT_SECONDS < 1:
    raise ImproperlyConfigured("Environment variable RUN_HEARTBEAT_SECONDS must be at least 1.")
if RUN_STALE_SECONDS < 3 * RUN_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "Environment variable RUN_STALE_SECONDS must be at least 3 x RUN_HEARTBEAT_SECONDS "
        "(a run must miss several beats before it counts as dead)."
    )
if RUN_QUEUED_STALE_SECONDS < RUN_STALE_SECONDS:
    raise ImproperlyConfigured("Environment variable RUN_QUEUED_STALE_SECONDS must be at least RUN_STALE_SECONDS.")

# Matching: the optional sentence-embedding part of the score (docs/matching.md). The model is
# "bundled" (all-MiniLM-L6-v2 from requirements-embeddings.txt), a local model directory, or empty
# (off); the weight is every run's default, which the command, the API and the run form override.
MATCH_EMBEDDINGS_MODEL, MATCH_EMBEDDINGS_WEIGHT = env_embeddings("MATCH_EMBEDDINGS_MODEL", "MATCH_EMBEDDINGS_WEIGHT")

# The nightly run first retrains the ranking model on the platform's feedback (kept only if not
# worse; docs/matching.md), reading a partners corpus folder when MATCH_TRAINING_CORPUS names one.
MATCH_RETRAIN_NIGHTLY = env_bool("MATCH_RETRAIN_NIGHTLY", False)
MATCH_TRAINING_CORPUS = env_str("MATCH_TRAINING_CORPUS", "")

# Moderation (docs/moderation.md): edits to an approved profile wait for an admin, except edits to these
# fields (profile field names, or "contacts" / "dependencies"), which go live at once.
MODERATION_SKIP_REVIEW_FIELDS = env_list("MODERATION_SKIP_REVIEW_FIELDS", ["contacts", "website"])

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kizuna <noreply@kizuna.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Request bodies (not uploaded files) above this are refused: Django's forms raise a 400, the API's
# JSON parser (config.parsers) too. 2.5 MiB holds a schedule solution of ~20,000 meetings.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

REST_FRAMEWORK = {
    # The token class first: its WWW-Authenticate header makes a request without credentials a 401
    # (with session authentication first, DRF answers 403 for both "who are you?" and "not allowed").
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "config.api.ApiMetadata",
    # JSON bodies over DATA_UPLOAD_MAX_MEMORY_SIZE or nested deeper than 32 levels are a 400.
    # JSON only (the schema says so); the file uploads set their own multipart parser.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.LimitedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.StrictPageNumberPagination",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kizuna API",
    "DESCRIPTION": "EU-Japan partner matching and trade-mission meetings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Error responses on every operation (config/schema.py), after drf-spectacular's own enum hook.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.schema.errors_document"],
    # One name per choice set used by several serializers (otherwise drf-spectacular guesses and warns).
    "ENUM_NAME_OVERRIDES": {
        "MissionPhaseEnum": "events.enums.MissionPhase",
        "PriorityEnum": "events.enums.Priority",
        "FirmResponseEnum": "matchmaking.enums.FirmResponse",
    },
}

# Security: strict by default when DEBUG is off, so that `check --deploy` is clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (config.middleware.SecurityHeadersMiddleware): our pages load only our
# own files, and no inline script or style (tests/config/test_security_headers.py renders the
# main pages to keep it so). `data:` images: the admin and Swagger UI draw icons as data URIs.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
}
# DRF's browsable API (HTML answers under /api/v1/) writes style attributes and a <style> tag that
# we do not control: there inline *style* is allowed too, never inline script. See
# docs/operations.md, "Security headers".
CSP_RELAXED_PATHS = ["/api/v1/"]
# Browser features no page of ours uses, switched off for us and for any frame. Only names that
# Chromium knows: an unknown one (ambient-light-sensor, bluetooth) logs a warning on every page.
PERMISSIONS_POLICY_DENY = [
    "accelerometer", "autoplay", "browsing-topics", "camera",
    "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "magnetometer",
    "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial",
    "usb", "xr-spatial-tracking",
]  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The loggers that write request paths cut calendar feed tokens out of them (config.log_filters);
    # django.server (runserver) is Django's own set-up with the filter added.
    "filters": {"redact_calendar_tokens": {"()": "config.log_filters.RedactCalendarTokens"}},
    "formatters": {
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "loggers": {
        "django.request": {"filters": ["redact_calendar_tokens"]},
        "django.server": {
            "handlers": ["server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_calendar_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticFilesStorage"  # whitenoise's compressed manifest, URLs remembered
    },
}
