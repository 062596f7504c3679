from celery import shared_task

from . import services


@shared_task(name="reports.probe_worker")
def probe_worker(token: str) -> int:
    """Record where the worker runs; returns the worker's process id."""
    return services.record_worker_probe(token=token).pid
