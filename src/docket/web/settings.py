"""Django settings, read only from the environment (healthchecks style).

DOCKET_DATABASE_URL   sqlite:///path/to/file.sqlite3 or postgresql://user@host:port/db;
                      default: docket.sqlite3 in the working directory.
DOCKET_ENV            "production" (or DOCKET_PRODUCTION=1) behind HTTPS: secure cookies, HSTS,
                      redirect to https, DEBUG off, a secret key required (docs/deployment.md).
DOCKET_SECRET_KEY     secret for sessions and signatures, or DOCKET_SECRET_KEY_FILE: a file
                      holding it. In development, default: a random key kept in .docket-secret
                      in the working directory (created on first use); production refuses to
                      start without one of the two.
DOCKET_DEBUG          "1" for development (ignored in production).
DOCKET_ALLOWED_HOSTS  comma-separated; default 127.0.0.1,localhost.
DOCKET_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://docket.example.org) when a proxy
                      changes the host; default none.
DOCKET_BEHIND_PROXY   "1" when a reverse proxy terminates TLS and sets X-Forwarded-Proto.
DOCKET_SESSION_IDLE_MINUTES  a login idle this long is logged out; default 60.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url


def envbool(name: str, default: str = "0") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {value!r}")


def database_url() -> str:
    return os.environ.get("DOCKET_DATABASE_URL") or f"sqlite:///{Path.cwd() / 'docket.sqlite3'}"


PRODUCTION = os.environ.get("DOCKET_ENV", "").strip().lower() == "production" or envbool(
    "DOCKET_PRODUCTION"
)


def _secret_key() -> str:
    """The secret key, only ever from the environment or a file, never from this source."""
    from django.core.exceptions import ImproperlyConfigured

    key = os.environ.get("DOCKET_SECRET_KEY", "").strip()
    if key:
        return key
    key_file = os.environ.get("DOCKET_SECRET_KEY_FILE", "").strip()
    if key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"DOCKET_SECRET_KEY_FILE {key_file}: cannot read it ({exc.strerror})"
            ) from exc
        if not key:
            raise ImproperlyConfigured(f"DOCKET_SECRET_KEY_FILE {key_file} is empty")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Docket in production needs a secret key: set DOCKET_SECRET_KEY, or "
            "DOCKET_SECRET_KEY_FILE to a file holding one (for example: python -c "
            "'import secrets; print(secrets.token_urlsafe(50))' > /etc/docket/secret-key)."
        )
    path = Path.cwd() / ".docket-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DOCKET_DEBUG") and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DOCKET_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DOCKET_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "docket.records",
    "docket.web",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a TOTP code (docs/web.md).
    "django_otp.middleware.OTPMiddleware",
    # Idle timeout, and admins and reviewers sent to the two-factor pages until verified.
    "docket.web.accounts.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx: pages answer htmx's requests with only the part that changed.
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the login page saying so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "docket.web.urls"
WSGI_APPLICATION = "docket.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {"default": dj_database_url.parse(database_url(), conn_max_age=0)}
# An SQLite file that does not begin with SQLite's header is encrypted (SQLCipher): it opens
# through Docket's backend, which takes the passphrase from the process ($DOCKET_PASSPHRASE,
# $DOCKET_KEY_FILE or a prompt), never from these settings; connections are kept, since keying
# one costs a key derivation (docs/encryption.md).
from docket.records.sqlcipher import passphrase as _sqlcipher  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith(".sqlite3") and _sqlcipher.is_encrypted_file(
    DATABASES["default"]["NAME"]
):
    DATABASES["default"].update(ENGINE=_sqlcipher.ENGINE, CONN_MAX_AGE=600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "dashboard"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The admin's CSS and JS are served by WhiteNoise straight from the installed packages.
WHITENOISE_USE_FINDERS = True
X_FRAME_OPTIONS = "DENY"

# Accounts (docs/web.md, Accounts; docs/deployment.md).
# Argon2id for new and changed passwords; older hashes still verify and are re-hashed with
# Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failed logins for one user name from one address lock that pair out for 30 minutes
# (another user, or the same user elsewhere, is not locked); a success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "docket.web.accounts.locked_out"
# Behind one reverse proxy the client's address is the one the proxy appended last to
# X-Forwarded-For (earlier entries come from the client and can be forged).
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if envbool("DOCKET_BEHIND_PROXY") else ["REMOTE_ADDR"]
)
OTP_TOTP_ISSUER = "Docket"

# A login lasts at most 8 hours, ends when the browser closes, and ends after an hour idle.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DOCKET_SESSION_IDLE_SECONDS = int(os.environ.get("DOCKET_SESSION_IDLE_MINUTES", "60")) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    # Served over HTTPS only (docs/deployment.md): cookies never sent in clear, plain http
    # redirected, browsers told to use https for a year (HSTS, subdomains, preload list).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if envbool("DOCKET_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The REST API (docs/api.md): tokens for programs, the session for a logged-in browser.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["docket.api.permissions.RecordPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Docket API",
    "DESCRIPTION": "Read and write the case record; what each caller sees follows their role "
    "(docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
