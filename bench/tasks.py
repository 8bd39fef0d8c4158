"""Tasks and hooks the bench adds to the worker it starts (`celery worker --include bench.tasks`); the product's
worker never loads this module.

- `floor`: the floor of the mail throughput, a task as trivial as the stack allows (one indexed query on the
  outbox row) with the same options as `mail.tasks.send_message`.
- With BENCH_CELERY_DB_REUSE_MAX set (bench/settings.py turns it into CELERY_DB_REUSE_MAX), the proposal measured
  by `mail_throughput.py --db-reuse-max N`: Celery stops closing the database connection around every task, and
  Django's own rule decides instead, as it does around every web request: `close_old_connections()` closes a
  connection that broke or outlived CONN_MAX_AGE, and arms CONN_HEALTH_CHECKS for its next use."""

import os

from celery import shared_task
from celery.signals import task_postrun, task_prerun


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def floor(message_pk: int):
    from mail.models import OutboundMessage

    return OutboundMessage.objects.filter(pk=message_pk).values_list("status", flat=True).first()


def _close_old_connections(**kwargs):
    from django.db import close_old_connections

    close_old_connections()


if os.environ.get("BENCH_CELERY_DB_REUSE_MAX"):
    task_prerun.connect(_close_old_connections, weak=False)
    task_postrun.connect(_close_old_connections, weak=False)
