import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(settings):
    """`make run`: DEBUG, no broker, the web process runs the schedule (not in these tests)."""
    settings.DEBUG = True
    settings.RUN_BEAT_IN_WEB = True
    cache.add("beatless:lock", 1, timeout=60)


def test_health_reports_database_and_eager_broker_with_the_beat_in_the_web_process(
    client, embedded
):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "up", "detail": "sqlite"}
    assert body["broker"]["status"] == "up"
    assert "eager" in body["broker"]["detail"]
    assert "no-cache" in response["Cache-Control"]


def test_health_says_so_when_tasks_run_eagerly_and_no_beat_runs(client, settings):
    # given: a production without CELERY_BROKER_URL (the review of 2026-12-06, finding 5)
    settings.DEBUG = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.RUN_BEAT_IN_WEB = False
    # when
    response = client.get("/health/")
    # then: the site serves (200), but nobody reads "up" for a schedule that never runs
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "incomplete"
    assert body["broker"]["status"] == "missing"
    assert "without a beat" in body["broker"]["detail"]
    assert body["database"]["status"] == "up"


def test_health_reports_an_unreachable_broker(client, settings):
    # Nothing listens on port 9 of the loopback: the broker is down, the site answers.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "down"
    assert response.json()["database"]["status"] == "up"
    assert client.get("/").status_code == 200


def test_livez_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/_healthz/livez/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_database_cache_and_broker(client, embedded):
    response = client.get("/_healthz/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["status"] == "up"
    assert body["cache"] == {"status": "up", "detail": "LocMemCache"}
    assert body["broker"]["status"] == "up"


def test_readyz_is_not_ready_when_the_cache_is_down(client, settings):
    # Nothing listens on port 9 of the loopback.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/_healthz/readyz/")
    assert response.status_code == 503
    assert response.json()["cache"]["status"] == "down"
