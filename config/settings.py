"""Settings for Case Audit, read from the environment.

CASEAUDIT_ENVIRONMENT chooses the defaults: "production" (the default: refuses insecure
settings), "demo" (loopback over plain HTTP with a throwaway key), "development" (DEBUG on)
or "test".
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from caseaudit.lib.env import read_bool, read_int, read_list, read_str

django_stubs_ext.monkeypatch()  # lets generic Django classes be subscripted for typing

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = read_str("CASEAUDIT_ENVIRONMENT", "production")
if ENVIRONMENT not in {"production", "demo", "development", "test"}:
    raise ImproperlyConfigured(
        f"CASEAUDIT_ENVIRONMENT must be production, demo, development or test, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

INSECURE_SECRET_KEY = "insecure-demo-key-never-use-in-production"  # noqa: S105  # nosec B105 # refused in production
SECRET_KEY = read_str("SECRET_KEY", "" if PRODUCTION else INSECURE_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == INSECURE_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(or SECRET_KEY_FILE to a file holding one)."
    )

DEBUG = read_bool("DEBUG", ENVIRONMENT == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
ALLOWED_HOSTS = read_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = read_list("CSRF_TRUSTED_ORIGINS", [])

SITE_URL = read_str("SITE_URL", "http://127.0.0.1:8000")
PARTNERSHIP_NAME = read_str("PARTNERSHIP_NAME", "Safeguarding Children Partnership")
PROTECTIVE_MARKING = read_str("PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")

INSTALLED_APPS = [
    "caseaudit.accounts",
    "caseaudit.audit_tools",
    "caseaudit.activity",
    "caseaudit.audits",
    "caseaudit.exchange",
    "caseaudit.meetings",
    "caseaudit.reports",
    "caseaudit.api",
    "caseaudit.synth",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "caseaudit.lib.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "caseaudit.accounts.middleware.SessionTimeoutMiddleware",
    "caseaudit.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "caseaudit.lib.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "caseaudit.lib.context.service",
            ],
        },
    },
    {
        # The Django admin keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
STRICT_TEMPLATES = read_bool("STRICT_TEMPLATES", ENVIRONMENT in {"development", "test"})

VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = read_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'caseaudit.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on during a write; IMMEDIATE takes the write lock at the start
        # of a transaction so two writers queue instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out accounts and addresses
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["caseaudit.accounts.hashers.QuickArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "caseaudit.accounts.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
]
PASSWORD_RESET_TIMEOUT = read_int("PASSWORD_RESET_TIMEOUT_SECONDS", 60 * 60, minimum=300)
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ABSOLUTE_TIMEOUT_SECONDS = read_int(
    "SESSION_ABSOLUTE_TIMEOUT_SECONDS", 12 * 60 * 60, minimum=60
)
SESSION_IDLE_TIMEOUT_SECONDS = read_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=60)
SESSION_IDLE_WARNING_SECONDS = read_int("SESSION_IDLE_WARNING_SECONDS", 5 * 60, minimum=30)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = read_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading commits the whole registrable domain (the council's), which the service does
    # not own: opt in with SECURE_HSTS_PRELOAD=true only when the domain's owner agrees.
    SECURE_HSTS_PRELOAD = read_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "caseaudit" / "static"]
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
# Outside production, serve straight from the source folders so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND_PATH = read_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
SMTP_OPTIONS = {
    "host": read_str("EMAIL_HOST", "localhost"),
    "port": read_int("EMAIL_PORT", 25, minimum=1),
    "username": read_str("EMAIL_HOST_USER", ""),
    "password": read_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": read_bool("EMAIL_USE_TLS", False),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": SMTP_OPTIONS if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = read_str("DEFAULT_FROM_EMAIL", "case-audit@localhost")

# Retention: the case details of a programme closed this many months ago are anonymised by
# `caseaudit retention --apply` (docs/data-protection.md).
RETENTION_MONTHS = read_int("RETENTION_MONTHS", 24, minimum=1)

# Reports: counts under this many are shown as "fewer than N" to board viewers.
SUPPRESSION_THRESHOLD = read_int("SUPPRESSION_THRESHOLD", 5, minimum=2)

# Sign-in security: see docs/security.md, "Authentication".
REQUIRE_TWO_FACTOR = read_bool("REQUIRE_TWO_FACTOR", ENVIRONMENT not in {"demo", "test"})
# Reverse proxies in front of the service, each appending to X-Forwarded-For; 0 ignores it.
TRUSTED_PROXY_COUNT = read_int("TRUSTED_PROXY_COUNT", 0)
LOCKOUT_FAILURE_LIMIT = read_int("LOCKOUT_FAILURE_LIMIT", 5, minimum=1)
LOCKOUT_ADDRESS_FAILURE_LIMIT = read_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
LOCKOUT_COOL_OFF_MINUTES = read_int("LOCKOUT_COOL_OFF_MINUTES", 15, minimum=1)
AXES_HANDLER = "caseaudit.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = LOCKOUT_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, never combined
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_COOL_OFF_MINUTES)
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "caseaudit.accounts.lockout.username_from_credentials"
AXES_CLIENT_IP_CALLABLE = "caseaudit.lib.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "caseaudit.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # the sign-in history is kept in accounts.SignInEvent
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Case Audit"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Codes are throttled by the service's own counter (caseaudit.accounts.lockout), per account
# and per address; django-otp's per-device delay would refuse a right code after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# The REST API: requests each token may make in each fixed window of time.
API_RATE_LIMIT = read_int("API_RATE_LIMIT", 600, minimum=1)
API_RATE_WINDOW_SECONDS = read_int("API_RATE_WINDOW_SECONDS", 600, minimum=1)

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Error reports and logs never carry request bodies or case text (docs/security.md).
DEFAULT_EXCEPTION_REPORTER_FILTER = "caseaudit.lib.reporting.CaseContentReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"drop_request": {"()": "caseaudit.lib.reporting.DropRequest"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["drop_request"]}},
    "root": {"handlers": ["console"], "level": read_str("LOG_LEVEL", "INFO")},
    # SQL is logged with its parameters at DEBUG level: never, whatever LOG_LEVEL says.
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
