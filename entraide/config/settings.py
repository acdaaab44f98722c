"""Django settings for entraide: every value comes from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from entraide.config.env import envbool, envfloat, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(envstr("ENTRAIDE_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = envbool("DEBUG", False)
# The default key only exists so that a fresh clone runs; production must set SECRET_KEY.
SECRET_KEY = envstr("SECRET_KEY", "entraide-insecure-development-key-change-me")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "entraide")

INSTALLED_APPS = [
    "entraide.core",
    "entraide.accounts",
    "entraide.volunteers",
    "entraide.help_requests",
    "entraide.operators",
    "entraide.notifications",
    "entraide.organisations",
    "entraide.missions",
    "entraide.companies",
    "entraide.goods",
    "entraide.receipts",
    "entraide.dropoff",
    "entraide.money",
    "entraide.lodging",
    "entraide.programmes",
    "entraide.api",
    "entraide.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    # django_tasks_db under a translated name (its own is English only).
    "entraide.core.apps.TasksDatabaseConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Brute-force lockout of log-ins; its settings are below, its answers in accounts/lockout.
    "entraide.accounts.apps.LoginLockoutConfig",
    # Second factor (TOTP apps and recovery codes) for staff, operators and moderators.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First: a NUL in the URL would reach PostgreSQL in a lookup and fail as a server error.
    "entraide.core.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy: no inline script or style anywhere, see core/security_headers.
    "entraide.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session passed its second factor, then hold privileged ones until it did.
    "django_otp.middleware.OTPMiddleware",
    "entraide.accounts.middleware.TwoFactorMiddleware",
    # After the user is known: times in their territory's time zone, its phone line.
    "entraide.organisations.middleware.TerritoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into our 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "entraide.config.urls"
# Django's database sessions, ignoring forged cookies (see entraide/core/sessions.py).
SESSION_ENGINE = "entraide.core.sessions"
WSGI_APPLICATION = "entraide.config.wsgi.application"
ASGI_APPLICATION = "entraide.config.asgi.application"

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
                "entraide.core.context_processors.site",
                "entraide.companies.context_processors.company_links",
                "entraide.organisations.context_processors.phone_line",
            ],
        },
    }
]

# SQLite is the embedded default so that a fresh clone runs with no server; production
# sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'entraide.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must work on a fresh clone: create var/ rather than fail.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and IMMEDIATE transactions let the web server and the worker write side by side
    # without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# Each role's own home (entraide.accounts.roles): the one chosen last, or the first held.
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = envlist(
    "PASSWORD_HASHERS",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)

LANGUAGE_CODE = envstr("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = envstr("TIME_ZONE", "Europe/Brussels")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (lot photos). They are served by a view that checks who may see them,
# never as public static files.
MEDIA_ROOT = Path(envstr("ENTRAIDE_MEDIA_DIR", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve assets straight from the apps in development and tests, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email: a local outbox (one .eml file per message under var/outbox, readable by staff in
# the back office) unless SMTP is configured.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "entraide.notifications.backends.OutboxBackend")
EMAIL_OUTBOX_DIR = Path(envstr("EMAIL_OUTBOX_DIR", str(VAR_DIR / "outbox")))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "entraide <no-reply@entraide.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's task API with the database backend, shared by every worker.
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
TASK_MAX_ATTEMPTS = envint("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_BASE_SECONDS = envint("TASK_RETRY_BASE_SECONDS", 30)
# A task left "running" longer than this is taken to belong to a crashed worker.
TASK_STALE_AFTER_SECONDS = envint("TASK_STALE_AFTER_SECONDS", 600)
SCHEDULER_TICK_SECONDS = envint("SCHEDULER_TICK_SECONDS", 30)
# Local hour (TIME_ZONE) after which volunteers who chose the daily digest get it.
NOTIFICATION_DIGEST_HOUR = envint("NOTIFICATION_DIGEST_HOUR", 17)
# The phone team's shared mailbox: one email per request nobody nearby could take (it has
# reached the operators' queue). Empty: no email, the queue alone shows them.
OPERATORS_ALERT_EMAIL = envstr("OPERATORS_ALERT_EMAIL", "")
OPERATORS_ALERT_LANGUAGE = envstr("OPERATORS_ALERT_LANGUAGE", "fr")
# Organisations with applications left unanswered this many days get a daily reminder.
MISSIONS_UNANSWERED_DAYS = envint("MISSIONS_UNANSWERED_DAYS", 3)
# Most volunteers a mission may be proposed to by email each day, so nobody is spammed.
MISSIONS_PROPOSALS_PER_DAY = envint("MISSIONS_PROPOSALS_PER_DAY", 50)
# Where a cohort's daily video call happens: a room name is appended to this Jitsi address
# (a self-hosted Jitsi works the same); the name is made here, with no call to the server.
PROGRAMMES_VIDEO_BASE_URL = envstr("PROGRAMMES_VIDEO_BASE_URL", "https://meet.jit.si/")

# Places: the offline gazetteer answers by default; "ban" (French address API) or
# "nominatim" go online through geopy.
GEOCODER = envstr("GEOCODER", "gazetteer")
GEOCODER_COUNTRIES = envlist("GEOCODER_COUNTRIES", ["BE", "FR"])
GEOCODER_TIMEOUT = envint("GEOCODER_TIMEOUT", 5)
NOMINATIM_USER_AGENT = envstr("NOMINATIM_USER_AGENT", "entraide")
MAP_TILE_URL = envstr("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = envstr("MAP_TILE_ATTRIBUTION", "")
# Without tiles, maps draw the offline basemap shipped in core/static/core/basemap/
# (Belgium, France and their neighbours); off, they keep a plain background.
MAP_BASEMAP = envbool("MAP_BASEMAP", True)
# Everyone but the helper who took a request and operators sees positions rounded to this.
PUBLIC_POSITION_PRECISION_M = envint("PUBLIC_POSITION_PRECISION_M", 500)
# Privacy of homes (docs/security.md): how often a volunteer may move their home, and how
# many distinct requests they may open per hour.
VOLUNTEER_HOME_CHANGES = envint("VOLUNTEER_HOME_CHANGES", 3)
VOLUNTEER_HOME_CHANGE_DAYS = envint("VOLUNTEER_HOME_CHANGE_DAYS", 7)
VOLUNTEER_REQUEST_VIEWS_PER_HOUR = envint("VOLUNTEER_REQUEST_VIEWS_PER_HOUR", 60)
DEFAULT_PHONE_REGION = envstr("DEFAULT_PHONE_REGION", "BE")
# The phone line shown where the site says "call our phone line" when the visitor's territory
# is not known (anonymous visitors, people tied to no territory) or sets none. Empty: no
# number is shown, only the invitation to call.
PHONE_LINE = envstr("PHONE_LINE", "")
PHONE_LINE_HOURS = envstr("PHONE_LINE_HOURS", "")

# Matching and notification waves.
MATCHING_WAVE_SIZES = [int(x) for x in envlist("MATCHING_WAVE_SIZES", ["3", "6", "12"])]
MATCHING_WAVE_RADII_KM = [float(x) for x in envlist("MATCHING_WAVE_RADII_KM", ["3", "6", "12"])]
MATCHING_WAVE_DELAY_MINUTES = envint("MATCHING_WAVE_DELAY_MINUTES", 15)
MATCHING_FAIRNESS_WINDOW_DAYS = envint("MATCHING_FAIRNESS_WINDOW_DAYS", 7)
HELP_REQUEST_EXPIRY_DAYS = envint("HELP_REQUEST_EXPIRY_DAYS", 14)
PERSONAL_DATA_RETENTION_DAYS = envint("PERSONAL_DATA_RETENTION_DAYS", 180)
MATCHING_MAX_RADIUS_KM = envfloat("MATCHING_MAX_RADIUS_KM", 12.0)

# Largest request body read into memory (Django's default, 2.5 MB); API bodies over it answer
# 413, multipart ones included (the API takes no files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Bounded in depth and size, with translated refusals (entraide/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "entraide.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "entraide.api.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "entraide.api.authentication.BasicAuthentication",
        # Personal API keys (Authorization: Bearer ...); Basic stays first, so 401 answers
        # keep offering the scheme every HTTP client knows.
        "entraide.api.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "entraide.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "entraide.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "help_request_create": envstr("API_HELP_REQUEST_CREATE_RATE", "20/hour"),
    },
    # Behind the HTTPS proxy the client is the last X-Forwarded-For hop; otherwise the
    # header is ignored so that nobody escapes the rate limit by forging it.
    "NUM_PROXIES": 1 if envbool("BEHIND_HTTPS_PROXY", False) else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "entraide API",
    "DESCRIPTION": "Help requests, volunteers, the phone line, organisations and missions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "entraide.api.schema.document_unreadable_bodies",
        "entraide.api.schema.document_bad_parameters",
    ],
    # One schema name per vocabulary, wherever a serializer uses it.
    "ENUM_NAME_OVERRIDES": {
        "HelpKindEnum": "entraide.core.vocabulary.HelpKind",
        "LanguageEnum": "entraide.core.vocabulary.Language",
        "StatusEnum": "entraide.help_requests.models.Status",
        "OrganisationKindEnum": "entraide.organisations.models.Organisation.Kind",
        "OrganisationStatusEnum": "entraide.organisations.models.Organisation.Status",
        "MissionStatusEnum": "entraide.missions.models.Mission.Status",
        "ApplicationStatusEnum": "entraide.missions.models.Application.Status",
        "ThemeEnum": "entraide.missions.models.Theme",
        "DropoffPointStatusEnum": "entraide.dropoff.models.PointStatus",
        "RoundStatusEnum": "entraide.goods.models.RoundStatus",
    },
}

# Log-in lockout (django-axes): after LOGIN_FAILURE_LIMIT failures for one email address, on
# any form or the API, that address is refused for LOGIN_LOCKOUT_MINUTES; a success or a new
# password clears its count. Staff lift a lock in the back office (Log-in attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
# Per address, not per IP: a call centre's operators share one IP behind NAT, and their typos
# must not lock each other out (axes.W006 says so; spraying from one IP is for rate limits).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "entraide.accounts.lockout.attempted_username"
AXES_LOCKOUT_CALLABLE = "entraide.accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # accounts/admin.py shows the attempts, translated, with an unlock
AXES_VERBOSE = False
# The address logged with an attempt: the proxy's X-Forwarded-For only behind that proxy.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    if envbool("BEHIND_HTTPS_PROXY", False)
    else ("REMOTE_ADDR",)
)

# Staff, operators and moderators log in with a second factor (an authenticator app, or a
# recovery code); false only for a local demo or tests of other things.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = SITE_NAME

# Behind a proxy that terminates HTTPS, the secure defaults follow: cookies only over HTTPS,
# HTTP redirected, and HSTS for a year. Each can still be set on its own.
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", BEHIND_HTTPS_PROXY)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", BEHIND_HTTPS_PROXY)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", BEHIND_HTTPS_PROXY)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if BEHIND_HTTPS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BEHIND_HTTPS_PROXY)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", BEHIND_HTTPS_PROXY)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {"entraide": {"level": envstr("LOG_LEVEL", "INFO"), "propagate": True}},
}
