"""`/healthz/`: is the database reachable, and is the broker? JSON, 200 when both answer, else 503."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    if celery_app.conf.task_always_eager:
        return True  # no broker configured: tasks run in-process
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    checks["eager_tasks"] = bool(celery_app.conf.task_always_eager)
    healthy = checks["database"] and checks["broker"]
    return JsonResponse({"status": "ok" if healthy else "fail", **checks}, status=200 if healthy else 503)
