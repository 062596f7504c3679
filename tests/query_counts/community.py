"""Query-count rows for the community pages (see tests/test_query_counts.py): governance
(proposals, bodies, Community Homes, poll cards, paper counts, the bulletin) and budgeting.

A builder makes `n` rows of what its page lists (the choices of a form count too) and returns
the URL; an officer or a trustee it needs is put in `ctx` under that role's name.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.query_counts.base import EVERYONE, STAFF, Row

CIVIL_SERVANT = ("civil_servant",)
NOW_HOURS = (-1, 3)


# ---- shared pieces ----------------------------------------------------------------------------


def _users(n: int, prefix: str):
    from accounts.models import User

    return User.objects.bulk_create(
        User(username=f"{prefix}-{n}-{i:04}", first_name="Bewoner", last_name=f"{prefix} {i:04}")
        for i in range(n)
    )


def _bodies(n: int):
    from governance.models import Body
    from tests.governance.factories import DecisionRuleFactory

    rule = DecisionRuleFactory()
    return Body.objects.bulk_create(
        Body(name=f"Orgaan {n}-{i:04}", slug=f"orgaan-{n}-{i:04}", kind=Body.Kind.BOARD,
             decision_rule=rule)
        for i in range(n)
    )  # fmt: skip


def _rules(n: int):
    from governance.models import DecisionRule

    return DecisionRule.objects.bulk_create(
        DecisionRule(name=f"Regel {n}-{i:04}", min_discussion_days=0) for i in range(n)
    )


def _locations(n: int):
    from governance.models import Location

    return Location.objects.bulk_create(
        Location(name=f"Buurthuis {n}-{i:04}", slug=f"buurthuis-{n}-{i:04}", address=f"Plein {i}")
        for i in range(n)
    )


def _shift(user, location, task, *, hours=NOW_HOURS):
    from governance import officing
    from tests.accounts.factories import verified_in_person

    now = timezone.now()
    return officing.add_shift(
        officer=user or verified_in_person(),  # a civil servant may staff a home as is
        location=location,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        task=task,
        appointed_by="Besluit 1",
        actor=None,
    )


def _poll(ctx):
    from tests.governance.factories import poll

    return poll(areas=[ctx["area"]])


def _home(proposal, ctx):
    from governance import officing

    location = officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=ctx["civil_servant"]
    )
    officing.offer_poll_at(proposal=proposal, location=location, actor=ctx["civil_servant"])
    return location


def _on_roll(proposal, n: int):
    """`n` more residents on the frozen roll of `proposal` (community side)."""
    from governance.models import ElectorateEntry, Side

    people = _users(n, "kiezer")
    ElectorateEntry.objects.bulk_create(
        ElectorateEntry(proposal=proposal, user=person, side=Side.COMMUNITY) for person in people
    )
    return people


def _due(proposal):
    """The voting window of `proposal` has ended (not closed yet)."""
    from governance.models import Proposal

    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=timezone.now() - timedelta(hours=2), closes_at=timezone.now() - timedelta(hours=1)
    )
    proposal.refresh_from_db()
    return proposal


def _comments(proposal, author, n: int) -> None:
    from governance.models import Comment

    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=author, text=f"Reactie {i}") for i in range(n)
    )


# ---- proposals --------------------------------------------------------------------------------


def proposal_create(n, ctx):
    _bodies(n)
    _rules(n)
    return "/voorstellen/nieuw/"


def proposal_edit(n, ctx):
    from tests.governance.factories import draft

    _bodies(n)
    proposal = draft()
    return f"/voorstellen/{proposal.pk}/bewerken/"


def _step(state: str, path: str):
    def build(n, ctx):
        from tests.governance import factories

        proposal = getattr(factories, state)()
        _comments(proposal, ctx["community_member"], n)
        return f"/voorstellen/{proposal.pk}/{path}/"

    return build


# ---- bodies and decision rules ----------------------------------------------------------------


def bodies(n, ctx):
    """`n` bodies; on the first, `n` seat holders who voted by name in a decided vote of it (the
    public list names each of them)."""
    from governance.models import Choice, Proposal, Seat, Side, Vote

    made = _bodies(n)
    people = _users(n, "lid")
    Seat.objects.bulk_create(
        Seat(body=made[0], user=person, side=Side.COMMUNITY, starts_on=date(2020, 1, 1))
        for person in people
    )
    decided = Proposal.objects.create(
        title="Besloten",
        text="Tekst",
        body=made[0],
        status=Proposal.Status.ADOPTED,
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() - timedelta(days=1),
    )
    Vote.objects.bulk_create(
        Vote(proposal=decided, user=person, side=Side.COMMUNITY, choice=Choice.FOR)
        for person in people
    )
    return "/voorstellen/organen/"


def body(n, ctx):
    from simple_history.utils import bulk_create_with_history

    from governance.models import Seat, Side

    made = _bodies(1)[0]
    # each seat with its audit record: the page's history grows with the seats
    bulk_create_with_history(
        [Seat(body=made, user=user, side=Side.COMMUNITY, starts_on=date(2020, 1, 1))
         for user in _users(n, "zetel")],
        Seat, default_change_reason="Gekozen",
    )  # fmt: skip
    return f"/voorstellen/organen/{made.pk}/"


def body_create(n, ctx):
    _rules(n)
    return "/voorstellen/organen/nieuw/"


def body_edit(n, ctx):
    _rules(n)
    return f"/voorstellen/organen/{_bodies(1)[0].pk}/bewerken/"


def seat_add(n, ctx):
    _users(n, "kandidaat")
    return f"/voorstellen/organen/{_bodies(1)[0].pk}/zetel/"


def seat_end(n, ctx):
    from tests.governance.factories import board

    made, _voters = board(community=2, institution=1)
    _users(n, "ander")
    return f"/voorstellen/organen/zetels/{made.seats.order_by('pk').first().pk}/beeindigen/"


def decision_rules(n, ctx):
    from simple_history.utils import bulk_create_with_history

    from governance.models import DecisionRule

    # each rule with its audit record: the page's history grows with the rules
    bulk_create_with_history(
        [DecisionRule(name=f"Regel {n}-{i:04}", min_discussion_days=0) for i in range(n)],
        DecisionRule,
    )
    return "/voorstellen/organen/regels/"


def rule_create(n, ctx):
    _rules(n)
    return "/voorstellen/organen/regels/nieuw/"


def rule_edit(n, ctx):
    return f"/voorstellen/organen/regels/{_rules(n)[0].pk}/bewerken/"


# ---- Community Homes --------------------------------------------------------------------------


def locations(n, ctx):
    _locations(n)
    return "/voorstellen/locaties/"


def location(n, ctx):
    from governance.models import OfficerShift, PollOffering, Proposal
    from tests.governance.factories import draft

    home = _locations(1)[0]
    now = timezone.now()
    shifts = OfficerShift.objects.bulk_create(
        OfficerShift(officer=user, location=home, task=OfficerShift.Task.CHECK_IN,
                     starts_at=now + timedelta(days=i), ends_at=now + timedelta(days=i, hours=4),
                     appointed_by="Besluit 1")
        for i, user in enumerate(_users(n, "dienst"))
    )  # fmt: skip
    # each changed twice (the page shows the latest change of each, who and why)
    for reason in ("Eerder open", "Later open"):
        OfficerShift.history.bulk_history_create(
            shifts, update=True, default_user=ctx["civil_servant"], default_change_reason=reason
        )
    first = draft()
    polls = Proposal.objects.bulk_create(
        Proposal(title=f"Peiling {n}-{i:04}", text="t", body=first.body, method=first.method)
        for i in range(n)
    )
    PollOffering.objects.bulk_create(PollOffering(proposal=poll, location=home) for poll in polls)
    # and `n` shifts withdrawn there (their history is listed, paged)
    withdrawn = OfficerShift.objects.bulk_create(
        OfficerShift(officer=user, location=home, task=OfficerShift.Task.COUNTING,
                     starts_at=now + timedelta(days=i + 1), ends_at=now + timedelta(days=i + 2),
                     appointed_by="Besluit 2")
        for i, user in enumerate(_users(n, "ingetrokken"))
    )  # fmt: skip
    for shift in withdrawn:
        shift._change_reason = "Ziek"
        shift.delete()
    return f"/voorstellen/locaties/{home.slug}/"


def location_edit(n, ctx):
    """The form of one location among `n`, with `n` shifts and polls there (none shown)."""
    return location(n, ctx) + "bewerken/"


def location_close(n, ctx):
    return location(n, ctx) + "sluiten/"


def my_shifts(n, ctx):
    """An officer's own page: `n` shifts at `n` homes (running, coming and past, each changed
    once), a voting poll offered at every home and `n` more at the first, and a budget round
    voting."""
    from governance.models import OfficerShift, PollOffering, Proposal

    _round("voting", 1, ctx)
    proposal = _poll(ctx)
    homes = _locations(n)
    officer = _shift(None, homes[0], OfficerShift.Task.CHECK_IN).officer
    now = timezone.now()
    shifts = OfficerShift.objects.bulk_create(
        OfficerShift(officer=officer, location=home, task=OfficerShift.Task.values[i % 2],
                     starts_at=now + timedelta(hours=i - n // 2),
                     ends_at=now + timedelta(hours=i - n // 2 + 2), appointed_by="Besluit 1")
        for i, home in enumerate(homes[1:], start=1)
    )  # fmt: skip
    # each changed (a card shows when and why)
    OfficerShift.history.bulk_history_create(shifts, update=True, default_change_reason="Later")
    more = Proposal.objects.bulk_create(
        Proposal(title=f"Peiling {n}-{i:04}", text="t", method=proposal.method,
                 status=proposal.status, opens_at=proposal.opens_at, closes_at=proposal.closes_at)
        for i in range(n)
    )  # fmt: skip
    PollOffering.objects.bulk_create(
        [PollOffering(proposal=proposal, location=home) for home in homes]
        + [PollOffering(proposal=poll, location=homes[0]) for poll in more]
    )
    ctx["officer"] = officer
    return "/diensten/"


def shift_cancel(n, ctx):
    """The form to withdraw one coming shift of `n` at a location with `n` polls."""
    from governance.models import OfficerShift

    url = location(n, ctx)
    coming = OfficerShift.objects.filter(starts_at__gt=timezone.now()).order_by("pk").first()
    return f"{url}diensten/{coming.pk}/intrekken/"


def shift_change(n, ctx):
    """The form to change one coming shift of `n` at a location with `n` polls."""
    return shift_cancel(n, ctx).replace("/intrekken/", "/wijzigen/")


def offer(n, ctx):
    from governance.models import PollOffering

    proposal = _poll(ctx)
    homes = _locations(n)
    PollOffering.objects.bulk_create(
        PollOffering(proposal=proposal, location=home) for home in homes[: n // 2]
    )
    return f"/voorstellen/{proposal.pk}/locaties/"


def station(n, ctx):
    from governance.models import OfficerShift

    proposal = _poll(ctx)
    home = _home(proposal, ctx)
    ctx["officer"] = _shift(None, home, OfficerShift.Task.CHECK_IN).officer
    _on_roll(proposal, n)
    # a name with a date of birth: the roll is searched, at most a page of matches is shown
    return f"/voorstellen/{proposal.pk}/stembureau/{home.slug}/?q=kiezer&born=1980-01-01"


def _check_ins(proposal, home, shift, n: int, channel: str = "paper") -> None:
    from governance.models import CheckIn

    CheckIn.objects.bulk_create(
        CheckIn(proposal=proposal, voter=person, location=home, shift=shift,
                channel=channel, identity_check=CheckIn.IdentityCheck.ID_DOCUMENT)
        for person in _on_roll(proposal, n)
    )  # fmt: skip


def paper_count(n, ctx):
    from governance.models import OfficerShift

    proposal = _poll(ctx)
    home = _home(proposal, ctx)
    shift = _shift(None, home, OfficerShift.Task.CHECK_IN, hours=(-1, 1))
    _check_ins(proposal, home, shift, n)
    ctx["officer"] = _shift(None, home, OfficerShift.Task.COUNTING).officer
    _due(proposal)
    return f"/voorstellen/{proposal.pk}/stembureau/{home.slug}/telling/"


def no_votes(n, ctx):
    proposal = _poll(ctx)
    home = _home(proposal, ctx)
    _on_roll(proposal, n)
    _due(proposal)
    return f"/voorstellen/{proposal.pk}/locaties/{home.slug}/geen-stemmen/"


def verify_at_table(n, ctx):
    from accounts.models import Area
    from governance.models import OfficerShift

    proposal = _poll(ctx)
    home = _home(proposal, ctx)
    _shift(ctx["civil_servant"], home, OfficerShift.Task.CHECK_IN)
    Area.objects.bulk_create(
        Area(name=f"Buurt {n}-{i:04}", slug=f"buurt-{n}-{i:04}", parent=ctx["area"])
        for i in range(n)
    )
    return f"/voorstellen/{proposal.pk}/stembureau/{home.slug}/verifieren/"


def assisted(n, ctx):
    from governance.models import CheckIn, OfficerShift

    proposal = _poll(ctx)
    home = _home(proposal, ctx)
    shift = _shift(None, home, OfficerShift.Task.CHECK_IN)
    ctx["officer"] = shift.officer
    # the page names only whom this officer checked in for help, in this shift (S3)
    _check_ins(proposal, home, shift, n, channel=CheckIn.Channel.ASSISTED)
    voter = CheckIn.objects.filter(proposal=proposal).order_by("pk").first().voter
    return f"/voorstellen/{proposal.pk}/stembureau/{home.slug}/met-hulp/{voter.pk}/"


def poll_cards(n, ctx):
    from governance.models.officing import PollCardRun

    proposal = _poll(ctx)
    _on_roll(proposal, n)
    PollCardRun.objects.bulk_create(
        PollCardRun(proposal=proposal, requested_by=ctx["civil_servant"], total=n, done=i)
        for i in range(n)
    )
    return f"/voorstellen/{proposal.pk}/stemkaarten/"


# ---- a sealed poll's keys and bulletin --------------------------------------------------------


def pick_up_share(n, ctx):
    proposal = _poll(ctx)
    _on_roll(proposal, n)
    ctx["trustee"] = proposal.shares.order_by("index").first().trustee
    return f"/voorstellen/{proposal.pk}/mijn-sleutel/"


def enter_share(n, ctx):
    from freezegun import freeze_time

    from governance import services

    proposal = _poll(ctx)
    _on_roll(proposal, n)
    with freeze_time(proposal.closes_at, tick=True):
        services.close_voting(actor=None, proposal=proposal)
    ctx["trustee"] = proposal.shares.order_by("index").first().trustee
    return f"/voorstellen/{proposal.pk}/ontsluiten/"


def _residents(n: int, ctx):
    """`n` residents verified in person in the context's area (on the roll of a poll opened
    after this)."""
    from accounts.models import MemberVerification

    people = _users(n, "bewoner")
    MemberVerification.objects.bulk_create(
        MemberVerification(user=person, area=ctx["area"], method="in_person",
                           verified_by=ctx["civil_servant"],
                           verified_at=timezone.now() - timedelta(days=1))
        for person in people
    )  # fmt: skip
    return people


def bulletin(n, ctx):
    from governance.models import Ballot, Choice, Participation
    from tests.governance.factories import count_poll

    people = _residents(n, ctx)
    proposal = _poll(ctx)
    count_poll(proposal)
    # the ballot box as the bulletin lists it: a ballot and a participation of each resident
    # (written after the count: the page shows them, it does not count them again)
    Participation.objects.bulk_create(
        Participation(proposal=proposal, user=person) for person in people
    )
    Ballot.objects.bulk_create(
        Ballot(proposal=proposal, choice=Choice.FOR, tracking_code=f"C{n:04}-{i:04}")
        for i in range(n)
    )
    return f"/voorstellen/{proposal.pk}/stembiljetten/"


# ---- budgeting --------------------------------------------------------------------------------


def _round(status: str, n: int, ctx):
    from budgeting.models import Plan, Round
    from tests.budgeting.factories import round_in

    made = round_in(
        status, area=ctx["area"], civil_servant=ctx["civil_servant"],
        author=ctx["community_member"],
    )  # fmt: skip
    feasible = status not in (Round.Status.DRAFT, Round.Status.IDEAS)
    start = made.plans.count() + 1
    Plan.objects.bulk_create(
        Plan(round=made, title=f"Plan {i}", description="Een goed plan.", cost=Decimal(100),
             author=ctx["community_member"],
             **({"feasibility": Plan.Feasibility.FEASIBLE} if feasible else {}))
        for i in range(start, start + n)
    )  # fmt: skip
    return made


def round_create(n, ctx):
    from accounts.models import Area

    Area.objects.bulk_create(
        Area(name=f"Wijk {n}-{i:04}", slug=f"wijk-{n}-{i:04}") for i in range(n)
    )
    return "/begroting/nieuw/"


def round_page(n, ctx):
    return f"/begroting/{_round('voting', n, ctx).pk}/"


def submit_plan(n, ctx):
    return f"/begroting/{_round('ideas', n, ctx).pk}/plan/"


def budget_ballot(n, ctx):
    return f"/begroting/{_round('voting', n, ctx).pk}/stemmen/"


def review_plan(n, ctx):
    made = _round("review", n, ctx)
    return f"/begroting/plannen/{made.plans.order_by('pk').first().pk}/beoordelen/"


def _table(n, ctx):
    from governance.models import OfficerShift

    made = _round("voting", n, ctx)
    home = _locations(1)[0]
    ctx["officer"] = _shift(None, home, OfficerShift.Task.CHECK_IN).officer
    return made, home


def paper_table(n, ctx):
    made, home = _table(n, ctx)
    _residents(n, ctx)
    # a name with a date of birth: `n` residents match, the table shows at most a page of them
    return f"/begroting/{made.pk}/buurthuis/{home.slug}/?q=bewoner&born=1980-01-01"


def paper_ballot(n, ctx):
    made, home = _table(n, ctx)
    # the page is only for a resident found at the table in this session (S3): find them first
    ctx["before_get"] = f"/begroting/{made.pk}/buurthuis/{home.slug}/?q=lid&born=1980-01-01"
    return f"/begroting/{made.pk}/buurthuis/{home.slug}/bewoner/{ctx['community_member'].pk}/"


# Community pages that are no HTML page of their own (tests/test_query_counts.py, NOT_HTML).
NOT_HTML: dict[str, str] = {
    "governance:start_discussion": "POST only (a button on the proposal's page)",
    "governance:close_voting": "POST only (a button on the proposal's page)",
    "governance:execute": "POST only (a button on the proposal's page)",
    "governance:advise": "POST only (the advice form is on the proposal's page)",
    "budgeting:step": "POST only (the round's steps are buttons on its page)",
    "governance:decision": "a redirect to the page of the decision's proposal",
    "governance:attachment": "download (the attachment's file)",
    "governance:location_reopen": "POST only (a button on the location's page)",
}

PAGES: dict[str, Row] = {
    # proposals: their form and the steps of their life (a page of its own per step)
    "governance:create": Row(proposal_create, roles=CIVIL_SERVANT),
    "governance:edit": Row(proposal_edit, roles=CIVIL_SERVANT),
    "governance:open_voting": Row(_step("in_discussion", "stemming-openen"), roles=CIVIL_SERVANT),
    "governance:withdraw": Row(_step("in_discussion", "intrekken"), roles=CIVIL_SERVANT),
    # bodies, seats and decision rules (the list of bodies is public)
    "governance:bodies": Row(bodies, roles=EVERYONE),
    "governance:body": Row(body, roles=STAFF),
    "governance:body_create": Row(body_create, roles=CIVIL_SERVANT),
    "governance:body_edit": Row(body_edit, roles=CIVIL_SERVANT),
    "governance:seat_add": Row(seat_add, roles=CIVIL_SERVANT),
    "governance:seat_end": Row(seat_end, roles=CIVIL_SERVANT),
    "governance:rules": Row(decision_rules, roles=STAFF),
    "governance:rule_create": Row(rule_create, roles=CIVIL_SERVANT),
    "governance:rule_edit": Row(rule_edit, roles=CIVIL_SERVANT),
    # Community Homes
    "governance:locations": Row(locations, roles=CIVIL_SERVANT),
    "governance:location": Row(location, roles=CIVIL_SERVANT),
    "governance:location_edit": Row(location_edit, roles=CIVIL_SERVANT),
    "governance:location_close": Row(location_close, roles=CIVIL_SERVANT),
    "governance:shift_cancel": Row(shift_cancel, roles=CIVIL_SERVANT),
    "governance:shift_change": Row(shift_change, roles=CIVIL_SERVANT),
    "governance:offer": Row(offer, roles=CIVIL_SERVANT),
    "my_shifts": Row(my_shifts, roles=("officer",)),
    "governance:station": Row(station, roles=("officer",)),
    "governance:paper_count": Row(paper_count, roles=("officer",)),
    "governance:no_votes": Row(no_votes, roles=CIVIL_SERVANT),
    "governance:verify_at_table": Row(verify_at_table, roles=CIVIL_SERVANT),
    "governance:assisted": Row(assisted, roles=("officer",)),
    "governance:poll_cards": Row(poll_cards, roles=CIVIL_SERVANT),
    # a sealed poll's keys and its public bulletin
    "governance:pick_up_share": Row(pick_up_share, roles=("trustee",)),
    "governance:enter_share": Row(enter_share, roles=("trustee",)),
    "governance:bulletin": Row(bulletin, roles=EVERYONE),
    # budget rounds
    "budgeting:create": Row(round_create, roles=CIVIL_SERVANT),
    "budgeting:round": Row(round_page, roles=EVERYONE),
    "budgeting:submit_plan": Row(submit_plan, roles=("community_member",)),
    "budgeting:ballot": Row(budget_ballot, roles=("community_member",)),
    "budgeting:review_plan": Row(review_plan, roles=CIVIL_SERVANT),
    "budgeting:paper_table": Row(paper_table, roles=("officer",)),
    "budgeting:paper_ballot": Row(paper_ballot, roles=("officer",)),
}
