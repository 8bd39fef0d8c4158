"""Settings for the benchmarks and the load run: the product's settings, read from the environment as always,
with what a measurement on plain HTTP over loopback needs on top.

- DEBUG is off unless DJANGO_DEBUG says otherwise (the default of the product is on; a benchmark must not pay for
  DEBUG's query log). The secret key is a throwaway one.
- No HTTPS redirect, no secure-only cookies: the bench talks plain HTTP to 127.0.0.1.
- Static files through the plain storage: the bench does not run collectstatic.
- The rate limit is off unless RATELIMIT_ENABLED=1 (the load run submits hundreds of forms from one address).
- ROOT_URLCONF adds the floor view (bench/urls.py) to the product's urls; the product's urls are unchanged.
"""

import os
import warnings

# WhiteNoise warns that STATIC_ROOT does not exist: the bench serves no static file and runs no collectstatic.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("RATELIMIT_ENABLED", "0")

from ebookit_support.settings import *  # noqa: E402,F403
from ebookit_support.settings import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Only for measuring a proposal (bench/mail_throughput.py --db-reuse-max N): let the Celery worker keep its
# database connection for N tasks instead of reconnecting before and after every task.
if os.environ.get("BENCH_CELERY_DB_REUSE_MAX"):
    CELERY_DB_REUSE_MAX = int(os.environ["BENCH_CELERY_DB_REUSE_MAX"])
