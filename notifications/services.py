"""Every write of notifications: emitting events, sending them, digests, letters, preferences."""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from common.addresses import public_url, typed_address
from common.community_home import community_home

from . import messages
from .models import REQUIRED_KINDS, Channel, Event, Kind, LetterBatch, Notification, Preference

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # with the back-off in _failed: about a day of trying
SEND_ERRORS = (smtplib.SMTPException, OSError)
SECRET_LINK_KINDS = frozenset({Kind.INTAKE_LINK})


def emit(
    *,
    kind: str,
    subject: str,
    url: str,
    recipients: Iterable[User] = (),
    addresses: Iterable[tuple[str, str]] = (),
    data: dict | None = None,
) -> Event:
    """Record one event for `recipients` (users) and `addresses` ((e-mail, language) of people
    without an account) in the caller's transaction; it is sent after commit.

    Must be called inside the transaction of the change it tells about, so that the change and
    its event are written together or not at all.
    """
    _in_transaction()
    event = Event.objects.create(kind=kind, subject=subject, url=url, data=data or {})
    users = {user.pk: user for user in recipients if _reached(user, kind)}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
    now = timezone.now()
    rows = []
    for user_id, user in users.items():
        rows += _rows_for(event, user, preferences.get(user_id), now)
    for address, language in addresses:
        rows.append(
            Notification(event=event, email=address, channel=Channel.EMAIL, language=language)
        )
    _store(rows)
    return event


def emit_each(*, kind: str, events: list[tuple[str, str, User, dict]]) -> list[Event]:
    """Record one event per (subject, url, recipient, data), each for its one recipient, as
    `emit` does for each, in a few queries however many there are (the beat telling a
    thousand voters that they took part). Inside the caller's transaction, as `emit`."""
    _in_transaction()
    made = Event.objects.bulk_create(
        Event(kind=kind, subject=subject, url=url, data=data or {})
        for subject, url, _user, data in events
    )
    users = [user for _subject, _url, user, _data in events]
    preferences = {
        p.user_id: p for p in Preference.objects.filter(user_id__in={u.pk for u in users})
    }
    now = timezone.now()
    rows = []
    for event, user in zip(made, users, strict=True):
        if _reached(user, kind):
            rows += _rows_for(event, user, preferences.get(user.pk), now)
    _store(rows)
    return made


def site_messages(events: list[Event]) -> dict[int, int]:
    """The pk of each event's message on the site, by the event's pk (one query): what a "you
    voted" notice points at once told."""
    found = Notification.objects.filter(event__in=events, channel=Channel.SITE)
    return dict(found.values_list("event_id", "pk"))


def _reached(user: User | None, kind: str) -> bool:
    """Whether `user` gets messages of `kind`: an active account, or any account for what a
    person must get (a ballot in the name of a closed account is told too: to see it they
    need the account back, and the e-mail goes out)."""
    return user is not None and (user.is_active or kind in REQUIRED_KINDS)


def _in_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("emit() belongs inside the transaction of the change it reports.")


def _rows_for(event: Event, user: User, preference: Preference | None, now) -> list[Notification]:
    """The notifications of `event` for `user`: on the site, and by e-mail or by letter as
    their preference says (`preference` None: the defaults)."""
    preference = preference or Preference(user=user)
    language = preference.language
    rows = [
        Notification(
            event=event, user=user, channel=Channel.SITE, language=language,
            status=Notification.Status.SENT, sent_at=now,
        )
    ]  # fmt: skip
    kind = event.kind
    if user.email:
        frequency = preference.email_frequency
        if frequency == Preference.Frequency.NEVER and kind not in REQUIRED_KINDS:
            return rows
        weekly = frequency == Preference.Frequency.WEEKLY and kind not in REQUIRED_KINDS
        rows.append(
            Notification(
                event=event, user=user, channel=Channel.EMAIL, language=language, digest=weekly
            )
        )
    elif preference.letters:
        rows.append(Notification(event=event, user=user, channel=Channel.LETTER, language=language))
    return rows


def _store(rows: list[Notification]) -> None:
    Notification.objects.bulk_create(rows)
    if any(row.channel == Channel.EMAIL and not row.digest for row in rows):
        # Only an e-mail to send now needs the worker (digests and letters go with the beat):
        # an event only for people without an e-mail address or with a digest sends no task.
        transaction.on_commit(_dispatch)


def _dispatch() -> None:
    """Ask the worker to send; when the broker is down the beat sends it later."""
    # The task by its name from Celery's registry: tasks.py imports this module, not the reverse.
    deliver_notifications = current_app.tasks["notifications.deliver"]
    try:
        deliver_notifications.delay()
    except Exception as exc:  # noqa: BLE001 - kombu and redis raise many kinds; all mean "later"
        logger.warning("notifications: broker unavailable, kept for the beat: %s", exc)


def _absolute(url: str) -> str:
    return url if url.startswith("http") else public_url(url)


def _unsubscribe_url(notification: Notification) -> str:
    if notification.user_id is None:
        return ""
    preference, _ = Preference.objects.get_or_create(user_id=notification.user_id)
    return _absolute(f"/meldingen/afmelden/{preference.unsubscribe_token}/")


def _message(notification: Notification) -> EmailMessage:
    event = notification.event
    with translation.override(notification.language):
        subject, text = messages.render(event.kind, event.data)
        body = render_to_string(
            "notifications/email/message.txt",
            {
                "text": text,
                "url": _absolute(event.url),
                "unsubscribe_url": _unsubscribe_url(notification),
                "required": event.kind in REQUIRED_KINDS,
            },
        )
    to = notification.user.email if notification.user_id else notification.email
    return EmailMessage(subject=subject, body=body, to=[to])


def deliver_pending(*, limit: int = 200) -> int:
    """Send pending e-mails that are not waiting for a digest; returns how many went out.

    Each is sent in its own transaction with its row locked, so two workers never send one
    twice and a failing mail server leaves the rest pending for the next run.
    """
    sent = 0
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            channel=Channel.EMAIL,
            status=Notification.Status.PENDING,
            digest=False,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    mail = get_connection()
    for pk in ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("event", "user")
                .filter(pk=pk, status=Notification.Status.PENDING)
                .first()
            )
            if notification is None:
                continue
            try:
                mail.send_messages([_message(notification)])
            except SEND_ERRORS as exc:
                _failed(notification, exc)
                continue
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["status", "sent_at"])
            _forget_secret_link(notification.event)
            sent += 1
    return sent


def _forget_secret_link(event: Event) -> None:
    """An intake link is a bearer token (its table keeps only a hash): once it went out, the
    outbox forgets it too, so nobody who reads the database can fill in the intake."""
    if event.kind in SECRET_LINK_KINDS and not (
        event.notifications.filter(status=Notification.Status.PENDING).exists()
    ):
        Event.objects.filter(pk=event.pk).update(url="")


def _failed(notification: Notification, exc: Exception) -> None:
    notification.attempts += 1
    notification.last_error = f"{type(exc).__name__}: {exc}"[:300]
    # Back off: after n failures wait n² minutes, at most two hours.
    wait = timedelta(minutes=min(notification.attempts**2, 120))
    notification.next_attempt_at = timezone.now() + wait
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
    notification.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
    logger.warning("notifications: sending %s failed: %s", notification.pk, exc)


def send_weekly_digests(*, now: datetime | None = None) -> int:
    """One e-mail per person with everything that waited for their weekly digest."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            channel=Channel.EMAIL, status=Notification.Status.PENDING, digest=True
        )
        .select_related("event", "user")
        .order_by("user_id", "event__created_at", "pk")
    )
    per_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        per_user[notification.user_id].append(notification)
    mail = get_connection()
    sent = 0
    for user_id, items in per_user.items():
        with transaction.atomic():
            locked = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[n.pk for n in items], status=Notification.Status.PENDING)
                .values_list("pk", flat=True)
            )
            items = [n for n in items if n.pk in set(locked)]
            if not items:
                continue
            try:
                mail.send_messages([_digest(items)])
            except SEND_ERRORS as exc:
                logger.warning("notifications: digest for user %s failed: %s", user_id, exc)
                continue
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                status=Notification.Status.SENT, sent_at=now
            )
            Preference.objects.update_or_create(user_id=user_id, defaults={"last_digest_at": now})
            sent += 1
    return sent


def _digest(items: list[Notification]) -> EmailMessage:
    first = items[0]
    with translation.override(first.language):
        lines = []
        for notification in items:
            subject, text = messages.render(notification.event.kind, notification.event.data)
            lines.append(
                {"subject": subject, "text": text, "url": _absolute(notification.event.url)}
            )
        body = render_to_string(
            "notifications/email/digest.txt",
            {"items": lines, "unsubscribe_url": _unsubscribe_url(first)},
        )
        subject = str(translation.gettext("Burgerkracht: what happened this week"))
    return EmailMessage(subject=subject, body=body, to=[first.user.email])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build_letters(*, week: date | None = None) -> LetterBatch | None:
    """Print this week's letters (one page or more per person) into one PDF; idempotent."""
    # Here, not at the top: WeasyPrint is large; only the letters' task pays for it.
    from weasyprint import HTML  # noqa: PLC0415 - heavy library, loaded only when used

    week = monday_of(week or timezone.localdate())
    with transaction.atomic():
        batch, created = LetterBatch.objects.select_for_update().get_or_create(week=week)
        if not created and batch.pdf:
            return batch
        pending = list(
            Notification.objects.filter(
                channel=Channel.LETTER, status=Notification.Status.PENDING, letter_batch=None
            )
            .select_related("event", "user", "user__notification_preference")
            .order_by("user__last_name", "user__username", "event__created_at")
        )
        if not pending:
            batch.delete()
            return None
        letters: dict[int, list[dict]] = defaultdict(list)
        people = {}
        for notification in pending:
            with translation.override(notification.language):
                subject, text = messages.render(notification.event.kind, notification.event.data)
            url = typed_address(_absolute(notification.event.url))  # to type over from paper
            letters[notification.user_id].append({"subject": subject, "text": text, "url": url})
            # The whole letter in the person's language, not only its messages.
            people[notification.user_id] = (notification.user, notification.language)
        html = render_to_string(
            "notifications/letters.html",
            {
                "letters": [(*people[user_id], items) for user_id, items in letters.items()],
                "week": week,
                "community_home": community_home(),
                "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
            },
        )
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        batch.pdf.save(f"brieven-{week:%Y-%m-%d}.pdf", ContentFile(pdf), save=False)
        batch.count = len(letters)
        batch.save()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            status=Notification.Status.SENT, sent_at=timezone.now(), letter_batch=batch
        )
    return batch


def update_preferences(
    *,
    user: User,
    actor: User,
    email_frequency: str,
    letters: bool,
    letter_address: str,
    language: str,
) -> Preference:
    """Save how a person wants to hear from us; only the person themselves may."""
    if actor.pk != user.pk:
        raise PermissionError("only the person may change their own preferences")
    preference, _ = Preference.objects.get_or_create(user=user)
    preference.email_frequency = email_frequency
    preference.letters = letters
    preference.letter_address = letter_address.strip()
    preference.language = language
    preference.save()
    return preference


@transaction.atomic
def unsubscribe(*, token: str) -> Preference | None:
    """One click: no more e-mail except what a person must get. None for an unknown token."""
    preference = Preference.objects.select_for_update().filter(unsubscribe_token=token).first()
    if preference is None:
        return None
    preference.email_frequency = Preference.Frequency.NEVER
    preference.save(update_fields=["email_frequency"])
    # What already waits for a digest is not sent either.
    Notification.objects.filter(
        user_id=preference.user_id,
        channel=Channel.EMAIL,
        status=Notification.Status.PENDING,
        digest=True,
    ).delete()
    return preference


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark site notices of `user` as read (all when `ids` is None)."""
    notices = Notification.objects.filter(user=user, channel=Channel.SITE, read_at__isnull=True)
    if ids is not None:
        notices = notices.filter(pk__in=list(ids))
    return notices.update(read_at=timezone.now())
