"""Every GET page of the site, fetched by the roles that may see it at 10 and at 1,000 rows of what
it lists: status 200, at most 12 queries, and no more queries at 1,000 than at 10 (issue 16).

`PAGES` has a row per named URL that renders HTML (the rows of the civic and the community pages
are in tests/query_counts/); `NOT_HTML` lists downloads, feeds and POST-only endpoints with the
reason. A new URL name in neither fails `test_every_page_has_a_row`.
"""

import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.middleware import RESOLUTION_SECONDS
from tests.query_counts import civic, community
from tests.query_counts.base import (
    STAFF,
    Row,
    initiative_detail,
    static,
    with_initiatives,
)
from tests.roles import ACCOUNT_ROLES
from tests.sroi.test_queries import make_contracts
from tests.test_page_queries import make_allocations

pytestmark = pytest.mark.django_db


def url_names() -> set[str]:
    """Every named URL of the site (namespaced), the admin's own pages left out."""
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def with_contracts(url: str) -> Callable:
    def build(n, ctx):
        fund = make_contracts(n)
        return url.format(fund=fund)

    return build


def fund_staff(n, ctx):
    fund = make_contracts(n)
    make_allocations(fund, n)
    return f"/sroi/fondsen/{fund.slug}/beheer/"


def contract_detail(n, ctx):
    from sroi.models import Contract

    make_contracts(n)
    return f"/sroi/contracten/{Contract.objects.order_by('pk').first().pk}/"


def proposal_with_comments(n, ctx):
    from governance.models import Comment
    from tests.governance.factories import board, voting

    body, _voters = board(members=[ctx["community_member"]], community=2, institution=1)
    proposal = voting(body=body)
    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=ctx["community_member"], text=f"r {i}") for i in range(n)
    )
    return proposal.get_absolute_url()


def proposals(n, ctx):
    from governance.models import Proposal
    from tests.governance.factories import draft

    first = draft()
    Proposal.objects.bulk_create(
        Proposal(title=f"Voorstel {i}", text="t", body=first.body, method=first.method)
        for i in range(n - 1)
    )
    return "/voorstellen/"


def members(n, ctx):
    from accounts.models import User

    User.objects.bulk_create(User(username=f"lid-{n}-{i:04}") for i in range(n))
    return "/accounts/leden/"


# A logged-in visitor costs two queries over the anonymous count: the user, and their roles with
# their permissions together (accounts.access).

PAGES: dict[str, Row] = {
    "home": Row(with_initiatives("/")),
    "accessibility": Row(static("/toegankelijkheid/")),
    "initiatives:register": Row(with_initiatives("/initiatieven/")),
    "initiatives:detail": Row(initiative_detail),
    "sroi:overview": Row(with_contracts("/sroi/")),
    "sroi:fund": Row(with_contracts("/sroi/fondsen/{fund.slug}/")),
    "sroi:fund_staff": Row(fund_staff, roles=STAFF),
    "sroi:contracts": Row(with_contracts("/sroi/contracten/")),
    "sroi:behind": Row(with_contracts("/sroi/contracten/achterstand/"), roles=STAFF),
    "sroi:contract": Row(contract_detail),
    "sroi:contractors": Row(with_contracts("/sroi/opdrachtnemers/"), roles=STAFF),
    "governance:list": Row(proposals),
    "governance:detail": Row(proposal_with_comments),
    "accounts:members": Row(members, roles=STAFF),
    "reports:archive": Row(static("/rapporten/")),
    "opendata:index": Row(static("/open-data/")),
    "budgeting:list": Row(static("/begroting/")),
    "governance:open_votes": Row(static("/voorstellen/stemmen/")),
    "notifications:list": Row(static("/meldingen/"), roles=("community_member",) + STAFF),
}
PAGES.update(civic.PAGES)
PAGES.update(community.PAGES)

NOT_HTML: dict[str, str] = {
    name: reason
    for reason, names in {
        "probe or static file": [
            "health",
            "livez",
            "readyz",
            "favicon",
            "security_txt",
            "csp_report",
            "set_language",
        ],
        "download (CSV, XLSX, PDF, JSON, plain text)": [
            "initiatives:export_csv",
            "initiatives:export_all_csv",
            "initiatives:export_all_xlsx",
            "initiatives:import_template_csv",
            "initiatives:import_template_xlsx",
            "accounts:batch_print",
            "governance:poll_cards_download",
            "governance:ballot_papers",
            "governance:notice",
            "governance:results_sheet",
            "governance:bulletin_csv",
            "governance:bulletin_json",
            "budgeting:download",
            "budgeting:paper_print",
            "reports:pdf",
            "reports:annex",
            "reports:version_pdf",
            "reports:version_annex",
            "opendata:csv",
            "opendata:json",
            "opendata:description",
            "notifications:letters_pdf",
        ],
        "API (JSON)": [
            "api:root",
            "api:openapi",
            "api:initiative-list",
            "api:initiative-detail",
            "api:intake-profile-list",
            "api:intake-profile-detail",
            "api:fund-list",
            "api:fund-detail",
            "api:contract-list",
            "api:contract-detail",
            "api:allocation-list",
            "api:allocation-detail",
            "api:decision-list",
            "api:decision-detail",
            "api:report-list",
            "api:report-detail",
            "api:bulletin-list",
            "api:bulletin-detail",
            "api:bulletin-codes",
        ],
        "POST only, or a redirect to an outside login": [
            "accounts:keep_alive",
            "accounts:oidc_staff_start",
            "accounts:oidc_staff_callback",
            "accounts:oidc_digid_start",
            "accounts:oidc_digid_callback",
            "logout",
            "governance:vote",
            "governance:comment",
        ],
        "a short address that redirects to a page listed here": ["code", "notifications:open"],
    }.items()
    for name in names
}
NOT_HTML.update(civic.NOT_HTML)
NOT_HTML.update(community.NOT_HTML)


def test_every_page_has_a_row():
    names = url_names()
    unlisted = names - set(PAGES) - set(NOT_HTML)
    assert not unlisted, f"pages without a query-count row: {sorted(unlisted)}"
    stale = (set(PAGES) | set(NOT_HTML)) - names
    assert not stale, f"rows for pages that no longer exist: {sorted(stale)}"
    assert not set(PAGES) & set(NOT_HTML)


def counted(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture
def ctx(area, user_for_role):
    """The area and a user per account role (None for anonymous); a builder adds officers and
    trustees it makes itself."""
    return {"area": area} | {role: user_for_role(role) for role in ACCOUNT_ROLES}


def session_statements(client, url) -> tuple[int, list[str]]:
    """The number of queries of a GET of `url`, and those of them on the session's table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [
        q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]
    ]


def renewing(client, url, monkeypatch) -> int:
    """The queries of `url` on the request that renews the session's idle clock (the first one
    RESOLUTION_SECONDS after the last renewal): it touches the session's table no more than any
    other request of the page (the table's search keeps whom it found in the session)."""
    _, usual = session_statements(client, url)
    real_time = time.time
    with monkeypatch.context() as later:
        later.setattr(time, "time", lambda: real_time() + RESOLUTION_SECONDS + 1)
        queries, renewal = session_statements(client, url)
    assert len(renewal) == len(usual), (url, renewal)
    return queries


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_query_count_is_bounded_and_flat(client, ctx, settings, monkeypatch, name):
    row = PAGES[name]
    for setting, value in row.extra.get("settings", {}).items():
        setattr(settings, setting, value)  # e.g. DigiD switched on for its own pages
    counts: dict[str, dict[int, int]] = {role: {} for role in row.roles}
    # A logged-in role's page once more on the request that renews the idle clock.
    renewed: dict[str, int] = {}
    for n in (10, 1000):
        # each size in a savepoint rolled back afterwards, so both start from the same base
        with transaction.atomic():
            url = row.build(n, ctx)
            for role in row.roles:
                client.logout()
                if ctx[role] is not None:
                    # a row may name the log-in backend (a page only for a DigiD log-in)
                    client.force_login(ctx[role], backend=row.extra.get("backend"))
                if ctx.get("before_get"):  # a page reached through another (in the session)
                    client.get(ctx["before_get"])
                client.get(url)  # warm the per-process caches (translations, content types)
                counts[role][n] = counted(client, url)
                if ctx[role] is not None and n == 1000:
                    renewed[role] = renewing(client, url, monkeypatch)
            transaction.set_rollback(True)
    over = {
        role: by_size
        for role, by_size in counts.items()
        if max(by_size.values()) > row.bound or by_size[1000] > by_size[10]
    }
    assert not over, (name, row.bound, counts)
    assert all(queries <= row.bound for queries in renewed.values()), (name, row.bound, renewed)
