"""Settings for eBookit Support.

Every value that differs between machines is read from the environment here, and only here
(django-environ). The defaults run the app locally on SQLite with eager Celery tasks and console mail;
`.env.example` lists every variable with its meaning.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A development key is only acceptable while DEBUG is on; production must set its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or (
    "dev-insecure-key-only-for-local-runs-never-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "anymail",
    "django_fsm",
    "mail",
    "tickets",
    "ehelp",
    "payments",
    "timelimits",
    "twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "twofactor.middleware.TwoFactorMiddleware",
    "tickets.middleware.InactiveBookshopLogoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ebookit_support.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "ebookit_support.urls"
WSGI_APPLICATION = "ebookit_support.wsgi.application"

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
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://ebookit")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The throttle refuses a locked username or IP before any password is checked (ebookit_support/login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "ebookit_support.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_THROTTLE_PER_USERNAME = env.int("LOGIN_THROTTLE_PER_USERNAME", default=5)
LOGIN_THROTTLE_PER_IP = env.int("LOGIN_THROTTLE_PER_IP", default=20)
LOGIN_THROTTLE_WINDOW_SECONDS = env.int("LOGIN_THROTTLE_WINDOW_SECONDS", default=900)
# Level 1, Level 2 and administrators enter the admin only with a TOTP code (twofactor/): on by default in
# production (DJANGO_DEBUG=0), off for local runs and the demo.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tickets:home-after-login"
LOGOUT_REDIRECT_URL = "ehelp:home"

# German first (Swiss spelling), then French and English.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("fr", _("Französisch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ebookit_support.formats"]
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Customer uploads live outside every public path and are served only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail -------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="eBookit Support <support@ebookit.ch>")
SERVER_EMAIL = env("SERVER_EMAIL", default="server@ebookit.ch")
SUPPORT_HOTLINE_EMAIL = env("SUPPORT_HOTLINE_EMAIL", default="hotline@comelivres.ch")
LEVEL1_EMAIL = env("LEVEL1_EMAIL", default="level1@ebookit.ch")
LEVEL2_EMAIL = env("LEVEL2_EMAIL", default="level2@ebookit.ch")
# The domain in Message-IDs, so that mail clients thread the mails of one case.
MAIL_MESSAGE_ID_DOMAIN = env("MAIL_MESSAGE_ID_DOMAIN", default="support.ebookit.ch")
ANYMAIL = {
    key: value
    for key, value in {
        # "user:password", or "new:pw,old:pw" while rotating: anymail accepts every entry of the list.
        "WEBHOOK_SECRET": env.list("ANYMAIL_WEBHOOK_SECRET", default=[]),
        "POSTMARK_SERVER_TOKEN": env("ANYMAIL_POSTMARK_SERVER_TOKEN", default=""),
        "MAILGUN_API_KEY": env("ANYMAIL_MAILGUN_API_KEY", default=""),
        "MAILGUN_SENDER_DOMAIN": env("ANYMAIL_MAILGUN_SENDER_DOMAIN", default=""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env("ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
        "MAILGUN_API_URL": env("ANYMAIL_MAILGUN_API_URL", default=""),
    }.items()
    if value
}
# Replies: Reply-To of every case mail is reply+<thread>.<signature>@MAIL_REPLY_DOMAIN (empty: no Reply-To),
# and the provider's inbound route for that domain posts to /anymail/<provider>/inbound/.
MAIL_REPLY_DOMAIN = env("MAIL_REPLY_DOMAIN", default="")
MAIL_REPLY_PREFIX = env("MAIL_REPLY_PREFIX", default="reply")
MAIL_INBOUND_MAX_ATTACHMENTS = env.int("MAIL_INBOUND_MAX_ATTACHMENTS", default=10)
# Outbox: how often the sweeper sends what is still pending, and how often a failing mail is retried.
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=30.0)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# --- Celery -----------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in-process (development); with one, a worker sends every mail.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every countdown and retry stays far below this, or Redis would hand the task out again.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A dead broker must not hold a customer's request for long: publishing fails fast and the outbox
# sweeper sends the mail once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep the worker's database connection across tasks (Celery closes it after every task otherwise); Django's own
# rule (CONN_MAX_AGE, CONN_HEALTH_CHECKS) decides around each task instead, see ebookit_support/celery.py.
# Measured in bench/: one worker sends about 75 % more mail per second.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BEAT_SCHEDULE = {
    "send-pending-mail": {"task": "mail.tasks.send_pending", "schedule": timedelta(seconds=OUTBOX_SWEEP_SECONDS)},
    "remind-bookshops": {"task": "timelimits.tasks.remind_bookshops", "schedule": timedelta(minutes=5)},
    "anonymise-expired-cases": {
        "task": "tickets.tasks.anonymise_expired_cases",
        "schedule": crontab(hour=3, minute=15),
    },
    "anonymise-expired-payment-reports": {
        "task": "payments.tasks.anonymise_expired_reports",
        "schedule": crontab(hour=3, minute=30),
    },
    "overdue-digest": {
        "task": "timelimits.tasks.overdue_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
    },
}
CELERY_TIMEZONE = TIME_ZONE

# --- Cases --------------------------------------------------------------------------------------------------
# A customer's reply reopens a solved case within this many days.
REOPEN_WINDOW_DAYS = env.int("REOPEN_WINDOW_DAYS", default=14)
# The private case link stops working this many days after the case was closed.
CASE_LINK_DAYS_AFTER_CLOSE = env.int("CASE_LINK_DAYS_AFTER_CLOSE", default=90)
# Personal data of cases closed longer than this is anonymised by a nightly task (Swiss data-protection law).
PRIVACY_RETENTION_DAYS = env.int("PRIVACY_RETENTION_DAYS", default=730)
# A consent link for remote maintenance works this many hours (and once).
REMOTE_CONSENT_HOURS = env.int("REMOTE_CONSENT_HOURS", default=72)

# --- Payment problems and abuse protection -----------------------------------------------------------------
SUPPORT_HOTLINE_LANGUAGE = env("SUPPORT_HOTLINE_LANGUAGE", default="de")
PAYMENT_METHODS = [
    ("credit_card", _("Kreditkarte")),
    ("postfinance", "PostFinance"),
    ("twint", "TWINT"),
    ("paypal", "PayPal"),
    ("other", _("Andere")),
]
# Submits per window and client IP / per email address on the public forms; above them: HTTP 429.
# Production needs a shared cache (CACHE_URL=redis://...) so that every web worker counts together.
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMIT_PER_IP = env.int("RATELIMIT_PER_IP", default=20)
RATELIMIT_PER_EMAIL = env.int("RATELIMIT_PER_EMAIL", default=5)
RATELIMIT_WINDOW_SECONDS = env.int("RATELIMIT_WINDOW_SECONDS", default=3600)
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket's address).
RATELIMIT_TRUSTED_PROXIES = env.int("RATELIMIT_TRUSTED_PROXIES", default=0)

# --- Security ------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
