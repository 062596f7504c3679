"""Burgerkracht settings: one file, every deployment-specific value read from the environment.

Defaults are safe for the embedded mode only (`make run`: SQLite, Celery eager). Production sets
DEBUG off, SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL and ALLOWED_HOSTS (see .env.example).
"""

import re
import secrets
import sys
from datetime import date, timedelta
from pathlib import Path

import environ
import structlog
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from common.community_home import DEMO_COMMUNITY_HOME as _DEMO_HOME

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file() and not env.bool("IGNORE_DOTENV", default=False):
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# `manage.py makemigrations` only reads the models, so a check such as `makemigrations --check`
# may run without a key on a machine that has none; everything that serves, signs or writes
# data still refuses to start without one.
KEYLESS_COMMANDS = {"makemigrations"}
_command = sys.argv[1] if Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 else ""

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-debug-mode-do-not-use-in-production"  # noqa: S105
    elif _command in KEYLESS_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)  # never used: the command signs nothing
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "django_filters",
    "simple_history",
    "pgtrigger",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_structlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "accounts",
    "notifications",
    "initiatives",
    "intake",
    "sroi",
    "governance",
    "budgeting",
    "reports",
    "rest_framework",
    "drf_spectacular",
    "api",
    # After every migrate: no session setting lifts a database trigger (security/database.py).
    "security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session reads its cookie: a NUL in a cookie would reach the database.
    "security.middleware.CookieLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.DutchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "config.middleware.RequestIdHeaderMiddleware",
    "config.beatless.BeatlessMiddleware",
    # Second factor: staff with a password must have verified a one-time code (accounts.otp).
    "django_otp.middleware.OTPMiddleware",
    # The user itself in request.user, not Django's lazy proxy (loaded by here anyway).
    "accounts.middleware.ResolvedUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: ends idle sessions (15 minutes for residents, 60 for staff), and
    # sessions 12 hours after log-in; before the second factor, which an ended session skips.
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # NUL characters and over-long parameters get the 400 page before any view runs.
    "security.middleware.InputLimitsMiddleware",
    # A database that is down gives 503 "try again later" instead of a 500.
    "security.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
    # Innermost: a cached public page still passes every middleware above (CSP nonce, CSRF).
    "common.pagecache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "accounts.context_processors.login_options",
                "config.context_processors.site",
                "config.context_processors.todo",
                # After Django's own, so its `csrf_token` is the one pages show (common/csrf.py).
                "common.csrf.csrf",
            ],
            # The NL Design System crispy template pack's filters (templates/nlds/), and the
            # layout's parts rendered once per kind of visitor (common/frames.py).
            "libraries": {
                "nlds": "common.nlds",
                "dates": "common.dates",
                "frames": "common.frames",
            },
            # Django's cached loader that keeps the text of a fixed translation or URL once
            # worked out (common/folding.py); the templates folder, then each app's.
            "loaders": [
                (
                    "common.folding.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so two writers serialise instead
    # of failing half-way; WAL lets readers go on while a write is in progress.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, whose check of a kept connection asks its socket first (no SELECT 1 per
        # request while the server has said nothing; common/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "common.postgresql"
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # The few statements every vote runs are planned once per connection (common/prepared.py);
        # 0 behind a pooler in transaction mode (PgBouncer), where a connection is shared.
        from common.prepared import Cursor as PreparingCursor

        DATABASES["default"].setdefault("OPTIONS", {})["cursor_factory"] = PreparingCursor
# The role the web processes, the worker and the beat log in as, when it is not the one that
# migrates: every migrate gives it the rights on every table and no more (security/database.py).
# Empty: one role for both (it can then switch the database's refusals off; deploy/README.md).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
# Rate limits count here. Production: Redis (e.g. redis://redis:6379/1), shared by every web
# process; the default local memory counts per process (enough for make run).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, keeping one Redis client per pool and counting in one round trip (common/cache.py).
    CACHES["default"]["BACKEND"] = "common.cache.RedisCache"
# Anonymous GETs of the public pages are answered from that cache (common/pagecache.py); every
# committed write makes them new at once; this is how long a page may live otherwise (a write
# from outside Django, a poll's closing time passing). 0 switches the page cache off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, with the model permissions in one query (accounts/backends.py).
    "accounts.backends.ModelBackend",
    # Each answers only on its own callback URL and only when configured (see "Log-in" below).
    "accounts.oidc.StaffOIDCBackend",
    "accounts.oidc.DigiDOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end when the browser closes, and after this long without a request (seconds):
# residents 15 minutes (a shared computer in a library or community centre), staff 60 minutes.
# accounts.middleware.IdleTimeoutMiddleware applies them; residents see a warning 2 minutes before.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS_RESIDENT = env.int("SESSION_IDLE_MINUTES_RESIDENT", default=15) * 60
SESSION_IDLE_SECONDS_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=60) * 60
SESSION_IDLE_WARNING_SECONDS = 120
# However active, a session ends this long after log-in (an absolute limit besides the idle one).
SESSION_MAX_SECONDS = env.int("SESSION_MAX_HOURS", default=12) * 3600
# The server forgets a session this long after the session was last written (log-in, or a later
# change such as a message): past the longest session, so IdleTimeoutMiddleware still sees an
# ended session and says why it ended. Renewing the idle time writes no row (accounts/sessions.py).
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS + max(
    SESSION_IDLE_SECONDS_RESIDENT, SESSION_IDLE_SECONDS_STAFF
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# How many reverse proxies stand between the visitor and the app; the client's address is the
# X-Forwarded-For entry the outermost one wrote (accounts/client_ip.py). 1 behind the README's
# TLS proxy; 0 when the app is reached directly (make run). Never more than the real number: a
# visitor could then choose their own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if "AXES_PROXY_COUNT" in env.ENVIRON:
    # Its meaning differed (django-ipware's count, 0 behind one proxy); refuse to guess.
    raise ImproperlyConfigured(
        "AXES_PROXY_COUNT is replaced by TRUSTED_PROXY_COUNT (1 behind one proxy); see .env.example."
    )

# Tries per client address (see TRUSTED_PROXY_COUNT) for forms that must not be hammered, as
# "number/period": s, m, h or d, e.g. "20/h" or "5/15m". Counted in the cache (CACHE_URL).
RATE_LIMITS = {
    "register": env("RATE_LIMIT_REGISTER", default="20/h"),
    "redeem_code": env("RATE_LIMIT_REDEEM_CODE", default="20/h"),
    "password_reset": env("RATE_LIMIT_PASSWORD_RESET", default="5/h"),
    # Per person, not per address: the voters at a Community Home share one address.
    "vote": env("RATE_LIMIT_VOTE", default="30/h"),
    "intake_link": env("RATE_LIMIT_INTAKE_LINK", default="30/h"),
    # Failed log-ins per address, whatever the user name (password spraying); a log-in that
    # succeeds is not counted, so a Community Home's shared address is not stopped by its users.
    "login_failures": env("RATE_LIMIT_LOGIN_FAILURES", default="30/h"),
    # Per person: e-mails with a link to set up the first authenticator (accounts/enrolment.py).
    "enrolment_link": env("RATE_LIMIT_ENROLMENT_LINK", default="5/h"),
}

# Lock out a user name only from the client address that guessed wrong, never the user name
# alone: nobody can lock a voter or a civil servant out by typing wrong passwords for them.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "accounts.client_ip.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Log-in: staff SSO and DigiD over OpenID Connect (README "Log-in") ------------------------
# Staff log in with the municipality's identity provider (Entra ID, Keycloak, ...). Empty client
# id: no SSO button. The endpoints are read from ISSUER/.well-known/openid-configuration.
OIDC_STAFF_ISSUER = env("OIDC_STAFF_ISSUER", default="")
OIDC_STAFF_CLIENT_ID = env("OIDC_STAFF_CLIENT_ID", default="")
OIDC_STAFF_CLIENT_SECRET = env("OIDC_STAFF_CLIENT_SECRET", default="")
# Scopes asked for; the claims below must be in the ID token or the userinfo answer.
OIDC_STAFF_SCOPES = env("OIDC_STAFF_SCOPES", default="openid email profile")
# Claim that becomes the user name (Entra ID: preferred_username; Keycloak: preferred_username).
OIDC_STAFF_USERNAME_CLAIM = env("OIDC_STAFF_USERNAME_CLAIM", default="preferred_username")
# Claim with the e-mail address.
OIDC_STAFF_EMAIL_CLAIM = env("OIDC_STAFF_EMAIL_CLAIM", default="email")
# Claim with the person's groups (Entra ID: groups, object ids; Keycloak: groups, mapper needed).
OIDC_STAFF_GROUPS_CLAIM = env("OIDC_STAFF_GROUPS_CLAIM", default="groups")
# Only members of one of these groups may log in (empty: everyone the provider lets through).
# Groups never grant a role: an administrator gives roles in /beheer/.
OIDC_STAFF_ALLOWED_GROUPS = env.list("OIDC_STAFF_ALLOWED_GROUPS", default=[])
# Algorithm of the ID token signature (RS256 for Entra ID and Keycloak).
OIDC_STAFF_SIGN_ALGO = env("OIDC_STAFF_SIGN_ALGO", default="RS256")

# Residents log in with DigiD through the municipality's OIDC broker. Empty client id: no button.
DIGID_OIDC_ISSUER = env("DIGID_OIDC_ISSUER", default="")
DIGID_OIDC_CLIENT_ID = env("DIGID_OIDC_CLIENT_ID", default="")
DIGID_OIDC_CLIENT_SECRET = env("DIGID_OIDC_CLIENT_SECRET", default="")
# Scopes asked for; the broker must give the BSN claim for them.
DIGID_OIDC_SCOPES = env("DIGID_OIDC_SCOPES", default="openid bsn")
# Claim with the BSN.
DIGID_OIDC_BSN_CLAIM = env("DIGID_OIDC_BSN_CLAIM", default="bsn")
# Algorithm of the ID token signature.
DIGID_OIDC_SIGN_ALGO = env("DIGID_OIDC_SIGN_ALGO", default="RS256")
# Key for the keyed hash (HMAC-SHA256) of the BSN that recognises a returning resident. Keep it
# secret and never change it: a new key makes every DigiD resident a stranger.
DIGID_BSN_HASH_KEY = env("DIGID_BSN_HASH_KEY", default="")
if DIGID_OIDC_CLIENT_ID and not DIGID_BSN_HASH_KEY:
    raise ImproperlyConfigured("DIGID_BSN_HASH_KEY must be set when DigiD is on (.env.example).")
# Seconds to wait for an identity provider.
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
# Proof key for code exchange on both flows; the library's own settings for the rest.
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = False

# Staff with a password (civil servants, administrators, anyone with is_staff) need a second
# factor; this name is shown in the authenticator app.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Burgerkracht")
# The first authenticator of an account is set up only through a link e-mailed to the person's
# own address (accounts/enrolment.py; security review 2026-12-06, S5). It works this many hours,
# and no longer once an authenticator is confirmed or the password or e-mail address changed.
SECOND_FACTOR_ENROLMENT_HOURS = env.int("SECOND_FACTOR_ENROLMENT_HOURS", default=72)

# How long a printed verification code stays valid.
VERIFICATION_CODE_VALID_DAYS = env.int("VERIFICATION_CODE_VALID_DAYS", default=90)
# Four eyes on verification codes: when the codes one person asked in the last
# VERIFICATION_BATCH_APPROVAL_DAYS days, the new batch included, are more than this, the batch
# waits for a second civil servant's approval before it can be printed (and so before any of its
# codes exists). Counted over days, so that batches of 20 do not get around it.
VERIFICATION_BATCH_APPROVAL_ABOVE = env.int("VERIFICATION_BATCH_APPROVAL_ABOVE", default=20)
VERIFICATION_BATCH_APPROVAL_DAYS = env.int("VERIFICATION_BATCH_APPROVAL_DAYS", default=7)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English with a 24-hour clock (config/formats/en), so no sentence ends in "p.m..".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Media (uploads, report PDFs): a folder (shared volume when there is more than one machine) or an
# S3-compatible bucket (MinIO, Ceph, a cloud) through django-storages. Files are private: they are
# only served through permission-checked views, never by a public bucket URL.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_LOCATION", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "common.staticfiles.ManifestStaticFilesStorage"
        )
    },
}

# --- Audit trail ------------------------------------------------------------------------------
# The history pages of the admin show past versions; nobody can restore one (common/admin.py
# also refuses the POST, which this setting alone does not).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Forms ------------------------------------------------------------------------------------
# Our own template pack: NL Design System form components (templates/nlds/, common/nlds.py).
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nlds",)
CRISPY_TEMPLATE_PACK = "nlds"

# --- E-mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Burgerkracht <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------------
# Without a broker the tasks run eagerly in the web process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a beat (the embedded mode) the web process runs the due scheduled tasks itself, at most
# once a minute (config/beatless.py). Never in production: there exactly one beat runs.
RUN_BEAT_IN_WEB = env.bool("RUN_BEAT_IN_WEB", default=DEBUG and CELERY_TASK_ALWAYS_EAGER)
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With late acks a task whose connection was lost is redelivered; cancel the running copy.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Votes close at the end of their window; the service is idempotent, so overlap is harmless.
    "close-due-proposals": {"task": "governance.tasks.close_due_proposals", "schedule": 60.0},
    # "You took part": the notices written with each participation, told within half a minute.
    "tell-participations": {"task": "governance.tell_participations", "schedule": 30.0},
    # "Stemmen sluit binnen 48 uur": once per vote, so hourly is enough.
    "remind-closing-votes": {"task": "governance.tasks.remind_closing_votes", "schedule": 3600.0},
    # "Elk jaar openbaar": last year's report, made on 2 January (the day after the books close).
    "annual-report": {
        "task": "reports.request_previous_year_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=2, month_of_year=1),
    },
    # Notifications: what could not be sent (broker or mail server down) goes out later;
    # weekly digests and the week's letters on Monday morning.
    "deliver-notifications": {"task": "notifications.deliver", "schedule": 60.0},
    "weekly-digests": {
        "task": "notifications.weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "weekly-letters": {
        "task": "notifications.weekly_letters",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    # Every published report PDF and annex file hashed again; an error logged per file that
    # is missing or differs (manage.py verify_reports does the same by hand).
    "verify-reports": {
        "task": "reports.verify_reports",
        "schedule": crontab(minute=30, hour=4),
    },
    # Sessions past their expiry (SESSION_COOKIE_AGE after their last write) leave the database.
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": crontab(minute=15, hour=4),
    },
    # Report requests made while Redis was down are sent once it is back.
    "dispatch-pending-reports": {
        "task": "reports.dispatch_pending_reports",
        "schedule": 300.0,
    },
}

# --- Security (production) --------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check of docker-compose talks plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^_healthz/"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("USE_X_FORWARDED_PROTO", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- The municipality -------------------------------------------------------------------------
# The site's address as people type it, for links in e-mails and letters.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
MUNICIPALITY_NAME = env("MUNICIPALITY_NAME", default="Gemeente Amsterdam")
# The look: a file static/themes/<NLDS_THEME>.css of design tokens (CSS custom properties) loaded
# after the neutral default theme. Letters, digits and hyphens only (docs/frontend.md).
NLDS_THEME = env("NLDS_THEME", default="neutral")
if not re.fullmatch(r"[a-z0-9-]+", NLDS_THEME):
    raise ImproperlyConfigured("NLDS_THEME: letters, digits and hyphens only")
# Where people report an accessibility problem (the accessibility statement, /toegankelijkheid/),
# and the date of the statement's last review (YYYY-MM-DD).
ACCESSIBILITY_CONTACT_EMAIL = env(
    "ACCESSIBILITY_CONTACT_EMAIL", default="toegankelijkheid@example.org"
)
ACCESSIBILITY_CONTACT_PHONE = env("ACCESSIBILITY_CONTACT_PHONE", default="14 020")
ACCESSIBILITY_STATEMENT_DATE = date.fromisoformat(
    env("ACCESSIBILITY_STATEMENT_DATE", default="2026-11-30")
)
# Contract value (euro, excl. VAT) from which a social-return obligation applies; a new contract's
# default threshold (each contract keeps its own).
SROI_THRESHOLD = env("SROI_THRESHOLD", default="250000.00")
# Public outputs (open data, the contract page, the annual report) count placed persons only in
# groups of at least this many; a smaller group is folded into "other" (sroi/disclosure.py).
OPEN_DATA_MIN_COUNT = env.int("OPEN_DATA_MIN_COUNT", default=5)
# The prefixes of the public identifiers in the international standards' files: a grant id of
# 360Giving (a prefix the municipality registers with 360Giving, "360G-…") and an OCDS ocid (a
# prefix the Open Contracting Partnership gives, "ocds-…"). The defaults are placeholders: with
# DEBUG off they are a warning (burgerkracht.W005, W006), and the data's description says so.
OPEN_DATA_360GIVING_PREFIX = env("OPEN_DATA_360GIVING_PREFIX", default="360G-burgerkracht-")
OPEN_DATA_OCID_PREFIX = env("OPEN_DATA_OCID_PREFIX", default="ocds-burgerkracht-")
# Where residents get help in person, shown on the home page, the code slips and the letters.
# Under `make run` the demo's Community Home (common/community_home.py); empty when unset in
# production, where `check` then warns (burgerkracht.W007) and the home page offers
# MUNICIPALITY_PHONE, the municipality's general number, if set.
COMMUNITY_HOME_NAME = env("COMMUNITY_HOME_NAME", default=_DEMO_HOME["name"] if DEBUG else "")
COMMUNITY_HOME_ADDRESS = env(
    "COMMUNITY_HOME_ADDRESS", default=_DEMO_HOME["address"] if DEBUG else ""
)
COMMUNITY_HOME_HOURS = env("COMMUNITY_HOME_HOURS", default=_DEMO_HOME["hours"] if DEBUG else "")
# The same hours for English pages and letters; empty: they show COMMUNITY_HOME_HOURS.
COMMUNITY_HOME_HOURS_EN = env(
    "COMMUNITY_HOME_HOURS_EN", default=_DEMO_HOME["hours_en"] if DEBUG else ""
)
COMMUNITY_HOME_PHONE = env("COMMUNITY_HOME_PHONE", default="")
MUNICIPALITY_PHONE = env("MUNICIPALITY_PHONE", default="14 020" if DEBUG else "")

# --- Logs -------------------------------------------------------------------------------------
# One line a record on stdout: JSON in production (LOG_FORMAT=json, the default without DEBUG),
# readable text under `make run`. django-structlog binds a request id (taken from X-Request-ID
# when the proxy sends one) to every record of a request and hands it on to Celery tasks.
LOG_FORMAT = env("LOG_FORMAT", default="console" if DEBUG else "json")
if LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'console'.")
_log_pre_chain = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
            "foreign_pre_chain": _log_pre_chain,
        },
        "console": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.dev.ConsoleRenderer(colors=False),
            ],
            "foreign_pre_chain": _log_pre_chain,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every page at INFO ("Step 5 - Creating layout - Page 3");
    # its warnings (a missing font, a bad image) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.filter_by_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.UnicodeDecoder(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# Keep the X-Request-ID a proxy sends (set it only when the proxy overwrites the client's header).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("TRUST_UPSTREAM_REQUEST_ID", default=False)

# --- Error reporting (optional) ---------------------------------------------------------------
# A Sentry-compatible DSN (Sentry, GlitchTip) to report unhandled errors of web and worker. Empty:
# nothing is sent anywhere. Personal data is never sent: not the user or IP (send_default_pii),
# not the request's body (a ballot's choice), not the frames' local variables (the voter beside
# that choice; the opened ballots in the tally): tests/test_error_reporting.py.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0.0,
    )

# --- Cache ------------------------------------------------------------------------------------
# CACHES (CACHE_URL) is set above with the rate limits. Sessions are written to the database and
# read through the cache, so every web process sees every session; the idle clock is kept beside
# them in the cache, so renewing it writes nothing to the database (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"

# --- The open API (/api/v1/) ------------------------------------------------------------------
# Read-only and anonymous: no log-in, no session, no personal data; throttled per client address.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Paging",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.base.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Burgerkracht open API",
    "DESCRIPTION": (
        "Openbare gegevens van het register van burgerinitiatieven, de gemeenschapsfondsen, "
        "contracten met social return, toekenningen, besluiten en jaarverslagen. Alleen lezen; "
        "geen persoonsgegevens. Bedragen in euro als tekst met twee decimalen. Licentie van de "
        "gegevens: CC0."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "LICENSE": {"name": "EUPL-1.2 (software), CC0 1.0 (data)"},
    "CONTACT": {"name": "Burgerkracht"},
    # An allocation's state (`status` of /toekenningen), named after what it is.
    "ENUM_NAME_OVERRIDES": {
        "AllocationStatusEnum": "sroi.models.allocation_state.AllocationState",
    },
}

# --- Security of input and output (see README, "Security") -------------------------------------
# Longest accepted value of one GET parameter (search, filters) and of one POST field; longer
# input, and any NUL character, gets the 400 page.
INPUT_MAX_GET_LENGTH = env.int("INPUT_MAX_GET_LENGTH", default=1000)
INPUT_MAX_POST_LENGTH = env.int("INPUT_MAX_POST_LENGTH", default=100_000)
CSRF_FAILURE_VIEW = "security.views.csrf_failure"
# Largest accepted upload (attachments, evidence, register files) and largest image in pixels.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=40_000_000)

# Content-Security-Policy (django-csp 4): nothing inline runs without the page's nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # Bootstrap draws its small icons (menu, checkboxes) as data: SVG images in its CSS.
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "report-uri": ["/csp-rapport/"],
    },
}
# A violation report is logged; a larger body is cut off.
CSP_REPORT_MAX_BYTES = 16_384

# /.well-known/security.txt (RFC 9116): where to report a vulnerability. Set SECURITY_CONTACT to
# the municipality's address (mailto: or https:); SECURITY_POLICY_URL to its disclosure policy.
SECURITY_CONTACT = env("SECURITY_CONTACT", default="mailto:security@example.org")
SECURITY_POLICY_URL = env("SECURITY_POLICY_URL", default="")
SECURITY_TXT_DAYS = env.int("SECURITY_TXT_DAYS", default=180)

# --- Report builds that stop -------------------------------------------------------------------
# The longest a report build may take (the largest year's PDF takes well under a minute, see
# bench/reports.py). Redis gives an unacknowledged build to another worker only after the
# visibility timeout, so that is set above the longest build; a build whose worker died is sent
# again by `dispatch_pending_reports` (beat, every 5 minutes) once it has been stuck longer than
# REPORT_STUCK_AFTER_SECONDS, at most REPORT_MAX_ATTEMPTS times in all.
REPORT_BUILD_MAX_SECONDS = env.int("REPORT_BUILD_MAX_SECONDS", default=900)
REPORT_STUCK_AFTER_SECONDS = env.int(
    "REPORT_STUCK_AFTER_SECONDS", default=REPORT_BUILD_MAX_SECONDS + 60
)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": 2 * REPORT_BUILD_MAX_SECONDS,
}
