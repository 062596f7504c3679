"""The deployment stack for real: PostgreSQL, Redis as the broker and a separate Celery worker."""

import os
import time
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import Role
from reports.models import WorkerProbe
from reports.tasks import probe_worker

from .conftest import wait_until

pytestmark = pytest.mark.integration


def run_probe() -> WorkerProbe:
    """Send a probe through the broker and wait for the worker to record it in the database."""
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    token = uuid.uuid4().hex
    probe_worker.delay(token)
    return wait_until(
        lambda: WorkerProbe.objects.filter(token=token, ran_at__isnull=False).first(),
        30,
        "the worker to run the probe task",
    )


@pytest.mark.django_db(transaction=True)
def test_task_runs_in_separate_worker_process():
    probe = run_probe()
    assert probe.pid != os.getpid()
    assert probe.hostname
    assert probe.ran_at is not None


@pytest.mark.django_db
def test_health_reports_database_and_broker_up(client):
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "up", "detail": "postgresql"}
    assert body["broker"] == {"status": "up", "detail": "redis"}


@pytest.mark.django_db
def test_health_reports_broker_down_and_site_still_answers(client, redis_server):
    redis_server.stop()

    started = time.monotonic()
    response = client.get("/health/")
    elapsed = time.monotonic() - started

    assert response.status_code == 503, response.content
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"]["status"] == "down"
    assert body["database"] == {"status": "up", "detail": "postgresql"}
    assert elapsed < 5, f"the health check took {elapsed:.1f} s with Redis down"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/inloggen/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_worker_resumes_after_broker_restart(redis_server):
    redis_server.stop()
    redis_server.start()

    probe = run_probe()
    assert probe.pid != os.getpid()


@pytest.mark.django_db
def test_user_and_role_groups_exist_on_postgresql(django_user_model):
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
    administrators = Group.objects.get(name=Role.ADMINISTRATOR.value)
    assert administrators.permissions.filter(codename="add_user").exists()

    user = django_user_model.objects.create_user(username="integratie", password="x" * 20)
    user.groups.add(administrators)
    assert django_user_model.objects.get(username="integratie").has_role(Role.ADMINISTRATOR)
