"""BorderLink settings: one module, driven by environment variables.

BORDERLINK_ENV    development (default) or production; production refuses to start without
                  SECRET_KEY and ALLOWED_HOSTS.
DATABASE_URL      sqlite:///path or postgres://user@host:port/db; SQLite under var/ when unset.
SECRET_KEY        required in production; in development one is kept in var/secret_key.
ALLOWED_HOSTS     comma-separated.
MAP_TILE_URL      optional tile URL template; maps work without it.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from borderlink.env import ConfigError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("BORDERLINK_VAR_DIR", str(PROJECT_DIR / "var")))

ENVIRONMENT = env_str("BORDERLINK_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ConfigError(f"BORDERLINK_ENV={ENVIRONMENT!r}: use development or production")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ConfigError("SECRET_KEY must be set when BORDERLINK_ENV=production")
    # Development: keep one key across restarts so sessions survive.
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(key)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS must be set when BORDERLINK_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",  # installed with either backend, so the schema is the same (core/jobs.py)
    "borderlink.core",
    "borderlink.accounts",
    "borderlink.places",
    "borderlink.registers",
    "borderlink.ties",
    "borderlink.ledger",
    "borderlink.stats",
    "borderlink.reports",
    "borderlink.portal",
    "borderlink.border",
    "borderlink.delegations",
    "borderlink.economy",
    "borderlink.people",
    "borderlink.demo",
    "borderlink.field",  # the installable field app: records offline, syncs exactly once
    "borderlink.desk",  # the home page: the top layer, reading from every app above it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "borderlink.core.middleware.RejectNulMiddleware",
    "borderlink.portal.caching.PublicResponseMiddleware",  # above sessions/locale: sees their Vary
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "borderlink.core.db_router.ReadYourWritesMiddleware",  # replica reads, and one's own writes
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "borderlink.core.middleware.CurrentUserMiddleware",
    "borderlink.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "borderlink.urls"
WSGI_APPLICATION = "borderlink.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "borderlink.core.context_processors.map_tiles",
                "borderlink.navigation.navigation",
            ],
            # USE_THOUSAND_SEPARATOR groups every integer a template prints, so machine values
            # (ids in links and data attributes, years) must say `|unlocalize`: loaded everywhere.
            "builtins": ["django.templatetags.l10n"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'borderlink.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer writes; a busy timeout instead of "database is locked".
    # A write waits this long for a long import to finish, then gets a 503 (core/busy.py).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replicas (PostgreSQL streaming replicas of the primary, same database name): aliases
# replica1, replica2… Dashboards, figures, maps, exports and the public portal read from one
# (core/db_router.py); writes, a user's reads for DATABASE_REPLICA_STICKY seconds after their own
# write, and everything else go to the primary, as do all reads when a replica is down, lags more
# than DATABASE_REPLICA_MAX_LAG seconds or has not replayed what the reader must see. A replica
# that did not answer is tried again after DATABASE_REPLICA_RETRY seconds.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    if {_replica["ENGINE"], DATABASES["default"]["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ConfigError("DATABASE_REPLICA_URLS: replicas are PostgreSQL, as the primary must be")
    _replica["OPTIONS"] = {"connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2)}
    _replica["CONN_HEALTH_CHECKS"] = True  # a replica restarted under a kept connection
    _replica["TEST"] = {"MIRROR": "default"}  # tests read their own writes through the primary
    DATABASES[f"replica{_number}"] = _replica
DATABASE_ROUTERS = ["borderlink.core.db_router.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 10)
DATABASE_REPLICA_STICKY = env_int("DATABASE_REPLICA_STICKY", 60)
DATABASE_REPLICA_RETRY = env_int("DATABASE_REPLICA_RETRY", 10)
# Which database served a response's reads, in the header X-BorderLink-Read-From (the topology
# test reads it; off by default: it tells the world nothing it needs).
DATABASE_REPLICA_MARKER = env_bool("DATABASE_REPLICA_MARKER", default=False)

# The cache: shared by every app server and worker on Redis when REDIS_URL is set (public pages,
# headline figures, map layers, visit throttles; the versions writers move on,
# core/cache_versions.py), else in each process's memory. Sessions stay in the database.
# CACHE_KEY_PREFIX keeps installations that share one Redis apart.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "borderlink"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first: new and changed passwords are hashed with it; older hashes still verify and are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Logins go through the throttle (accounts/lockout.py): after LOGIN_FAILURE_LIMIT failures for
# one user name from one client address within LOGIN_FAILURE_MINUTES, or LOGIN_ACCOUNT_LIMIT
# from anywhere, each try waits 2, 4, 8 … seconds (at most the window); LOGIN_ADDRESS_LIMIT
# failures from one client address refuse that address meanwhile.
AUTHENTICATION_BACKENDS = ["borderlink.accounts.backends.LockoutBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_MINUTES = env_int("LOGIN_FAILURE_MINUTES", 15)
LOGIN_ACCOUNT_LIMIT = env_int("LOGIN_ACCOUNT_LIMIT", 20)
LOGIN_ADDRESS_LIMIT = env_int("LOGIN_ADDRESS_LIMIT", 30)
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed when they are the
# peer (core/client_address.py); none by default, so a forged header changes nothing.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ConfigError(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or network (e.g. 127.0.0.1, 10.0.0.0/8)"
        ) from None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Languages: Vietnamese first (the default), English, Simplified Chinese.
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [Path(env_str("BORDERLINK_LOCALE_DIR", str(BASE_DIR / "locale")))]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"


def _xstatic_dir(module: str) -> str:
    import importlib

    return str(importlib.import_module(f"xstatic.pkg.{module}").BASE_DIR)


# Front-end libraries come from pip packages: no CDN, no Node build.
STATICFILES_DIRS = [
    ("vendor/bootstrap", _xstatic_dir("bootstrap")),
    ("vendor/leaflet", _xstatic_dir("leaflet")),
]
STATIC_ROOT = VAR_DIR / "static"
# Outside production WhiteNoise also finds files in the apps, so a fresh checkout serves its
# assets before `collectstatic`.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Uploaded files are never served from MEDIA_URL: core/files.py hands them out through the gate.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
# Imports (registers/tabular.py) are refused before parsing past these: rows, columns, and what
# an XLSX (a zip) unpacks to, in bytes and as a multiple of its packed size.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 300 * 1024 * 1024)
IMPORT_MAX_PACKING_RATIO = env_int("IMPORT_MAX_PACKING_RATIO", 100)
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form refused by the CSRF check gets the site's translated page (core/errors.py).
CSRF_FAILURE_VIEW = "borderlink.core.errors.csrf_failure"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# HSTS: browsers that reached the site over https keep to https. Django sends it only on https
# requests (directly, or from the proxy by X-Forwarded-Proto in production); 0 turns it off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = False
# The public visit counter counts at most this many views per client an hour (portal/visits.py).
PORTAL_VISITS_PER_HOUR = env_int("PORTAL_VISITS_PER_HOUR", 120)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The API's answers to GET kept per process, keyed by PostgreSQL's snapshot so that any commit
# (raw SQL included) is seen at once (registers/api_cache.py). Off on SQLite whatever this says.
API_RESPONSE_CACHE = env_bool("API_RESPONSE_CACHE", True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "borderlink.accounts.api_keys.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "borderlink.core.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BorderLink API",
    "DESCRIPTION": "Registers of a border province's external affairs and cooperation.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

FORMAT_MODULE_PATH = ["borderlink.formats"]
USE_THOUSAND_SEPARATOR = True

# The statistics engine keeps ledger sums for every unit down to this depth of the tree
# (1 = country, 2 = province, 3 = district, 4 = commune, 5 = a station or village under a
# commune); deeper subtrees are read from the ledger. 5 keeps a station's twenty years out of
# the ledger (bench/README-stats.md).
STATS_ROLLUP_DEPTH = env_int("STATS_ROLLUP_DEPTH", 5)

# Personal data (people registers): identity numbers and dates of birth are encrypted at rest
# with PERSONAL_DATA_KEY (32+ characters; PERSONAL_DATA_OLD_KEYS, comma-separated, still
# decrypt after a rotation). Outside production a fixed development key stands in: never real
# people under it. Retention: closed registrations are anonymised after this many days.
PERSONAL_DATA_KEY = env_str("PERSONAL_DATA_KEY") or (
    "" if PRODUCTION else "borderlink-development-only-not-for-real-personal-data"
)
PERSONAL_DATA_OLD_KEYS = env_list("PERSONAL_DATA_OLD_KEYS")
if PRODUCTION and not PERSONAL_DATA_KEY:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEY must be set when BORDERLINK_ENV=production: it encrypts identity "
        "numbers and dates of birth (32 or more random characters; keep it out of backups)."
    )
PEOPLE_RETENTION_DAYS = env_int("PEOPLE_RETENTION_DAYS", 5 * 365)

# Backups (`borderlink backup`) are always encrypted (core/backup_encryption.py) under this key,
# 32+ random characters, or under the one in the file BACKUP_KEY_FILE names. Keep it apart from
# the backups and from PERSONAL_DATA_KEY: without it a backup cannot be restored.
BACKUP_KEY = env_str("BACKUP_KEY")
BACKUP_KEY_FILE = env_str("BACKUP_KEY_FILE")

# Background jobs (core/jobs.py) through Django's tasks API: imports, reports, scheduled work.
# TASKS_BACKEND=database (default) keeps the queue in the database, SQLite too, and needs no
# other server; TASKS_BACKEND=rq queues on Redis (REDIS_URL) for several machines. Either way
# `borderlink worker` does the work (`borderlink serve` runs one with the database backend).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
RQ_QUEUES = {
    "default": {
        "URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": 6 * 3600,  # a national import may take hours; RQ kills past this
    }
}
TASKS: dict[str, dict[str, object]]
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")
else:
    raise ConfigError(f"TASKS_BACKEND={TASKS_BACKEND!r}: use database or rq")
# A worker writes a running job's heartbeat this often; a job silent for JOBS_DEAD_AFTER_SECONDS
# is presumed abandoned (its worker killed) and enqueued again, JOBS_MAX_ATTEMPTS times at most;
# the worker looks for such jobs every JOBS_SWEEP_SECONDS.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 10)
JOBS_DEAD_AFTER_SECONDS = env_int("JOBS_DEAD_AFTER_SECONDS", 30)
JOBS_SWEEP_SECONDS = env_int("JOBS_SWEEP_SECONDS", 15)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)
# Scheduled work (anonymisation, the rollup check) is enqueued once a day from this hour on.
JOBS_NIGHTLY_HOUR = env_int("JOBS_NIGHTLY_HOUR", 2)
# Imports and reports are queued for a worker; off, they run in the request (most tests).
IMPORTS_IN_BACKGROUND = env_bool("IMPORTS_IN_BACKGROUND", default=True)
REPORTS_IN_BACKGROUND = env_bool("REPORTS_IN_BACKGROUND", default=True)
