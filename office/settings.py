"""Settings of the office system.

Everything comes from environment variables (see .env.example). With no variables set the system runs
on the embedded default: SQLite in WAL mode and kombu's filesystem broker, both under var/.
Apps keep their own tunable rules (deadlines, limits) in their own ``conf.py``; this file holds the
wiring only.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("OFFICE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    SECURE_SSL_REDIRECT=(bool, False),
    SECURE_HSTS_SECONDS=(int, 0),
    SESSION_COOKIE_SECURE=(bool, False),
    CSRF_COOKIE_SECURE=(bool, False),
)
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env("DEBUG")
# The embedded default generates and keeps a local key; production must set SECRET_KEY.
_key_file = VAR_DIR / "secret_key"
if "SECRET_KEY" in env.ENVIRON:
    SECRET_KEY = env("SECRET_KEY")
else:
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key() + get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "guardian",
    "axes",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # office/security
    # the shared core (office/)
    "office",
    "office.org",
    "office.audit",
    "office.workdays",
    "office.clock",
    "office.notifications",
    "office.api",
    "office.web",
    "office.backup",
    "office.security",
    "office.meetings",
    "office.risks",
    "office.dashboard",
    # business apps
    "supervision",
    "duty",
    "documents",
    "research",
    "research.information",
    "suggestions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # under /api/: URL and body limits before routing, and every error as JSON (office/api/middleware.py)
    "office.api.middleware.ApiErrorMiddleware",
    # a request whose database connection was cut runs once more when that is safe (office/web/connection_retry.py)
    "office.web.connection_retry.DatabaseConnectionRetryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "office.web.middleware.OfficeLocaleMiddleware",  # Chinese unless switched (not by Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "office.security.middleware.SecurityMiddleware",  # sessions, two factors, passwords, headers
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "office.web.middleware.OfficeErrorMiddleware",
    # axes must be last
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "office.urls"
WSGI_APPLICATION = "office.wsgi.application"

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
                "office.web.context_processors.office",
                "office.clock.context_processors.clock_alarm",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'office.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers and the worker run beside one writer; IMMEDIATE takes the write lock at
            # BEGIN so two ticks serialise instead of failing on lock upgrade.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Rendered pieces of pages kept by each process under a key made of everything they show (the duty
# board's report rows): nothing to invalidate, and no round trip to Redis for each row.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "office-fragments",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# The API's throttle counts, shared by every gunicorn worker: Redis when CACHE_URL is Redis, else files
# under var/ (no table to create). THROTTLE_CACHE_URL chooses another (e.g. dbcache://throttle_cache).
if "THROTTLE_CACHE_URL" in env.ENVIRON:
    CACHES["throttle"] = env.cache("THROTTLE_CACHE_URL")
elif "redis" in CACHES["default"]["BACKEND"].lower():
    CACHES["throttle"] = {**CACHES["default"], "KEY_PREFIX": "throttle"}
else:
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "throttle"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # a Redis restart is a few cache misses, not 500s (office/cache.py)
        _cache["BACKEND"] = "office.cache.ResilientRedisCache"

# --- auth -----------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "office.security.validators.MinimumLengthValidator"},  # Django's, with its Chinese reason
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    *(
        {"NAME": f"office.security.validators.{v}"}
        for v in ("CharacterClassesValidator", "NotContainingUsernameValidator", "PasswordHistoryValidator")
    ),
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Front-end libraries are installed from the npm lockfile into node_modules and served from there.
STATICFILES_DIRS = [BASE_DIR / "static"]
_node_modules = BASE_DIR / "node_modules"
STATICFILES_DIRS += [
    (f"vendor/{name}", _node_modules / name / sub)
    for name, sub in [("bootstrap", "dist"), ("htmx.org", "dist"), ("echarts", "dist")]
    if (_node_modules / name / sub).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- security (production turns these on through the environment) --------------------------------
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE")
CSRF_COOKIE_SECURE = env("CSRF_COOKIE_SECURE")
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content Security Policy (django-csp): scripts and styles only from this server's static files, no
# inline script or style attribute anywhere (docs/security.md); data: images for Bootstrap's icons and
# the QR codes. Swagger UI at /api/docs/ alone adds its inline <style> (office/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True

# --- e-mail ---------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="市委办公室 <office@localhost>")

# --- celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),
        "data_folder_out": str(_broker / "queue"),
        "processed_folder": str(_broker / "processed"),
        # the exchange table (broadcast/pidbox); kombu's default is ./control in the working directory
        "control_folder": str(_broker / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}  # each office module adds its periodic tasks in office/celery.py

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "office.api.authentication.UnitAPIKeyAuthentication",
        "office.api.authentication.SessionAuthentication",  # DRF's, with a Chinese CSRF refusal
    ],
    # JSON only, errors included: no browsable HTML pages (Swagger UI at /api/docs/ is the human view); a
    # client that accepts only something else gets 406 in JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [  # DRF's, with Chinese parse errors and JSON nesting bounded
        "office.api.parsers.JSONParser",
        "office.api.parsers.FormParser",
        "office.api.parsers.MultiPartParser",
    ],
    # One rate per API key, per person and per anonymous address (office/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["office.api.throttling.OfficeApiThrottle"],
    # The anonymous rate counts by address: trust X-Forwarded-For only behind the reverse proxy.
    "NUM_PROXIES": 1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "office.api.pagination.StandardCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "office.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_KEY_CUSTOM_HEADER = "HTTP_X_API_KEY"
SPECTACULAR_SETTINGS = {
    # the title and description are set (translated) by office.api.schema.describe_api
    "TITLE": "市委办公室业务系统 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No SECURITY / securitySchemes here: each operation lists the schemes of its authentication classes
    # (office.api.authentication's extension and DRF's session), each once.
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "supervision.models.Status",
        "FeedbackKindEnum": "supervision.models.FeedbackKind",
        "ExtensionStatusEnum": "supervision.models.ExtensionStatus",
        "ReportStatusEnum": "duty.models.ReportStatus",
        "ReportLevelEnum": "duty.models.ReportLevel",
        "UnitKindEnum": "office.org.models.UnitKind",
        "StepKindEnum": "supervision.models.StepKind",
        "UpdateKindEnum": "duty.models.UpdateKind",
        "UpdateSubmitKindEnum": "duty.api.serializers.UPDATE_SUBMIT_KINDS",
        "CallerKindEnum": "office.api.serializers.CALLER_KINDS",
        "ItemUrgencyEnum": "supervision.models.Urgency",
        "DocumentUrgencyEnum": "documents.incoming.api.API_URGENCIES",
        "IncomingStatusEnum": "documents.incoming.models.IncomingStatus",
        "IncomingClassificationEnum": "documents.incoming.api.API_LEVELS",
        "OutgoingDocTypeEnum": "documents.models.DocType",
        "OutgoingClassificationEnum": "documents.models.Classification",
        "InfoStatusEnum": "research.information.models.InfoStatus",
        "InfoTypeEnum": "research.information.models.InfoType",
        "AdoptionKindEnum": "research.information.models.AdoptionKind",
        "TopicKindEnum": "research.models.TopicKind",
    },
    "PREPROCESSING_HOOKS": ["office.api.schema.api_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "office.api.errors.add_error_responses",
        "office.api.schema.describe_api",
    ],
}

# --- logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- the office -----------------------------------------------------------------------------------
OFFICE_NAME = env.str("OFFICE_NAME", default="中共某某市委办公室")
OFFICE_SITE_URL = env.str("OFFICE_SITE_URL", default="http://127.0.0.1:8000")
