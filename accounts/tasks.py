"""The accounts' scheduled work: expired sessions leave the database."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Beat, daily: delete the sessions past their expiry (who was logged in, and when), as
    `manage.py clearsessions` does for the database's sessions; returns how many. Their copies
    in the cache expire there by themselves."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
