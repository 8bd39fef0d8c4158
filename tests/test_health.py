"""/healthz/ tells a load balancer whether the database and the broker answer."""

from django.urls import reverse


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True, "eager_tasks": True}


def test_healthz_is_503_when_the_broker_does_not_answer(client, db):
    from tests.services import free_port, publishing_to

    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] is False
    assert response.json()["database"] is True
