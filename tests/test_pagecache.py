"""The shared cache of public pages (common/pagecache.py): hits for anonymous visitors, every
kind of write visible on the next anonymous GET, nothing personal cached, the CSP nonce and the
CSRF token fresh per response.

These tests commit (transaction=True), as production does: the page cache is renewed when a
write's transaction commits.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from common import pagecache
from governance import services as governance
from governance.models import Choice
from initiatives import services as initiatives
from sroi import services as sroi
from tests.governance.factories import board, poll, voting
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import funded

pytestmark = pytest.mark.django_db(transaction=True)

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.content.decode()


def test_second_anonymous_get_is_a_hit_without_queries(area):
    InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    client = Client()
    first, body = get(client, "/initiatieven/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, again = get(client, "/initiatieven/")
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "Buurtmoestuin" in again


def test_filters_search_and_language_have_their_own_entries(area):
    InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    InitiativeFactory(name="Taalcafé", slug="taalcafe", area=area)
    client = Client()
    get(client, "/initiatieven/")
    searched = client.get("/initiatieven/", {"q": "taal"})
    assert searched["X-Page-Cache"] == "miss"
    assert "Taalcafé" in searched.content.decode()
    assert "Buurtmoestuin" not in searched.content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    response = english.get("/initiatieven/")
    assert response["X-Page-Cache"] == "miss"
    assert 'lang="en"' in response.content.decode()


def test_csp_nonce_is_new_for_every_response_and_matches_the_header(area):
    client = Client()
    get(client, "/initiatieven/")
    nonces = []
    for _ in range(2):
        response, body = get(client, "/initiatieven/")
        assert response["X-Page-Cache"] == "hit"
        in_body = set(NONCE.findall(body)) | set(
            re.findall(r'"inlineScriptNonce": "([^"]+)"', body)
        )
        assert len(in_body) == 1, in_body
        nonce = in_body.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "pagecache-" not in body


def test_csrf_token_on_a_cached_page_belongs_to_the_visitor(area):
    Client().get("/initiatieven/")  # somebody else fills the cache
    visitor = Client()
    response, body = get(visitor, "/initiatieven/")
    assert response["X-Page-Cache"] == "hit"
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body))
    assert tokens
    secret = visitor.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == secret for token in tokens)


def test_logged_in_visitor_is_never_served_from_or_into_the_cache(community_member):
    member = community_member
    get(Client(), "/initiatieven/")  # cached for anonymous visitors
    client = Client()
    client.force_login(member)
    response, body = get(client, "/initiatieven/")
    assert "X-Page-Cache" not in response
    anonymous, anonymous_body = get(Client(), "/initiatieven/")
    assert anonymous["X-Page-Cache"] == "hit"
    assert member.username in body
    assert member.username not in anonymous_body


def test_a_new_initiative_shows_at_once(area, civil_servant):
    client = Client()
    get(client, "/initiatieven/")
    initiatives.create_initiative(
        actor=civil_servant,
        name="Repair Café Ganzenhoef",
        summary="Samen repareren.",
        area=area,
        initiator_type="bewoners",
        organisation_form="stichting",
        phase="opstart",
    )
    response, body = get(client, "/initiatieven/")
    assert response["X-Page-Cache"] == "miss"
    assert "Repair Café Ganzenhoef" in body


def test_a_changed_initiative_shows_at_once_on_its_page(area, civil_servant):
    initiative = InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    client = Client()
    get(client, "/initiatieven/buurtmoestuin/")
    assert get(client, "/initiatieven/buurtmoestuin/")[0]["X-Page-Cache"] == "hit"
    initiatives.update_initiative(
        initiative=initiative, actor=civil_servant, summary="Nu ook met een kas."
    )
    assert "Nu ook met een kas." in get(client, "/initiatieven/buurtmoestuin/")[1]


def test_a_booking_shows_at_once_on_the_fund_pages(civil_servant):
    fund = funded("1000.00", actor=civil_servant)
    client = Client()
    fund_url = f"/sroi/fondsen/{fund.slug}/"
    for url in ("/sroi/", fund_url):
        get(client, url)
        assert get(client, url)[0]["X-Page-Cache"] == "hit"
    sroi.record_other_income(
        fund=fund,
        amount=Decimal("234.56"),
        date=datetime.date(2025, 2, 1),
        description="Aanvulling",
        actor=civil_servant,
    )
    for url in ("/sroi/", fund_url):
        response, body = get(client, url)
        assert response["X-Page-Cache"] == "miss"
        assert "1.234,56" in body


def test_a_round_s_promise_shows_at_once_on_its_fund_page(area, civil_servant, community_member):
    """The fund page says what frozen rounds promised (sroi.promises): a round frozen after the
    page was kept shows on the next anonymous GET."""
    from budgeting import services as budgeting  # noqa: PLC0415 - this test only
    from budgeting.models import Round  # noqa: PLC0415 - this test only
    from tests.budgeting.factories import round_in  # noqa: PLC0415 - this test only

    round = round_in(Round.Status.REVIEW, area=area, civil_servant=civil_servant,
                     author=community_member, name="Ronde Gein")  # fmt: skip
    client = Client()
    url = round.fund.get_absolute_url()
    assert 'data-testid="promised"' not in get(client, url)[1]
    assert get(client, url)[0]["X-Page-Cache"] == "hit"
    budgeting.freeze_round(actor=civil_servant, round=round)
    response, body = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert (
        "Daarvan is €\xa05.000,00 beloofd aan bewoners in een begrotingsronde (Ronde Gein)" in body
    )
    assert "Vrij voor andere toekenningen: €\xa00,00." in body


def test_a_comment_and_a_vote_show_at_once_on_the_proposal_pages(community_member):
    member = community_member
    body, voters = board()
    proposal = voting(body=body, title="Bankjes in het park")
    client = Client()
    url = f"/voorstellen/{proposal.pk}/"
    for page in ("/voorstellen/", url):
        get(client, page)
        assert get(client, page)[0]["X-Page-Cache"] == "hit"
    governance.post_comment(proposal=proposal, text="Graag ook bij de speeltuin.", actor=member)
    assert "Graag ook bij de speeltuin." in get(client, url)[1]
    everyone = [user for side in voters for user in voters[side]]
    for voter in everyone:
        governance.cast_vote(proposal=proposal, choice=Choice.FOR, actor=voter)
    with freeze_time(proposal.closes_at, tick=True):
        governance.close_voting(proposal=proposal, actor=None)
    response, page = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert 'data-testid="roll-call"' in page
    # the roll-call names a voter by full name; these test users have none
    assert "Een lid zonder bekende naam" in page
    assert get(client, "/voorstellen/")[0]["X-Page-Cache"] == "miss"


def test_a_secret_ballot_keeps_the_cache_as_nothing_of_it_shows(area, community_member):
    # given a poll whose public page is cached, and the register's
    InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    proposal = poll(areas=[area])
    client = Client()
    url = f"/voorstellen/{proposal.pk}/"
    for page in (url, "/initiatieven/"):
        get(client, page)
    before = get(client, url)
    assert before[0]["X-Page-Cache"] == "hit"
    # when a member casts a secret ballot (the sealed ballot, then the participation and its
    # notice, each one INSERT ... SELECT with a WITH clause)
    governance.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    # then no public page shows anything of it, so the stored pages stay: a busy poll does not
    # empty the cache of the other pages with every vote
    after = get(client, url)
    assert after[0]["X-Page-Cache"] == "hit"

    def same(body: str) -> str:  # but for the per-response nonce and CSRF token
        return pagecache.MASKED_TOKEN.sub("", re.sub(r'[Nn]once(=|": )"[^"]+"', "", body))

    assert same(after[1]) == same(before[1])
    assert get(client, "/initiatieven/")[0]["X-Page-Cache"] == "hit"


def test_no_cached_page_reads_the_tables_a_vote_writes(area, community_member, civil_servant):
    """Every cached page, rendered while a poll is open with a ballot cast and after a poll was
    counted, reads none of `UNSHOWN_TABLES`: writes to them need not renew the cache. A page
    that starts showing them (a turnout while voting) fails here until its tables are watched."""
    from django.urls import resolve

    from tests.governance.factories import count_poll
    from tests.reports.frozen import published, v1

    initiative = InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    fund = funded()
    open_poll = poll(areas=[area])
    governance.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=community_member)
    counted = poll(areas=[area], title="Geteld")
    governance.cast_vote(proposal=counted, choice=Choice.AGAINST, actor=community_member)
    count_poll(counted)
    published(v1())
    urls = [
        "/initiatieven/", initiative.get_absolute_url(), "/sroi/", fund.get_absolute_url(),
        "/voorstellen/", f"/voorstellen/{open_poll.pk}/", f"/voorstellen/{counted.pk}/",
        "/rapporten/2025/",
    ]  # fmt: skip
    assert {resolve(url).view_name for url in urls} == pagecache.CACHED_VIEWS
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response, _body = get(Client(), url)
        assert response["X-Page-Cache"] == "miss"
        read = [
            q["sql"] for q in queries if re.search("|".join(pagecache.UNSHOWN_TABLES), q["sql"])
        ]
        assert read == [], url


@pytest.mark.parametrize(
    "sql",
    [
        'WITH w AS (SELECT 1) INSERT INTO "governance_checkin" (id) SELECT 1 FROM w',
        "with w as (\n  select 1\n)\nupdate initiatives_initiative set name = 'x'",
    ],
)
def test_a_write_after_a_with_clause_is_watched(sql):
    assert pagecache.WATCHED_TABLES.match(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'WITH w AS (SELECT 1) SELECT * FROM "governance_proposal"',
        'SELECT 1 FROM "governance_proposal" FOR UPDATE OF "governance_proposal"',
        'INSERT INTO "notifications_event" (id) VALUES (1)',
        # what an online vote writes while the poll is open: shown on no cached page
        'WITH w AS (SELECT 1) INSERT INTO "governance_sealedballot" (id) SELECT 1 FROM w',
        'WITH w AS (SELECT 1), p AS (INSERT INTO "governance_participation" (id) SELECT 1 FROM w'
        ' RETURNING id) INSERT INTO "governance_participationnotice" (id) SELECT id FROM p',
        'UPDATE "governance_participationnotice" SET "told_at" = NOW()',
        # a budget ballot (only the round's own row is shown, on its fund's page)
        'INSERT INTO "budgeting_ballot" (id) VALUES (1)',
        'INSERT INTO "budgeting_roundx" (id) VALUES (1)',
    ],
)
def test_reads_and_other_tables_are_not_watched(sql):
    assert not pagecache.WATCHED_TABLES.match(sql)


def test_a_write_through_raw_sql_renews_the_cache(area):
    InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    client = Client()
    get(client, "/initiatieven/")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE initiatives_initiative SET name = 'Stadstuin' WHERE slug = %s",
            ["buurtmoestuin"],
        )
    response, body = get(client, "/initiatieven/")
    assert response["X-Page-Cache"] == "miss"
    assert "Stadstuin" in body


def test_a_rolled_back_write_keeps_the_cache(area, civil_servant):
    InitiativeFactory(name="Buurtmoestuin", slug="buurtmoestuin", area=area)
    client = Client()
    get(client, "/initiatieven/")
    with pytest.raises(RuntimeError), transaction.atomic():
        InitiativeFactory(name="Nooit", slug="nooit", area=area)
        raise RuntimeError
    response, body = get(client, "/initiatieven/")
    assert response["X-Page-Cache"] == "hit"
    assert "Nooit" not in body


def test_a_published_report_shows_at_once_on_its_year_page(monkeypatch):
    from reports import rendering
    from reports import services as reports

    # The year page shows the snapshot; the PDF's layout is not what this test is about.
    monkeypatch.setattr(rendering, "render_pdf", lambda content, *, language: (b"%PDF-1.7", 1))
    assert Client().get("/rapporten/2025/").status_code == 404
    assert Client().get("/rapporten/2025/").status_code == 404  # a refusal is never stored
    report = reports.request_report(year=2025, language="nl", dispatch=False, actor=None)
    reports.build_report(report_id=report.pk)
    response, body = get(Client(), "/rapporten/2025/")
    assert response["X-Page-Cache"] == "miss"
    assert get(Client(), "/rapporten/2025/")[0]["X-Page-Cache"] == "hit"


def test_a_vote_on_the_site_renews_the_cache_once_before_its_answer(community_member, monkeypatch):
    # given a roll-call vote whose public page (with its roll call) is cached, and a member of
    # the body logged in
    body, voters = board()
    proposal = voting(body=body, title="Bankjes in het park")
    voter = voters[next(iter(voters))][0]
    visitor, member = Client(), Client()
    member.force_login(voter)
    url = f"/voorstellen/{proposal.pk}/"
    get(visitor, url)
    assert get(visitor, url)[0]["X-Page-Cache"] == "hit"
    bumps = []
    real_bump = pagecache.bump
    monkeypatch.setattr(pagecache, "bump", lambda: bumps.append(1) or real_bump())
    # when the member votes (two writes: the vote and its history row)
    response = member.post(f"{url}stemmen/", {"choice": Choice.FOR})
    assert response.status_code == 302
    # then the version was replaced once, before the answer came back
    assert bumps == [1]
    assert get(visitor, url)[0]["X-Page-Cache"] == "miss"
    # and a write outside a request (a service, a task) replaces it at once
    governance.post_comment(proposal=proposal, text="Goed plan.", actor=community_member)
    assert bumps == [1, 1]
