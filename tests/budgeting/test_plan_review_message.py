"""The author of a plan hears what the review found, in words, with the reviewer's reason: the
message said "The advisory committee gave advice on …" (the kind of a proposal's advice) and
carried the reason only in its data, where nobody reads it."""

import pytest
from django.utils import translation

from budgeting import services
from budgeting.models import Round
from notifications import messages
from notifications.models import Event, Kind, Notification

pytestmark = pytest.mark.django_db
S = Round.Status


def _told(author, language: str = "nl") -> tuple[str, str]:
    """The subject and text of the newest message to `author`, as they read it."""
    event = Notification.objects.filter(user=author).latest("pk").event
    assert event.kind == Kind.PLAN_REVIEWED
    with translation.override(language):
        return messages.render(event.kind, event.data)


def test_the_author_reads_what_the_review_found_and_why(
    make_round, civil_servant, community_member
):
    round = make_round(S.IDEAS, costs=(1000, 2000, 3000), money="5000.00")
    plain, dearer, refused = round.plans.order_by("cost")

    services.review_plan(actor=civil_servant, plan=plain, feasible=True)
    subject, text = _told(community_member)
    assert subject == f"Uw plan is bekeken: {plain.title}"
    assert text.strip() == f"De gemeente heeft uw plan {plain.title} bekeken. Het plan is haalbaar."

    services.review_plan(
        actor=civil_servant, plan=dearer, feasible=True, reviewed_cost=2500,
        reason="De bankjes kosten meer.",
    )  # fmt: skip
    assert _told(community_member)[1] == (
        f"De gemeente heeft uw plan {dearer.title} bekeken. Het plan is haalbaar, met kosten "
        "van €\xa02.500. De bankjes kosten meer."
    )

    services.review_plan(
        actor=civil_servant, plan=refused, feasible=False, reason="Dit mag niet in het park."
    )
    assert _told(community_member)[1] == (
        f"De gemeente heeft uw plan {refused.title} bekeken. Het plan is niet haalbaar. "
        "Dit mag niet in het park."
    )
    subject, text = _told(community_member, "en")
    assert subject == f"Your plan was reviewed: {refused.title}"
    assert text == (
        f"The municipality looked at your plan {refused.title}. It is not feasible. "
        "Dit mag niet in het park."
    )
    # no message about a plan speaks of the advisory committee
    assert not Event.objects.filter(subject__startswith="budgeting.plan:", kind=Kind.ADVICE)
