"""Notifications: one event in the change's transaction, sent after commit on the person's channels."""

import io
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from notifications import services
from notifications.models import Channel, Event, Kind, LetterBatch, Notification, Preference
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def emit(kind=Kind.VOTING_OPENED, recipients=(), **kwargs):
    kwargs.setdefault("subject", "governance.proposal:1")
    kwargs.setdefault("url", "/voorstellen/1/")
    kwargs.setdefault("data", {"title": "Speeltuin Kraaiennest", "closes_at": "1 december"})
    with transaction.atomic():
        return services.emit(kind=kind, recipients=recipients, **kwargs)


def test_an_event_outside_the_transaction_of_its_change_is_refused():
    user = UserFactory(email="a@example.org")
    with pytest.raises(RuntimeError):
        services.emit(kind=Kind.VOTING_OPENED, subject="x", url="/", recipients=[user])
    assert not Event.objects.exists()


def test_an_event_becomes_one_email_in_the_persons_language_after_commit(mailoutbox):
    dutch = UserFactory(email="nl@example.org")
    english = UserFactory(email="en@example.org")
    Preference.objects.create(user=english, language="en")
    emit(recipients=[dutch, english, dutch])
    assert Event.objects.count() == 1
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"nl@example.org", "en@example.org"}
    assert by_address["nl@example.org"].subject == "U kunt stemmen: Speeltuin Kraaiennest"
    assert by_address["en@example.org"].subject == "You can vote: Speeltuin Kraaiennest"
    assert "http://127.0.0.1:8000/voorstellen/1/" in by_address["nl@example.org"].body
    assert "/meldingen/afmelden/" in by_address["nl@example.org"].body
    assert Notification.objects.filter(channel=Channel.SITE).count() == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_nothing_is_written_or_sent_when_the_change_rolls_back(mailoutbox):
    user = UserFactory(email="a@example.org")
    with pytest.raises(ValueError), transaction.atomic():
        services.emit(kind=Kind.DECISION_TAKEN, subject="x", url="/", recipients=[user])
        raise ValueError("the change failed")
    assert not Event.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_someone_without_email_gets_a_printed_letter(mailoutbox):
    user = UserFactory(email="", first_name="Ama", last_name="Mensah")
    Preference.objects.create(user=user, letter_address="Kraaiennest 12\n1104 AB Amsterdam")
    emit(recipients=[user])
    assert mailoutbox == []
    letter = Notification.objects.get(channel=Channel.LETTER)
    assert letter.status == "pending"
    batch = services.build_letters(week=date(2026, 11, 30))
    assert batch.count == 1
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(batch.pdf.read())).pages)
    assert "Ama Mensah" in text and "Kraaiennest 12" in text
    assert "Speeltuin Kraaiennest" in text
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.letter_batch == batch
    # Idempotent: the week's batch is made once; nothing new to print makes no new batch.
    assert services.build_letters(week=date(2026, 12, 2)) == batch
    assert LetterBatch.objects.count() == 1


def test_a_weekly_digest_groups_the_weeks_events_in_one_email(mailoutbox):
    user = UserFactory(email="week@example.org")
    Preference.objects.create(user=user, email_frequency=Preference.Frequency.WEEKLY)
    for title in ("Bankjes", "Moestuin", "Buurtfeest"):
        emit(recipients=[user], data={"title": title, "closes_at": "vrijdag"})
    assert mailoutbox == []
    assert services.send_weekly_digests() == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert all(title in body for title in ("Bankjes", "Moestuin", "Buurtfeest"))
    assert services.send_weekly_digests() == 0
    assert len(mailoutbox) == 1


def test_unsubscribing_is_one_click_and_never_stops_required_messages(client, mailoutbox):
    user = UserFactory(email="stop@example.org")
    emit(recipients=[user])
    token = Preference.objects.get(user=user).unsubscribe_token
    assert client.get(f"/meldingen/afmelden/{token}/").status_code == 200
    assert Preference.objects.get(user=user).email_frequency == "immediate"  # GET changes nothing
    response = client.post(f"/meldingen/afmelden/{token}/")
    assert response.status_code == 200
    assert Preference.objects.get(user=user).email_frequency == "never"
    mailoutbox.clear()
    emit(recipients=[user])
    assert mailoutbox == []
    emit(Kind.PARTICIPATION, recipients=[user], data={"title": "Bankjes", "moment": "1 december"})
    assert [m.subject for m in mailoutbox] == ["U hebt meegedaan: Bankjes"]
    assert client.post("/meldingen/afmelden/onbekend/").status_code == 404


def test_a_mail_server_that_is_down_keeps_the_message_for_later(settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    user = UserFactory(email="later@example.org")
    emit(recipients=[user])
    waiting = Notification.objects.get(channel=Channel.EMAIL)
    assert waiting.status == "pending" and waiting.attempts == 1 and waiting.next_attempt_at
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver_pending() == 0  # backing off
    Notification.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    assert services.deliver_pending() == 1
    assert [m.to for m in mailoutbox] == [["later@example.org"]]
    assert services.deliver_pending() == 0


def test_a_broker_that_is_down_keeps_every_event_and_the_beat_sends_it(monkeypatch, mailoutbox):
    # The fast suite has no broker (eager tasks): refuse the hand-over the way kombu does when
    # Redis is down. tests/integration stops a real Redis for the same check.
    from kombu.exceptions import OperationalError

    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_notifications, "delay", broker_down)
    emit(recipients=[UserFactory(email="kept@example.org")])
    assert mailoutbox == []
    assert Notification.objects.get(channel=Channel.EMAIL).status == "pending"
    monkeypatch.undo()
    assert tasks.deliver_notifications.delay().get() == 1  # what the beat runs every minute
    assert mailoutbox[0].to == ["kept@example.org"]


def test_an_address_without_an_account_gets_the_message_too(mailoutbox):
    with transaction.atomic():
        services.emit(
            kind=Kind.INTAKE_LINK,
            subject="intake.intake:3",
            url="/intake/link/abc/",
            addresses=[("initiatief@example.org", "nl")],
            data={"initiative": "Buurtkeuken", "expires": "14 december 2026"},
        )
    (message,) = mailoutbox
    assert message.to == ["initiatief@example.org"]
    assert "14 december 2026" in message.body
    assert "/meldingen/afmelden/" not in message.body


def test_notices_on_the_site_and_marking_them_read(client, django_assert_max_num_queries):
    user = UserFactory(email="")
    for n in range(3):
        emit(recipients=[user], data={"title": f"Voorstel {n}", "closes_at": "vrijdag"})
    client.force_login(user)
    with django_assert_max_num_queries(8):
        response = client.get("/meldingen/")
    assert response.status_code == 200
    assert response.content.decode().count("U kunt stemmen: Voorstel") == 3
    for n in range(20):
        emit(recipients=[user], data={"title": f"Extra {n}", "closes_at": "vrijdag"})
    with django_assert_max_num_queries(8):
        assert client.get("/meldingen/").status_code == 200
    client.post("/meldingen/")
    assert not Notification.objects.filter(user=user, channel="site", read_at=None).exists()


def test_opening_a_notice_marks_that_one_read_and_goes_where_it_points(client):
    user, other = UserFactory(email=""), UserFactory(email="")
    emit(
        recipients=[user, other], url="/voorstellen/7/", data={"title": "Eerste", "closes_at": "x"}
    )
    emit(recipients=[user], url="/begroting/", data={"title": "Tweede", "closes_at": "x"})
    first, second = Notification.objects.filter(user=user, channel="site").order_by("pk")
    client.force_login(user)
    page = client.get("/meldingen/").content.decode()
    assert f'href="/meldingen/{first.pk}/"' in page and page.count(">nieuw<") == 2

    response = client.get(f"/meldingen/{first.pk}/")
    assert (response.status_code, response["Location"]) == (302, "/voorstellen/7/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None  # only the one opened
    assert client.get("/meldingen/").content.decode().count(">nieuw<") == 1
    read_at = first.read_at
    client.get(f"/meldingen/{first.pk}/")  # opened again: still read since the first time
    first.refresh_from_db()
    assert first.read_at == read_at

    # Someone else's notice is not found, and stays unread; without logging in: the log-in.
    theirs = Notification.objects.get(user=other, channel="site")
    assert client.get(f"/meldingen/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.logout()
    assert client.get(f"/meldingen/{first.pk}/").status_code == 302
    assert client.get(f"/meldingen/{first.pk}/")["Location"].startswith("/accounts/")


def test_a_notice_link_that_leaves_the_site_goes_to_the_messages(client):
    user = UserFactory(email="")
    emit(recipients=[user], url="https://elders.example/")
    notice = Notification.objects.get(user=user, channel="site")
    client.force_login(user)
    response = client.get(f"/meldingen/{notice.pk}/")
    assert (response.status_code, response["Location"]) == (302, "/meldingen/")


def test_preferences_are_saved_and_bad_input_writes_nothing(client):
    user = UserFactory(email="p@example.org")
    client.force_login(user)
    response = client.post(
        "/meldingen/instellingen/",
        {"email_frequency": "nooit-niet", "language": "en", "letter_address": "\x00"},
    )
    assert response.status_code == 400
    assert not Preference.objects.filter(user=user).exists()
    response = client.post(
        "/meldingen/instellingen/",
        {"email_frequency": "weekly", "language": "en", "letters": "on", "letter_address": ""},
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=user)
    assert (preference.email_frequency, preference.language) == ("weekly", "en")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("resident", 403),
        ("community_member", 403),
        ("youth_member", 403),
        ("advisory_member", 403),
        ("civil_servant", 200),
        ("administrator", 403),
    ],
)
def test_only_civil_servants_see_the_printed_letters(client, request, role, expected):
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get("/meldingen/brieven/")
    assert response.status_code == expected
    if role is None:
        assert client.get("/meldingen/").status_code == 302
        assert client.get("/meldingen/instellingen/").status_code == 302


def test_old_letters_stay_when_a_new_week_is_printed():
    user = UserFactory(email="")
    emit(recipients=[user])
    first = services.build_letters(week=date(2026, 11, 23))
    emit(recipients=[user])
    second = services.build_letters(week=date(2026, 11, 23) + timedelta(days=7))
    assert first != second
    assert LetterBatch.objects.count() == 2


def test_emit_each_writes_what_emit_writes_for_each_and_sends_once(mailoutbox):
    # given people with every kind of preference, and one who left
    plain = UserFactory(email="plain@example.org")
    english = UserFactory(email="en@example.org")
    Preference.objects.create(user=english, language="en")
    weekly = UserFactory(email="weekly@example.org")
    Preference.objects.create(user=weekly, email_frequency=Preference.Frequency.WEEKLY)
    never = UserFactory(email="never@example.org")
    Preference.objects.create(user=never, email_frequency=Preference.Frequency.NEVER)
    on_paper = UserFactory(email="")
    Preference.objects.create(user=on_paper, letter_address="Kraaiennest 12\n1104 AB Amsterdam")
    left = UserFactory(email="left@example.org", is_active=False)
    people = [plain, english, weekly, never, on_paper, left]

    def written(events):
        return sorted(
            (n.user_id, n.channel, n.language, n.digest, n.status, e.subject, str(e.data))
            for e in events
            for n in e.notifications.all()
        )

    # when each gets their own event, through emit one by one and through emit_each at once
    kind = Kind.PARTICIPATION
    items = [(f"s:{p.pk}", "/voorstellen/1/", p, {"title": "Bankjes"}) for p in people]
    with transaction.atomic():
        one_by_one = [
            services.emit(kind=kind, subject=s, url=u, recipients=[p], data=d)
            for s, u, p, d in items
        ]
    sent_one_by_one = len(mailoutbox)
    with transaction.atomic():
        at_once = services.emit_each(kind=kind, events=items)
    # then the same events and notifications, and the same e-mails sent after commit
    assert [e.subject for e in at_once] == [e.subject for e in one_by_one]
    assert written(at_once) == written(one_by_one)
    assert {n.channel for e in at_once for n in e.notifications.all()} == {
        Channel.SITE, Channel.EMAIL, Channel.LETTER,
    }  # fmt: skip
    assert len(mailoutbox) == 2 * sent_one_by_one > 0
    # and, like emit, never outside the transaction of the change
    with pytest.raises(RuntimeError):
        services.emit_each(kind=kind, events=items)


def test_the_account_page_leads_to_the_messages_and_their_settings(client):
    # The messages page was linked from nowhere: a resident could not find it.
    client.force_login(UserFactory())
    page = client.get("/accounts/profiel/").content.decode()
    assert 'href="/meldingen/" data-testid="my-messages"' in page
    assert 'href="/meldingen/instellingen/"' in page
    assert client.get("/meldingen/").status_code == 200


@pytest.mark.parametrize(
    ("language", "frame", "other"),
    [
        ("nl", ["Uw berichten van Burgerkracht", "Hallo,", "U kunt stemmen"], "Hello,"),
        ("en", ["Your messages from Burgerkracht", "Hello,", "You can vote"], "Hallo,"),
    ],
)
def test_a_letter_is_wholly_in_the_persons_language_with_an_address_to_type_and_where_to_go(
    language, frame, other, settings
):
    settings.SITE_URL = "https://burgerkracht.example.nl"
    settings.COMMUNITY_HOME_NAME = "Huis van de Wijk"
    settings.COMMUNITY_HOME_ADDRESS = "Voorbeeldplein 1, 1000 AA Voorbeeld"
    settings.COMMUNITY_HOME_HOURS = "ma t/m vr 10:00–16:00"
    settings.COMMUNITY_HOME_HOURS_EN = "Mon to Fri 10:00–16:00"
    user = UserFactory(email="", first_name="Ama", last_name="Mensah")
    Preference.objects.create(user=user, language=language, letter_address="Kraaiennest 12")
    collects = UserFactory(email="", first_name="Kofi", last_name="Boateng")
    Preference.objects.create(user=collects, language=language, letter_address="")
    emit(recipients=[user, collects])
    batch = services.build_letters(week=date(2026, 11, 30))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(batch.pdf.read())).pages)
    # The letter around the messages speaks the person's language too, not the worker's.
    for words in frame:
        assert words in text
    assert other not in text
    # The link as people type it from paper, on the public site; and where to get help.
    assert "burgerkracht.example.nl/voorstellen/1" in text
    assert "https://" not in text
    assert "Huis van de Wijk, Voorbeeldplein 1, 1000 AA Voorbeeld" in text
    hours, not_hours = ("ma t/m vr", "Mon to Fri") if language == "nl" else ("Mon to Fri", "ma t/m")
    assert f"{hours} 10:00–16:00" in text and not_hours not in text
    # who has no address collects their letter at the Community Home, named
    nl = language == "nl"
    assert ("Op te halen bij: Huis van de Wijk" if nl else "collect at: Huis van de Wijk") in text
    assert ("Vragen? Kom langs." if nl else "Questions? Come by.") in text


@pytest.mark.parametrize(
    ("home", "home_phone", "expected"),
    [
        ("Huis van de Wijk", "020 123 45 67", "Telefoon: 020 123 45 67"),
        ("Huis van de Wijk", "", "Liever bellen? Bel Gemeente Amsterdam: 14 020"),
        ("", "", "Of wilt u hulp bij deze website? Bel Gemeente Amsterdam: 14 020"),
    ],
)
def test_a_letter_gives_a_phone_number_for_who_would_rather_call(
    home, home_phone, expected, settings
):
    """The helper's note of 2026-12-06: letters (for residents without e-mail) named where to
    go, not a number to call."""
    settings.MUNICIPALITY_NAME = "Gemeente Amsterdam"
    settings.COMMUNITY_HOME_NAME = home
    settings.COMMUNITY_HOME_ADDRESS = "Voorbeeldplein 1"
    settings.COMMUNITY_HOME_PHONE = home_phone
    settings.MUNICIPALITY_PHONE = "14 020"
    user = UserFactory(email="", first_name="Ama", last_name="Mensah")
    Preference.objects.create(user=user, language="nl", letter_address="Kraaiennest 12")
    emit(recipients=[user])
    batch = services.build_letters(week=date(2026, 11, 30))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(batch.pdf.read())).pages)
    # (the PDF's text comes back with its own spaces: "T elefoon"; compared without them)
    assert expected.replace(" ", "") in "".join(text.split())
