"""Project settings, driven by environment variables.

Defaults are embedded so that ``make run`` needs nothing installed: a SQLite file and the
in-memory channel layer. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis for the
channel layer and the cache. ``DJANGO_ENV=production`` turns DEBUG off and refuses to start
without the settings a public deployment needs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_ENV=production needs these environment variables: {', '.join(missing)}"
        )
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs REDIS_URL: the in-memory channel layer cannot reach "
            "other worker processes."
        )

SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789"
)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "core",
    "accounts",
    "safety",
    "tenancy",
    "community",
    "gamification",
    "rewards",
    "cms",
    "commerce",
    "realtime",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "notifications",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: turns "no database connection in time" into 503 + Retry-After (safety.overload).
    "safety.overload.DatabaseBusyMiddleware",
    # Refuses a declared Content-Length over MAX_REQUEST_BODY_SIZE before anything reads it.
    "safety.body_size.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safety.csp.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a refused log-in (any entry point) into the lockout page or 429 JSON.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# PostgreSQL connections are bounded by design: each worker process holds one psycopg pool
# (Django 5.2's built-in ``OPTIONS["pool"]``) of at most ``DB_POOL_SIZE`` connections, and a
# request waits at most ``DB_POOL_TIMEOUT`` seconds for one (then it answers 503 with
# Retry-After: ``safety.overload``). The pool requires ``CONN_MAX_AGE = 0``: connections go back
# to the pool at the end of each request instead of staying with a worker thread.
# Size it so that workers x DB_POOL_SIZE stays below PostgreSQL's max_connections, with headroom.
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "10"))
DB_POOL_MIN_SIZE = min(int(os.environ.get("DB_POOL_MIN_SIZE", "2")), DB_POOL_SIZE)
DB_POOL_TIMEOUT = float(os.environ.get("DB_POOL_TIMEOUT", "5"))
# Seconds a client is told to wait (Retry-After) when no connection could be had in time.
DB_POOL_RETRY_AFTER = int(os.environ.get("DB_POOL_RETRY_AFTER", "2"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": DB_POOL_MIN_SIZE,
        "max_size": DB_POOL_SIZE,
        "timeout": DB_POOL_TIMEOUT,
    }
else:
    # SQLite tuned for concurrent writers: WAL lets readers run beside one writer,
    # IMMEDIATE takes the write lock when a transaction starts (no upgrade deadlocks),
    # and the busy timeout makes a second writer wait instead of failing "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / "test-db.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels and cache ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Parallel test workers (pytest-xdist sets PYTEST_XDIST_WORKER=gw0, gw1, ...) each get a Redis
# database of their own: the suite clears the cache between tests, which flushes the database.
_TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _TEST_WORKER.startswith("gw"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{1 + int(_TEST_WORKER[2:])}"))
CHANNEL_CAPACITY = int(os.environ.get("CHANNEL_CAPACITY", "500"))
# Community broadcasts have a layer of their own (realtime/layers.py): a burst of them never
# takes room from a member's toasts and bell. Messages per worker process, like CHANNEL_CAPACITY.
CHANNEL_BROADCAST_CAPACITY = int(os.environ.get("CHANNEL_BROADCAST_CAPACITY", "2000"))
CHANNEL_EXPIRY = int(os.environ.get("CHANNEL_EXPIRY", "60"))
# A crashed worker's group memberships vanish after this; live sockets renew theirs every third.
CHANNEL_GROUP_EXPIRY = int(os.environ.get("CHANNEL_GROUP_EXPIRY", "300"))
# Redis connections per worker process and channel layer; more callers wait (REDIS_POOL_TIMEOUT
# seconds) for a free one instead of failing with MaxConnectionsError. Sizing: README.
REDIS_POOL_SIZE = int(os.environ.get("REDIS_POOL_SIZE", "50"))
REDIS_POOL_TIMEOUT = float(os.environ.get("REDIS_POOL_TIMEOUT", "10"))
# On SIGTERM / SIGINT a worker closes its sockets with 1012 and leaves its groups
# (realtime/lifecycle.py). Off in the test suite, whose sockets live inside pytest.
REALTIME_SIGNAL_HANDLERS = os.environ.get("REALTIME_SIGNAL_HANDLERS", "1") == "1"
_CHANNEL_PREFIX = os.environ.get("CHANNEL_PREFIX", "asgi")
if REDIS_URL:

    def _redis_layer(prefix: str, capacity: int) -> dict:
        return {
            "BACKEND": "realtime.layers.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, the same as the
                # layer's blocking-pop timeout: idle sockets would die with TimeoutError.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "max_connections": REDIS_POOL_SIZE,
                        "pool_timeout": REDIS_POOL_TIMEOUT,
                    }
                ],
                "capacity": capacity,
                "expiry": CHANNEL_EXPIRY,
                "group_expiry": CHANNEL_GROUP_EXPIRY,
                "prefix": prefix,
            },
        }

    CHANNEL_LAYERS = {
        "default": _redis_layer(_CHANNEL_PREFIX, CHANNEL_CAPACITY),
        "broadcasts": _redis_layer(f"{_CHANNEL_PREFIX}-broadcasts", CHANNEL_BROADCAST_CAPACITY),
    }
    # Pages read the default cache, which treats an unreachable Redis as a miss (logged), so a
    # Redis outage never shows an error page; shared counters use "counters" (same database and
    # prefix) and see the error, to count per process meanwhile (safety/counters.py).
    _redis_cache = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "brandloop"),
    }
    CACHES = {
        "default": {**_redis_cache, "OPTIONS": {"IGNORE_EXCEPTIONS": True}},
        "counters": _redis_cache,
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {
                "capacity": CHANNEL_CAPACITY,
                "expiry": CHANNEL_EXPIRY,
                "group_expiry": CHANNEL_GROUP_EXPIRY,
            },
        },
        "broadcasts": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {
                "capacity": CHANNEL_BROADCAST_CAPACITY,
                "expiry": CHANNEL_EXPIRY,
                "group_expiry": CHANNEL_GROUP_EXPIRY,
            },
        },
    }
    # One in-process store under two aliases (same LOCATION): see the Redis branch above.
    _local_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "app"}
    CACHES = {"default": _local_cache, "counters": _local_cache}

# --- Background tasks (django-tasks, Django's Tasks API) -------------------------------------
# "database": django-tasks-db, the embedded default (`manage.py db_worker`); "rq": RQ on Redis
# through django-tasks-rq (`manage.py rqworker default`), the default when REDIS_URL is set;
# "immediate": run in the caller's process at once (tests, and the e2e servers).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TASKS_BACKEND not in {"database", "rq", "immediate"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be one of: database, rq, immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "core.task_backends.ResilientRQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 15 * 60}}
# Failed tasks wrapped by core.tasks.retrying run again after TASK_RETRY_BACKOFF seconds,
# doubling each time, TASK_RETRY_ATTEMPTS attempts in all.
TASK_RETRY_ATTEMPTS = int(os.environ.get("TASK_RETRY_ATTEMPTS", "5"))
TASK_RETRY_BACKOFF = int(os.environ.get("TASK_RETRY_BACKOFF", "30"))

# --- Auth -----------------------------------------------------------------------------------
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

# --- E-mail ---------------------------------------------------------------------------------
# SMTP when EMAIL_HOST is set; otherwise every message is written as a file under var/mail/.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Brandloop <noreply@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
# A notification still unread this many seconds after it was stored is e-mailed (0: at once).
EMAIL_NOTIFY_AFTER_SECONDS = int(os.environ.get("EMAIL_NOTIFY_AFTER_SECONDS", "600"))
# Links in e-mail are absolute: SITE_URL is the public address of the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The lockout backend comes first: it refuses a locked account + address before any password
# check, on every entry point that calls ``authenticate`` (accounts, /cms/, /django-admin/, the
# API token). Rules and reasons: accounts/lockout.py and docs/security.md.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt is not counted again: it would stretch the wait for nothing.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# One address guessing many accounts: failures from it within the cool-off, all accounts.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
# Per account, from any address: after this many failures within the cool-off, each attempt
# waits LOGIN_ACCOUNT_DELAY_BASE x 2^n seconds after the last failure, at most
# LOGIN_ACCOUNT_DELAY_MAX. Addresses the owner logged in from before are not delayed.
LOGIN_ACCOUNT_FREE_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_FREE_FAILURES", "5"))
LOGIN_ACCOUNT_DELAY_BASE = 2
LOGIN_ACCOUNT_DELAY_MAX = int(os.environ.get("LOGIN_ACCOUNT_DELAY_MAX", "300"))
LOGIN_KNOWN_ADDRESS_DAYS = 90

# --- I18N / time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Serve MEDIA_URL from this process (safety/media.py); production uses a media domain or CDN.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest request body accepted at all (a 10 MB photo plus form fields): larger ones get a
# 413 before they are read (safety.body_size). nginx: client_max_body_size 13m.
MAX_REQUEST_BODY_SIZE = 13 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Brandloop"
WAGTAILADMIN_BASE_URL = SITE_URL
# Avatars come from our own uploads only: no request to gravatar.com with members' e-mail hashes.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Brandloop API",
    "DESCRIPTION": "Communities, contributions, points and recognition.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["config.api_schema.only_public_api"],
    # Human docs at /api/v1/docs/ from the sidecar package's own copy of Swagger UI: no CDN,
    # no inline script (the split view serves its start-up script as a file), so the CSP holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Notifications (django-notifications-community) -----------------------------------------
DJANGO_NOTIFICATIONS_CONFIG = {"USE_JSONFIELD": True, "SOFT_DELETE": False}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Rate limits: name -> (max hits, window seconds); RATE_LIMIT_<NAME>="hits/seconds" -----
RATE_LIMITS = {
    "signup": (5, 60 * 60),
    "api_token": (10, 15 * 60),
    # Contributions, per member across communities.
    "post": (30, 10 * 60),
    "vote": (60, 60 * 60),
    "upload": (20, 60 * 60),
    "report": (10, 60 * 60),
    "kudos": (30, 60 * 60),
    # Account: a member downloads a copy of their data a few times an hour at most.
    "data_export": (3, 60 * 60),
    # Password reset mails, per client address and per e-mail address asked for.
    "password_reset": (5, 60 * 60),
    "password_reset_email": (3, 60 * 60),
}
for _name in list(RATE_LIMITS):
    _override = os.environ.get(f"RATE_LIMIT_{_name.upper()}")
    if _override:
        _hits, _seconds = _override.split("/")
        RATE_LIMITS[_name] = (int(_hits), int(_seconds))
# How many proxies in front of the app append to X-Forwarded-For (nginx alone: 1; a load
# balancer then nginx: 2). 0: the header is ignored and REMOTE_ADDR is the client address.
# Used by every rate limit and the log-in lockout (safety.ratelimit.client_ip).
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_denials": {"()": "safety.log_filters.ExpectedDenialFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["expected_denials"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
