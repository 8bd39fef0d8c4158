import pytest
from django.test import RequestFactory

from common import ratelimit


def test_hits_up_to_the_limit_pass_and_the_next_is_over():
    results = [ratelimit.hit("t", "1.2.3.4", limit=3, window_seconds=60) for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_scopes_and_keys_are_counted_apart():
    for _ in range(2):
        ratelimit.hit("a", "k", limit=2, window_seconds=60)
    assert ratelimit.hit("a", "k", limit=2, window_seconds=60) is True
    assert ratelimit.hit("b", "k", limit=2, window_seconds=60) is False
    assert ratelimit.hit("a", "other", limit=2, window_seconds=60) is False


def test_email_keys_ignore_case_and_spaces():
    ratelimit.hit("mail", "Anna@Example.ch", limit=1, window_seconds=60)
    assert ratelimit.hit("mail", " anna@example.ch", limit=1, window_seconds=60) is True


def test_a_new_window_starts_counting_again(time_machine):
    time_machine.move_to("2026-03-01 10:00:00+00:00", tick=False)
    assert [ratelimit.hit("w", "k", 1, 60) for _ in range(2)] == [False, True]
    time_machine.move_to("2026-03-01 10:01:00+00:00", tick=False)
    assert ratelimit.hit("w", "k", 1, 60) is False


def test_disabled_limits_never_refuse(settings):
    settings.RATELIMIT_ENABLED = False
    assert not any(ratelimit.hit("d", "k", 0, 60) for _ in range(3))


def test_client_ip_trusts_forwarded_for_only_behind_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "1.2.3.4"


def test_429_response_has_a_clear_german_message_and_retry_after():
    request = RequestFactory().get("/")
    response = ratelimit.too_many_requests(request, retry_after_seconds=600)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    content = response.content.decode()
    assert "Zu viele Anfragen" in content and "in 10 Minuten wieder" in content


@pytest.mark.parametrize("template_name", ["does/not/exist.html"])
def test_429_without_any_template_still_explains(template_name):
    response = ratelimit.too_many_requests(
        RequestFactory().get("/"), template_name=template_name, retry_after_seconds=30
    )
    assert response.status_code == 429
    assert "nicht gespeichert" in response.content.decode()
