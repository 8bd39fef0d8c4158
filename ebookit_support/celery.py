"""The Celery app: configured from Django settings (CELERY_* names), tasks discovered in every app."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ebookit_support.settings")

app = Celery("ebookit_support")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect(weak=False)
@task_postrun.connect(weak=False)
def close_old_connections(task=None, **kwargs):
    """Around each task, as around each web request: drop a database connection that broke or grew too old.
    Not for eager tasks: they run inside the caller's request and transaction."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
