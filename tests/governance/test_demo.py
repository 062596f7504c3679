"""The demo's money trail: contract → fund → decision → allocation → tranches → initiative."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import User
from governance.demo import ALLOCATION_TITLE
from governance.models import Decision, Proposal
from sroi.models import Allocation, Transaction

pytestmark = pytest.mark.django_db


def test_the_demo_allocation_comes_from_the_adopted_decision_once():
    call_command("seed_demo", verbosity=0, force=True)
    call_command("seed_demo", verbosity=0, force=True)
    last_year = timezone.localdate().year - 1
    proposal = Proposal.objects.get(title=ALLOCATION_TITLE)
    assert proposal.status == Proposal.Status.EXECUTED
    assert proposal.is_allocation and proposal.amount == Decimal("120000.00")
    decision = Decision.objects.get(proposal=proposal)
    assert decision.adopted
    assert timezone.localtime(decision.decided_at).year == last_year
    assert decision.reference.startswith(f"BK-{last_year}-")
    # one allocation, linked both ways, dated after the decision in the same year
    allocation = Allocation.objects.get(decision_id=decision.pk)  # the budget round has its own
    assert decision.allocation == allocation
    assert (allocation.decision_id, allocation.decision_reference) == (
        decision.pk,
        decision.reference,
    )
    assert allocation.initiative.slug == "community-home-24-7"
    assert allocation.date.year == last_year
    assert allocation.date >= timezone.localdate(decision.decided_at)
    # the ledger carries the decision's reference on the allocation and both tranches
    trail = list(
        Transaction.objects.filter(allocation=allocation)
        .order_by("date")
        .values_list("kind", "date", "decision_reference")
    )
    assert [kind for kind, _day, _ref in trail] == [
        Transaction.Kind.ALLOCATION,
        Transaction.Kind.DISBURSEMENT,
        Transaction.Kind.DISBURSEMENT,
    ]
    assert {ref for _kind, _day, ref in trail} == {decision.reference}
    assert [day.year for _kind, day, _ref in trail] == [last_year, last_year, last_year + 1]
    # the money came in before it went out: contributions of the museum contract last year
    contributions = Transaction.objects.filter(
        kind=Transaction.Kind.SROI_CONTRIBUTION,
        date__lt=allocation.date,
        contract__reference="AMS-2024-0001",
    )
    assert contributions.exists()
    assert all(day <= timezone.localdate() for _k, day, _r in trail)
    assert isinstance(allocation.date, datetime.date)


def test_a_later_seeding_opens_the_next_round_when_no_demo_poll_is_open(tmp_path):
    """`make run` on a database seeded earlier: the demo poll has closed, so there was nothing
    to vote in. Now the next round opens, its keys are shown and kept for the console; while a
    round is open, seeding again makes nothing new and leaves the kept keys alone."""
    from governance import services
    from governance.demo import POLL_TITLE

    notes = tmp_path / "demo-poll.txt"
    call_command("seed_demo", verbosity=0, notes_file=notes, force=True)
    first = Proposal.objects.get(title=POLL_TITLE)
    kept = notes.read_text()
    assert kept.startswith(f"Demo poll {first.pk} closes at ")
    assert kept.count("\n") == 1 + first.poll_key.trustee_count

    call_command("seed_demo", verbosity=0, notes_file=notes, force=True)  # still open: nothing new
    assert Proposal.objects.filter(title__startswith=POLL_TITLE).count() == 1
    assert notes.read_text() == kept

    later = first.closes_at + datetime.timedelta(minutes=1)
    with freeze_time(later):
        call_command("seed_demo", verbosity=0, notes_file=notes, force=True)
        second = Proposal.objects.get(title=f"{POLL_TITLE} (ronde 2)")
        assert second.status == Proposal.Status.VOTING
        assert second.opens_at <= later < second.closes_at
        assert notes.read_text().startswith(f"Demo poll {second.pk} closes at ")
        # a demo resident votes in it
        member = User.objects.get(username="bewoner")
        assert services.cast_vote(proposal=second, choice="for", actor=member)
    first.refresh_from_db()
    assert first.title == POLL_TITLE and first.closes_at < later  # the first round as it was
