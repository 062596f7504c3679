import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_eager_broker(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "up", "detail": "sqlite"}
    assert body["broker"]["status"] == "up"
    assert "eager" in body["broker"]["detail"]
    assert "no-cache" in response["Cache-Control"]


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


def test_readyz_reports_database_cache_and_broker(client):
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
