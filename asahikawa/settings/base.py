"""Settings shared by every environment.

Every deploy-time value is read once, here, from the environment (see .env.example).
local.py, test.py and production.py differ from this only where they must.
"""
import datetime
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / ".var"  # local state of the embedded default (SQLite, broker, cache)

env = environ.Env()
# A .env file is read only when asked (DJANGO_READ_DOT_ENV_FILE=true), as cookiecutter-django does:
# a production .env beside the code must not change what `make run` and `make test` use.
# docker-compose passes its values explicitly (docker-compose.yml).
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-in-production-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies of the deployment's own stand in front of the portal (docker-compose: 1). The
# client's address is read from X-Forwarded-For only that far (asahikawa/clientip.py), for the
# sign-in attempt limits and the logs; 0 (the default) ignores the header, which clients can write.
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)

# --- Databases: SQLite file in the project unless DATABASE_URL names another. ---
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

# --- Cache: Redis when there is one, else a file cache shared by the local processes. ---
if REDIS_URL:
    # Redis, with a per-process fallback while it does not answer (asahikawa/cache.py): a cache
    # outage never makes sign-in (whose attempt limits live here) answer 500.
    CACHES = {"default": {"BACKEND": "asahikawa.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

INSTALLED_APPS = [
    "asahikawa.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "asahikawa.accounts",
    "asahikawa.notifications",
    # The areas' feature apps (asahikawa/areas.py: each declares how it plugs in).
    "wellness.points",
    "wellness.carers",
    "community.circulars",
    "community.notices",
    "community.garbage",
    "agriculture.grants",
    "budget",
]

MIDDLEWARE = [
    "asahikawa.logs.RequestLogMiddleware",  # first: every request gets its id and its log line
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "asahikawa.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "asahikawa.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "asahikawa.urls"
WSGI_APPLICATION = "asahikawa.wsgi.application"

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
                "asahikawa.notifications.context_processors.inbox",
            ],
            # The platform's template tags ({% load portal %}: amounts in 億/万, fiscal years...).
            "libraries": {"portal": "asahikawa.templatetags.portal"},
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the request's user with its profile (one query, not two).
    "asahikawa.accounts.backends.ModelBackend",
    "asahikawa.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# --- django-allauth: email login, mandatory verification, rate limits, TOTP. ---
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {"signup": "asahikawa.accounts.forms.SignupConsentForm"}
ACCOUNT_ADAPTER = "asahikawa.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[旭川市ポータル] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = PORTAL_TRUSTED_PROXIES  # the adapter asks asahikawa.clientip anyway
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Asahikawa City Portal"

# --- Internationalization: Japanese first, English second. ---
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it; production adds Secure
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Private documents (circular attachments, subsidy documents...): never under MEDIA_URL or the
# static files, served only by permission-checked views (asahikawa.uploads). On one host a folder;
# with more than one web host, S3-compatible object storage (django-storages) shared by all of them.
PRIVATE_STORAGE_BUCKET = env("PRIVATE_STORAGE_BUCKET", default="")
if PRIVATE_STORAGE_BUCKET:
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_BUCKET,
            "endpoint_url": env("PRIVATE_STORAGE_ENDPOINT_URL", default=None),
            "access_key": env("PRIVATE_STORAGE_ACCESS_KEY", default=None),
            "secret_key": env("PRIVATE_STORAGE_SECRET_KEY", default=None),
            "region_name": env("PRIVATE_STORAGE_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "asahikawa.uploads.PrivateFileSystemStorage",
        "OPTIONS": {"location": env("DJANGO_PRIVATE_ROOT", default=str(VAR_DIR / "private"))},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# --- Email ---
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="旭川市ポータル <noreply@portal.city.asahikawa.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Security headers (all environments; production adds HTTPS-only ones). ---
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the database: a
# signed-in page costs no session query, and a cache outage or restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Django REST framework ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "asahikawa.api.authentication.DeviceTokenAuthentication",
        "asahikawa.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["asahikawa.api.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "asahikawa.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "asahikawa.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "asahikawa.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "asahikawa.api.parsers.JSONParser",  # a capped size and nesting depth
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# The smartphone app's sign-in: one token per device, ended by sign-out, a password change or
# this long without use (asahikawa/accounts/devices.py).
PORTAL_API_TOKEN_TTL = datetime.timedelta(days=env.int("PORTAL_API_TOKEN_DAYS", default=30))
# The largest JSON body and the deepest nesting the API reads (larger: 413, deeper: 400).
PORTAL_API_MAX_JSON_BYTES = 1_000_000
PORTAL_API_MAX_JSON_DEPTH = 20
SPECTACULAR_SETTINGS = {
    "TITLE": "旭川市ポータル API (Asahikawa city services portal)",
    "DESCRIPTION": "The API of the Asahikawa city services portal, used by the city's smartphone app. "
    "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/). "
    'Every error answers with one body: {"message": ..., "extra": {"fields": {...}}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No deep links: Swagger UI would nest a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": True, "displayOperationId": True},
    # One name for a choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {"RecordSourceEnum": "wellness.points.models.Source"},
}

# --- Celery: Redis when REDIS_URL is set; else a file-system broker (no server needed). ---
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # kombu's default is ./control
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one task at a time
CELERY_TASK_ACKS_LATE = False  # only idempotent tasks opt in, per task (acks_late=True)
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule is declared by the apps (periodic_tasks in their AppConfig; asahikawa.areas).

# --- Logs: one line per request and per task with a request id (asahikawa/logs.py); JSON in
# production (DJANGO_LOG_FORMAT=json), text on a developer's terminal. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "asahikawa.logs.JsonFormatter"},
        "text": {"()": "asahikawa.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": env("DJANGO_LOG_FORMAT", default="") or "text"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},  # through the root's handler only (no double lines)
        # 4xx answers are in the portal's own request line (asahikawa.request); Django still logs 5xx with the trace.
        "django.request": {"level": "ERROR"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING too (JSON, request ids)

# --- Error reports: Sentry, only when SENTRY_DSN is set (nothing is sent otherwise). ---
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from asahikawa.logs import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
