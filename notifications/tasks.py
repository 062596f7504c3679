"""Thin tasks: send pending e-mails, weekly digests, weekly letters."""

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver_notifications() -> int:
    return services.deliver_pending()


@shared_task(name="notifications.weekly_digests", ignore_result=True)
def send_weekly_digests() -> int:
    return services.send_weekly_digests()


@shared_task(name="notifications.weekly_letters", ignore_result=True)
def build_weekly_letters() -> int:
    batch = services.build_letters()
    return batch.count if batch else 0
