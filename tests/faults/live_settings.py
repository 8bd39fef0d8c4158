"""The product's settings for a gunicorn the fault runs start with DEBUG off: everything comes from the
environment as in production; only STATIC_ROOT moves into the run's temporary folder, where the test runs
`collectstatic` (the manifest storage of DEBUG=0 needs it, and the repository's own staticfiles/ stays untouched)."""

import os
from pathlib import Path

from ebookit_support.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["FAULT_STATIC_ROOT"])
