"""A tiny, real OpenID Connect provider (django-oidc-provider) for the log-in tests.

It is a separate Django project: `python -m tests.oidc_provider.serve` migrates a fresh SQLite
file, creates the clients and people described in OIDC_TEST_CONFIG (JSON) and serves on a port.
Never used outside the tests.
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEBUG = False
SECRET_KEY = "oidc-test-provider-not-secret"  # noqa: S105 - a throwaway provider for tests
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OIDC_TEST_DB", str(HERE / "provider.sqlite3")),
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/login/"
SITE_URL = os.environ.get("OIDC_TEST_SITE_URL", "http://127.0.0.1:8001")
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
OIDC_USERINFO = "tests.oidc_provider.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_provider.claims.ExtraClaims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
# The app under test runs on the same host: keep the cookies apart.
SESSION_COOKIE_NAME = "provider_sessionid"
CSRF_COOKIE_NAME = "provider_csrftoken"
