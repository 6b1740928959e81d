"""Settings for every environment, read from the environment (see .env.example).

Secure by default: DEBUG is off unless set, a missing SECRET_KEY fails outside DEBUG, and the
embedded default (SQLite under var/, local files, tasks in-process) needs no other service.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(environ.Env().str("SMARTCOMMUNE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Development only: a per-checkout key kept under var/, never committed.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "dev_secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "smartcommune.core",
    "smartcommune.audit",
    "smartcommune.directory",
    "smartcommune.workdays",
    "smartcommune.catalog",
    "smartcommune.notifications",
    "smartcommune.signing",
    "smartcommune.documents",
    "smartcommune.dossiers",
    "smartcommune.portal",
    "smartcommune.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "smartcommune.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smartcommune.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "smartcommune.directory.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes goes last so that it sees the final response of a failed login.
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
            ],
        },
    },
    # The page shell (core/jinja2/shell.html) and the busiest pages are Jinja2, in apps' `jinja2/`
    # folders: compiled to Python, a page costs a fraction of a Django template (core/jinja_env.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "smartcommune.core.jinja_env.environment",
            "autoescape": True,
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "smartcommune.directory.context_processors.navigation",
                "smartcommune.notifications.context_processors.unread_messages",
                "smartcommune.core.jinja_env.csrf",
                "smartcommune.core.jinja_env.translations",
            ],
        },
    },
]

# Forms are drawn with Django's Jinja2 widget templates (core/forms.py).
FORM_RENDERER = "smartcommune.core.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode; writers take the lock at BEGIN (IMMEDIATE) so that
# read-modify-write transactions never fail half-way with "database is locked".
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'smartcommune.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
else:
    # Without persistent connections PostgreSQL throughput falls ~9x (STACK_NOTES).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side parameters, and a query run 5 times on a connection is prepared: PostgreSQL then
    # skips parsing and planning it (the pages' reads by key are the same SQL each time). Turn off
    # behind a pooler in transaction mode (PgBouncer without max_prepared_statements).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------------
# Small per-user values every page shows (unread count, navigation unit). The embedded default keeps
# them in the process; with several worker processes use a shared cache, e.g. redis://127.0.0.1:6379/1,
# so that a change dropped by one process is dropped for all.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://smartcommune")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "smartcommune.core.cache.ReusingRedisCache"  # one client per pool
# Each process's short-lived copies of rows every page reads (core.cache.cached).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "smartcommune-local",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# --- Authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "smartcommune.directory.backends.CitizenContactBackend",  # phone or e-mail of a citizen
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "directory:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "directory:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "directory/lockout.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env.bool("DJANGO_BEHIND_PROXY", default=False)
    else ["REMOTE_ADDR"]
)

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="SmartCommune")

# --- Security headers ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
# HSTS preload binds the whole domain for years: the province's IT decides, so it is opt-in.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True

# --- Static and media files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 7
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- E-mail --------------------------------------------------------------------------------------
# Default: messages are written as files under var/mail so that nothing leaves the machine.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SmartCommune <no-reply@smartcommune.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- SMS -----------------------------------------------------------------------------------------
# Default: log-only (the phone masked, nothing sent). HttpSmsBackend posts JSON to a gateway.
SMS_BACKEND = env.str("SMS_BACKEND", default="smartcommune.notifications.sms.LogSmsBackend")
# Send SMS without diacritics: 160 characters per segment instead of 70.
SMS_ASCII_ONLY = env.bool("SMS_ASCII_ONLY", default=True)
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")
SMS_HTTP_SENDER = env.str("SMS_HTTP_SENDER", default="")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10.0)

# --- Background work (Celery) --------------------------------------------------------------------
# No broker configured -> tasks run in-process (eager); periodic jobs are then run by
# `manage.py run_periodic_jobs`, which `make run` starts beside the web server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "smartcommune.core.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- SmartCommune --------------------------------------------------------------------------------
SMARTCOMMUNE = {
    # Electronic identifier (mã định danh) of the province this installation serves.
    "PROVINCE_CODE": env.str("SMARTCOMMUNE_PROVINCE_CODE", default="000.00.00.H18"),
    "API_TOKEN_PREFIX": "sc",
    # Address citizens reach the site at: the QR code on every issued PDF points under it.
    "PUBLIC_BASE_URL": env.str("SMARTCOMMUNE_PUBLIC_BASE_URL", default="http://127.0.0.1:8000"),
}

# Digital signatures (smartcommune.signing). Without a TSA, signatures are PAdES B-B (recorded so).
SIGNING = {
    # RFC 3161 timestamping authority; empty: no timestamp (B-B).
    "TSA_URL": env.str("SIGNING_TSA_URL", default=""),
    # Seals the private keys kept in the database (AES-256-GCM under a key derived from it).
    # Defaults to SECRET_KEY; set its own in production, and keep it when rotating SECRET_KEY.
    "KEY_SECRET": env.str("SIGNING_KEY_SECRET", default="") or SECRET_KEY,
    # PKCS#11 module of the token or HSM (SoftHSM2 in tests) and the user PIN.
    "PKCS11_LIBRARY": env.str("SIGNING_PKCS11_LIBRARY", default="/usr/lib/softhsm/libsofthsm2.so"),
    "PKCS11_PIN": env.str("SIGNING_PKCS11_PIN", default=""),
    # Embed certificates and CRLs (LTV data) after each signature: +~60 ms a signature and a slower
    # verification (a DSS revision to analyse), so off by default; turn on for long-term archives.
    "EMBED_LTV": env.bool("SIGNING_EMBED_LTV", default=False),
    # Extra trusted roots for verification (PEM files), e.g. the national specialised CA's.
    "TRUST_ROOTS": env.list("SIGNING_TRUST_ROOTS", default=[]),
    "CRL_DAYS": 7,
    "EXPIRY_WARNING_DAYS": 30,
}

# External sign-in for citizens: an OpenID Connect provider (VNeID through the national portal's
# sign-in, DOMAIN.md §10.1), authorization-code flow. Off unless the issuer and client id are set.
SMARTCOMMUNE_OIDC = {
    "ISSUER": env.str("OIDC_ISSUER", default=""),
    "CLIENT_ID": env.str("OIDC_CLIENT_ID", default=""),
    "CLIENT_SECRET": env.str("OIDC_CLIENT_SECRET", default=""),
    "SCOPES": env.str("OIDC_SCOPES", default="openid"),
    "ACR_VALUES": env.str("OIDC_ACR_VALUES", default=""),
    "PERSONAL_ID_CLAIM": env.str("OIDC_PERSONAL_ID_CLAIM", default="SoDinhDanh"),
    "NAME_CLAIM": env.str("OIDC_NAME_CLAIM", default="HoVaTen"),
    "BIRTH_DATE_CLAIM": env.str("OIDC_BIRTH_DATE_CLAIM", default="NgayThangNamSinh"),
    "PROVIDER_NAME": env.str("OIDC_PROVIDER_NAME", default="VNeID"),
}

# Benchmarks only (bench/load.py): route the bare JSON view that measures the framework floor.
SMARTCOMMUNE_BENCH_FLOOR = env.bool("SMARTCOMMUNE_BENCH_FLOOR", default=False)

# Development server serves static files straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
