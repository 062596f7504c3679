"""The civil servant's to-do page (`/taken/`) and its count in the menu (issue 15)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, VerificationCodeBatch
from governance.models import Proposal
from intake.models import Intake
from sroi import selectors as sroi_selectors
from sroi.models import Fund, Realisation, TargetGroup
from tests.accounts.factories import UserFactory
from tests.intake.factories import IntakeFactory
from tests.roles import ACCOUNT_ROLES
from tests.sroi.factories import ContractFactory, adopted_decision, block, funded
from tests.sroi.factories import InitiativeFactory as SroiInitiativeFactory

pytestmark = pytest.mark.django_db


def make_work(n: int, *, area, colleague, me=None) -> None:
    """`n` of every kind of task, asked for by `colleague` (and one claim of `me`)."""
    now = timezone.now()
    fund = Fund.objects.first() or funded("5000.00")
    for _ in range(n):
        IntakeFactory(status=Intake.Status.SUBMITTED, submitted_at=now)
        contract = ContractFactory()
        Realisation.objects.create(
            contract=contract,
            block=block("ww"),
            target_group=TargetGroup.UNEMPLOYMENT,
            person_reference="P-1",
            start_date=datetime.date(2025, 2, 1),
            months=Decimal("6"),
            hours_per_week=Decimal("36"),
            value=Decimal("100.00"),
            claimed_by=colleague,
        )
        VerificationCodeBatch.objects.create(
            issuer=colleague, area=area, count=50, valid_days=30, needs_approval=True
        )
        adopted_decision(fund=fund, initiative=SroiInitiativeFactory(), amount=Decimal("10"))
        Proposal.objects.create(
            title="Stemming voorbij",
            text="Tekst",
            method=Proposal.Method.POLL,
            status=Proposal.Status.VOTING,
            opens_at=now - datetime.timedelta(days=2),
            closes_at=now - datetime.timedelta(hours=1),
        )
        Proposal.objects.create(
            title="Wacht op sleutels",
            text="Tekst",
            method=Proposal.Method.POLL,
            status=Proposal.Status.COUNTING,
            opens_at=now - datetime.timedelta(days=2),
            closes_at=now - datetime.timedelta(hours=1),
        )
    if me is not None:
        Realisation.objects.create(
            contract=ContractFactory(),
            block=block("ww"),
            target_group=TargetGroup.UNEMPLOYMENT,
            person_reference="P-2",
            start_date=datetime.date(2025, 2, 1),
            months=Decimal("6"),
            hours_per_week=Decimal("36"),
            value=Decimal("100.00"),
            claimed_by=me,
        )
        VerificationCodeBatch.objects.create(
            issuer=me, area=area, count=50, valid_days=30, needs_approval=True
        )


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_permission_matrix_of_the_todo_page(client, user_for_role, role):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get("/taken/")
    if role == "civil_servant":
        assert response.status_code == 200
        assert b'data-testid="todo-count"' in response.content
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/inloggen/" in response.url
    else:
        assert response.status_code == 403
    # The menu shows the count to civil servants only.
    home = client.get("/")
    assert (b'data-testid="todo-link"' in home.content) == (role == "civil_servant")


def test_the_page_lists_each_kind_with_its_count_never_my_own_claims(client, area, civil_servant):
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    make_work(2, area=area, colleague=colleague, me=civil_servant)
    client.force_login(civil_servant)
    response = client.get("/taken/")
    todo = response.context["todo"]
    assert len(todo.intakes) == 2
    assert len(todo.realisations) == 2  # not my own third claim
    assert all(r.claimed_by_id == colleague.pk for r in todo.realisations)
    assert len(todo.batches) == 2 and all(b.issuer_id == colleague.pk for b in todo.batches)
    assert len(todo.decisions) == 2
    assert todo.counts["votes"] == len(todo.votes) == 4
    assert todo.reports_missing == [timezone.localdate().year - 1]
    assert len(todo.contracts) == len(sroi_selectors.contracts_behind()) > 0
    html = response.content.decode()
    assert 'data-testid="count-intakes">2<' in html
    assert f'data-testid="todo-count">{todo.total}<' in html
    assert 'data-testid="more-' not in html  # every task is shown: no "See all" link
    # The colleague sees my claim and batch, not their own.
    client.force_login(colleague)
    theirs = client.get("/taken/").context["todo"]
    assert [r.claimed_by_id for r in theirs.realisations] == [civil_servant.pk]
    assert [b.issuer_id for b in theirs.batches] == [civil_servant.pk]


def _queries(client, url="/taken/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_tasks(client, area, civil_servant):
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    client.force_login(civil_servant)
    make_work(1, area=area, colleague=colleague)
    few = _queries(client)
    make_work(15, area=area, colleague=colleague)
    from django.core.cache import cache

    cache.clear()  # the menu's count is cached for a minute; count it again
    client.force_login(civil_servant)
    assert _queries(client) == few


def test_each_kind_shows_ten_tasks_its_count_and_a_link_to_all(client, area, civil_servant):
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    make_work(12, area=area, colleague=colleague)
    client.force_login(civil_servant)
    response = client.get("/taken/")
    todo, html = response.context["todo"], response.content.decode()
    for kind in ("intakes", "realisations", "batches", "decisions"):
        assert (len(getattr(todo, kind)), todo.counts[kind]) == (10, 12), kind
        assert f'data-testid="count-{kind}">12<' in html
        assert f'href="?lijst={kind}" data-testid="more-{kind}"' in html
    assert "Bekijk alle 12<" in html and "Bekijk alle 24<" in html  # Dutch first
    # votes to close come before polls to count, 24 in all
    assert [p.status for p in todo.votes] == [Proposal.Status.VOTING] * 10
    assert todo.counts["votes"] == 24 and 'data-testid="more-votes"' in html
    assert todo.total == 4 * 12 + 24 + 1 + todo.counts["contracts"]


def test_a_kind_s_full_list_is_paged_and_its_page_links_keep_the_list(client, area, civil_servant):
    from tests.query_counts.civic import todo as sixty_of_each

    ctx = {"area": area, "administrator": UserFactory(roles=[Role.CIVIL_SERVANT])}
    sixty_of_each(60, ctx)
    client.force_login(civil_servant)
    first = client.get("/taken/", {"lijst": "batches"})
    assert len(first.context["todo"].batches) == 50
    html = first.content.decode()
    assert 'id="batches"' in html and 'id="intakes"' not in html and 'id="contracts"' not in html
    assert 'href="?lijst=batches&amp;page=2"' in html
    second = client.get("/taken/", {"lijst": "batches", "page": 2})
    assert len(second.context["todo"].batches) == 10
    assert second.context["todo"].counts["batches"] == 60
    # an unknown list is the whole page
    assert client.get("/taken/", {"lijst": "alles"}).context.get("kind") is None


def test_the_query_count_of_a_full_list_does_not_grow_with_the_tasks(client, area, civil_servant):
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    client.force_login(civil_servant)
    make_work(1, area=area, colleague=colleague)
    few = _queries(client, "/taken/?lijst=votes")
    make_work(30, area=area, colleague=colleague)
    from django.core.cache import cache

    cache.clear()
    client.force_login(civil_servant)
    assert _queries(client, "/taken/?lijst=votes") == few <= 12


@pytest.mark.parametrize("rows", [0, 3])
def test_the_menu_count_is_the_pages_total_in_one_query(
    area, civil_servant, rows, django_assert_num_queries
):
    from config.todo import count_for, todo_for

    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    make_work(rows, area=area, colleague=colleague, me=civil_servant)
    with django_assert_num_queries(1):
        count = count_for(civil_servant)
    assert count == todo_for(civil_servant).total
