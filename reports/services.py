"""Every write in reports."""

import os
import socket

from django.db import transaction
from django.utils import timezone

from .models import WorkerProbe


@transaction.atomic
def record_worker_probe(*, token: str) -> WorkerProbe:
    """Record the process and host this code runs in, under `token` (idempotent per token)."""
    probe, _created = WorkerProbe.objects.select_for_update().get_or_create(token=token)
    probe.ran_at = timezone.now()
    probe.pid = os.getpid()
    probe.hostname = socket.gethostname()
    probe.save(update_fields=["ran_at", "pid", "hostname"])
    return probe
