"""cvetracker settings: one file, every deployment choice read from the environment.

See README.md ("Configuration") for the variables and their defaults.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cvetracker.env import (
    env_bool,
    env_days,
    env_days_list,
    env_email_url,
    env_hours,
    env_int,
    env_json,
    env_list,
    env_networks,
    env_rate,
    env_redis_url,
    env_str,
)
from cvetracker.release import source_release

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS (docs/operations.md). With DEBUG off each defaults to the strict choice, so a production
# run passes `check --deploy`; with DEBUG on (`make demo` on http://127.0.0.1) none applies.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe the app directly, over plain http
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# Behind a TLS-terminating proxy that sets this header (and drops it from clients' requests),
# e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https; unset, no header is trusted.
SECURE_PROXY_SSL_HEADER = tuple(env_list("SECURE_PROXY_SSL_HEADER")) or None
if SECURE_PROXY_SSL_HEADER and len(SECURE_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be a header and a value: HTTP_X_FORWARDED_PROTO,https")
# How many reverse proxies append to X-Forwarded-For in front of the app (security.client.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Also sent, as Django's defaults: X-Content-Type-Options nosniff, X-Frame-Options DENY,
# Referrer-Policy same-origin, Cross-Origin-Opener-Policy same-origin.

# Anonymous visitors may read pages and API when this is on; nothing when it is off.
PUBLIC_READ = env_bool("PUBLIC_READ", True)
# Spreadsheet imports (imports/): a larger file is refused unread, asking for it to be split.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_MEGABYTES = env_int("IMPORT_MAX_MEGABYTES", 10)
# Evidence files of status updates (recommendations/evidence.py): the kinds accepted (judged by content),
# the size of each and how many one report may carry. Stored in STORAGES["evidence"] below.
EVIDENCE_TYPES = env_list(
    "EVIDENCE_TYPES", ["pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "odt", "ods", "odp", "ole"]
)
EVIDENCE_MAX_MEGABYTES = env_int("EVIDENCE_MAX_MEGABYTES", 10)
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 5)

# Mail (docs/operations.md): one EMAIL_URL, or the separate EMAIL_* variables. With neither, or
# under DEBUG, mails are printed on the console instead (`make demo` shows them).
_EMAIL = env_email_url("EMAIL_URL")
if _EMAIL and env_str("EMAIL_HOST"):
    raise ImproperlyConfigured("Set EMAIL_URL or EMAIL_HOST and the other EMAIL_* variables, not both.")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST") or env_str("EMAIL_HOST")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT") or env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", env_str("EMAIL_HOST_USER"))
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", env_str("EMAIL_HOST_PASSWORD"))
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", env_bool("EMAIL_USE_TLS"))
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", env_bool("EMAIL_USE_SSL"))
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (TLS from the start) exclude each other.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds: a stuck mail server must not hold a worker
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST and not DEBUG
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cvetracker <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # the sender of error mails to ADMINS

# The site's address as its users reach it, for the links in mails sent outside a request
# (manage.py send_reminders); under DEBUG the address `make demo` serves on (PORT, as in the Makefile).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}" if DEBUG else "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://; got {SITE_URL!r}")

# Reminders (reminders/, docs/operations.md#reminders): a focal point is reminded of an assignment
# falling due REMINDER_LEAD_DAYS before, and of one overdue or without a report for
# REMINDER_SILENT_DAYS; an overdue or silent one again every REMINDER_REPEAT_DAYS.
REMINDER_LEAD_DAYS = env_days_list("REMINDER_LEAD_DAYS", [30, 7])
REMINDER_SILENT_DAYS = env_days("REMINDER_SILENT_DAYS", 90)
REMINDER_REPEAT_DAYS = env_days("REMINDER_REPEAT_DAYS", 14)

# Webhooks (webhooks/, docs/operations.md#webhooks): `manage.py deliver_webhooks` waits
# WEBHOOK_TIMEOUT seconds for a receiver and holds a delivery WEBHOOK_LEASE_SECONDS (longer, so a
# slow answer is never sent twice at once); a failed attempt is tried again after
# WEBHOOK_RETRY_SECONDS × 2^(attempts − 1), WEBHOOK_MAX_ATTEMPTS times in all; WEBHOOK_DISABLE_AFTER
# failures in a row disable the endpoint. Only public addresses, unless WEBHOOK_ALLOWED_NETWORKS
# (e.g. 10.0.0.0/8) lets a network in.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
WEBHOOK_LEASE_SECONDS = env_int("WEBHOOK_LEASE_SECONDS", 60)
if not 0 < WEBHOOK_TIMEOUT < WEBHOOK_LEASE_SECONDS:
    raise ImproperlyConfigured("WEBHOOK_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT, both positive.")
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 60)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 20)
WEBHOOK_POLL_SECONDS = env_int("WEBHOOK_POLL_SECONDS", 5)
WEBHOOK_ALLOWED_NETWORKS = env_networks("WEBHOOK_ALLOWED_NETWORKS")

# The password of the users `manage.py load_demo` creates; unset or empty, the published default.
DEFAULT_DEMO_PASSWORD = "cvetracker-demo"
DEMO_PASSWORD = env_str("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD

INSTALLED_APPS = [
    # Before every app whose ready() reads model fields (security registers auditlog there), so the
    # content's language columns (title_en, title_ru, title_kk…) exist by then.
    "modeltranslation",
    "security",  # first: its admin/object_history.html adds the audit trail to the admin's history pages
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "axes",
    "csp",
    "events",
    "recommendations",
    "api",
    "web",
    "accounts",
    "imports",
    "reminders",
    "webhooks",
    "notifications",
    "benchmarks",  # tooling only: `manage.py generate_synthetic`, no models
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before CommonMiddleware (Django's order)
    "accounts.language.language_cookie",  # a signed-in user's stored language, given at sign-in
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cvetracker.read_cache.read_request_cache",  # read answers cached while the data is unchanged
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "cvetracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "cvetracker.wsgi.application"

# DATABASE_URL unset: an embedded SQLite file. postgres://… switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if env_bool("DB_POOL") else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock (up to 20 s) instead of failing with
    # "database is locked"; IMMEDIATE takes the write lock at BEGIN so a transaction
    # never has to upgrade a read lock; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Behind PgBouncer in transaction pooling mode, a cursor cannot outlive its transaction (docs/operations.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS")
# DB_POOL=on: each process keeps a psycopg pool of DB_POOL_MIN_SIZE to DB_POOL_MAX_SIZE connections that
# its threads share, each request borrowing one (docs/operations.md; PgBouncer is the alternative).
if env_bool("DB_POOL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DB_POOL=on needs PostgreSQL (a postgres:// DATABASE_URL).")
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured("DB_POOL=on and DB_CONN_MAX_AGE > 0 exclude each other: the pool keeps connections.")
    _pool = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),  # seconds a request waits for a free connection
    }
    if not (0 <= _pool["min_size"] <= _pool["max_size"] and _pool["max_size"] >= 1 and _pool["timeout"] > 0):
        raise ImproperlyConfigured(
            "DB_POOL needs 0 <= DB_POOL_MIN_SIZE <= DB_POOL_MAX_SIZE, 1 <= DB_POOL_MAX_SIZE and DB_POOL_TIMEOUT > 0."
        )
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = _pool

# Which code is running (cvetracker/release.py): every cache key starts with it.
RELEASE = env_str("RELEASE") or source_release(BASE_DIR)

# REDIS_URL (or CACHE_URL) set: one Redis that every process and server shares, so rate limits and
# cached answers are the same whichever serves a request. Unset: in memory, per process (`make demo`).
# "default" keeps the API's rate-limit counters; "answers" the read answers cached under the data
# version (cvetracker/read_cache.py): in memory apart, so neither evicts the other; in Redis one
# keyspace, told apart by the key prefix. (Login lockouts are in the database: axes' default handler.)
_REDIS_URL = env_redis_url("REDIS_URL") or env_redis_url("CACHE_URL")


def _cache(alias, **in_memory_options):
    if _REDIS_URL:
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},  # seconds: fail, do not hang
        }
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        backend["OPTIONS"] = in_memory_options
    return {**backend, "KEY_PREFIX": f"{RELEASE}:{alias}"}


CACHES = {
    "default": _cache("default"),
    # READ_CACHE=off computes every answer each time (benchmarks/run.py measures both).
    "answers": _cache("answers", MAX_ENTRIES=2000)
    if env_bool("READ_CACHE", True)
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# The documents' texts (manage.py load_source_text); the tests that check quotes against them
# skip, saying so, where the folder is absent (a fresh clone without it beside the repository).
SOURCE_TEXTS_DIR = Path(env_str("SOURCE_TEXTS_DIR", str(BASE_DIR.parent / "shared" / "seeds")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Languages (docs/translations.md). English is "en" with British formats (cvetracker/formats/en).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]  # each in its own name
LOCALE_PATHS = [
    BASE_DIR / "locale",  # the tracker's own strings: makemessages writes here
    BASE_DIR / "locale_upstream",  # what Django and the libraries lack in Kazakh: edited by hand
]
FORMAT_MODULE_PATH = ["cvetracker.formats"]  # Kazakh formats, which Django lacks
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
# Per-language date formats the templates name (cvetracker/formats/<language>/formats.py).
FORMAT_MODULE_PATH = "cvetracker.formats"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]

# Content in several languages (docs/content-translations.md): each translated field has a column per
# language on its own table; a missing translation falls back to English, the sources' language.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence files: a folder outside STATIC_ROOT (nothing serves it; downloads go through web/evidence.py),
    # or any storage backend (e.g. django-storages' S3) with its options as JSON.
    "evidence": {
        "BACKEND": env_str("EVIDENCE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("EVIDENCE_STORAGE_OPTIONS")
        or {"location": env_str("EVIDENCE_ROOT", str(BASE_DIR / "media" / "evidence")), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    # Token first: a request without credentials then gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "security.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOrSignedIn"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["security.throttling.AnonRateThrottle", "security.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
        "sign_in": env_rate("API_THROTTLE_SIGN_IN", "10/minute"),  # POST /api/auth/token/, per address
        # The password reset page (security/password_reset.py): requests per e-mail address and per client.
        "password_reset_address": env_rate("PASSWORD_RESET_PER_ADDRESS", "3/hour"),
        "password_reset_client": env_rate("PASSWORD_RESET_PER_CLIENT", "20/hour"),
        # Focal-point invitations mailed (recommendations.workflow.invite_focal_point): per coordinator, per address.
        "invitations_coordinator": env_rate("INVITATIONS_PER_COORDINATOR", "30/hour"),
        "invitations_address": env_rate("INVITATIONS_PER_ADDRESS", "3/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# A focal point's invitation link (accounts/invitations.py) works this long, and only until the
# password is set; a password reset link works PASSWORD_RESET_TIMEOUT (Django's, three days).
INVITATION_LINK_DAYS = env_days("INVITATION_LINK_DAYS", 7)

# API tokens (security/tokens.py) expire this long after they are issued; a password change,
# deactivation or lockout revokes them sooner.
API_TOKEN_TTL = env_hours("API_TOKEN_TTL_HOURS", 30 * 24)

SPECTACULAR_SETTINGS = {
    "TITLE": "cvetracker API",
    "DESCRIPTION": "Commitments from meetings on countering violent extremism: who is "
    "responsible, what they reported, and how far things have got.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.ReadOrSignedIn"],  # the schema is read like the rest of the API
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "RENDERER_WHITELIST": ["rest_framework.renderers.JSONRenderer"],  # CSV is documented by api.schema
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "recommendations.choices.Status",
        "CurrentStatusEnum": "recommendations.choices.CURRENT_STATUS_CHOICES",
        "RecommendationKindEnum": "recommendations.choices.RecommendationKind",
        "UpdateKindEnum": "recommendations.choices.UpdateKind",
        "AssignmentRoleEnum": "recommendations.choices.AssignmentRole",
        "EventKindEnum": "events.choices.EventKind",
        "ActorKindEnum": "events.choices.ActorKind",
        "ParticipationRoleEnum": "events.choices.ParticipationRole",
        "WebhookEventTypeEnum": "webhooks.models.EventType",
        "DeliveryStatusEnum": "webhooks.models.Delivery.Status",
    },
}

# Content Security Policy: everything from this origin, no inline script or style anywhere
# (the admin, the pages and the Swagger UI/Redoc of drf-spectacular-sidecar all comply).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login lockout (django-axes) on the login page, the admin, POST /api/auth/token/ and the password
# change pages (a wrong current password counts): after LOGIN_FAILURE_LIMIT failures for one username
# from one address, 429 for LOGIN_LOCKOUT_MINUTES, and the user's API tokens are revoked.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "security.client.client_ip"
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Never stored in the attempt log (axes always masks "password"): the password change page's fields.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2"]
AXES_VERBOSE = False  # no start-up banner in every manage.py command; lockouts are still logged

# Audit trail (security/audit.py). Foreign keys are stored as the related object's name, so the
# history stays readable after it is renamed or deleted; loaddata (fixtures, restores) is not logged.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "cvetracker.logs.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own console handler (DEBUG only) would print each of its records a second time.
    # httpx (webhook deliveries) logs every request at INFO; deliver_webhooks logs the outcomes itself.
    "loggers": {
        "django": {"handlers": [], "level": env_str("LOG_LEVEL", "INFO")},
        "httpx": {"level": "WARNING"},
    },
}
