"""Django settings, read only from the environment (healthchecks style).

DOCKET_DATABASE_URL   sqlite:///path/to/file.sqlite3 or postgresql://user@host:port/db;
                      default: docket.sqlite3 in the working directory.
DOCKET_SECRET_KEY     secret for sessions; default: a random key kept in .docket-secret next
                      to the working directory (created on first use).
DOCKET_DEBUG          "1" for development.
DOCKET_ALLOWED_HOSTS  comma-separated; default 127.0.0.1,localhost.
"""

from __future__ import annotations

import os
import secrets
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


def _secret_key() -> str:
    key = os.environ.get("DOCKET_SECRET_KEY")
    if key:
        return key
    path = Path.cwd() / ".docket-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DOCKET_DEBUG")
ALLOWED_HOSTS = os.environ.get("DOCKET_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx: pages answer htmx's requests with only the part that changed.
    "django_htmx.middleware.HtmxMiddleware",
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
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

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
