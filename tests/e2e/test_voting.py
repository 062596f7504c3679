"""A community member votes in the demo's open poll and sees the result after it closes.

The governance texts may not all be translated yet, so Dutch texts are compared with what Django
renders for Dutch (`translation.override("nl")`) rather than written out; numbers, roles, test ids
and URLs are asserted directly.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from governance.models import Ballot, Participation, Proposal, SealedBallot
from tests.e2e.conftest import describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

POLL_TITLE = "Peiling: Community Home ook in het weekend open?"
SECRET_NOTICE = (
    "This is a secret ballot. Your vote is locked with a key before it is stored. The key is "
    "split among the trustees. Only after voting closes can they open the votes together. Then "
    "your name is no longer next to any vote."
)
KEY_LINE = re.compile(r"^\s+(\S+)\s+([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})$", re.MULTILINE)


def dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def test_member_votes_in_the_poll_and_sees_the_result(page, demo_data):
    poll = Proposal.objects.get(title=POLL_TITLE)
    assert poll.voting_is_open()
    detail_path = f"/voorstellen/{poll.pk}/"
    ballot_path = f"/voorstellen/{poll.pk}/stemmen/"

    login(page, "bewoner")

    # The list shows the open poll; the member opens it and reads it.
    page.goto("/voorstellen/")
    assert page.locator("html").get_attribute("lang") == "nl"
    card = page.locator("[data-testid=proposal]").filter(has_text=POLL_TITLE)
    assert card.count() == 1
    with page.expect_navigation():
        card.get_by_role("link", name=POLL_TITLE).click()
    assert urlsplit(page.url).path == detail_path
    assert page.get_by_role("heading", level=1).inner_text() == POLL_TITLE
    assert "Moet Community Home 24/7 ook op zaterdag en zondag" in page.locator("main").inner_text()
    assert page.locator("[data-testid=decision]").count() == 0
    vote_link = page.locator("[data-testid=vote-link]")
    assert vote_link.get_attribute("href") == ballot_path
    assert_accessible(page)

    # The ballot page says the secret vote cannot be changed.
    with page.expect_navigation():
        vote_link.click()
    assert urlsplit(page.url).path == ballot_path
    notice = page.locator("[data-testid=secret-notice]")
    assert notice.inner_text().strip().startswith(dutch(SECRET_NOTICE))
    radios = page.get_by_role("radio")
    assert radios.count() == 3
    assert_accessible(page)

    page.locator("input[name=choice][value=for]").check()
    page.locator("main form button[type=submit]").click()

    # The receipt: a tracking code, shown once; the ballot is sealed, the participation kept.
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
    assert Participation.objects.filter(proposal=poll, user__username="bewoner").count() == 1
    assert SealedBallot.objects.filter(proposal=poll).count() == 1
    assert not Ballot.objects.filter(proposal=poll).exists()
    assert_accessible(page)
    # The Print button prints, once (a script file: the Content-Security-Policy refuses an
    # inline onclick, so the button did nothing before).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Printen").click()
    assert page.evaluate("window.printed") == 1

    # Time passes: the window ends, and showing the poll closes it; the trustees unlock it.
    Proposal.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page.goto(detail_path)
    assert page.locator("[data-testid=counting]").count() == 1
    keys = KEY_LINE.findall(demo_data)
    assert len(keys) == 5, demo_data
    page.goto(f"/voorstellen/{poll.pk}/ontsluiten/")
    assert_accessible(page)
    for _trustee, key in keys[:3]:
        page.locator("#id_share").fill(key)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    poll.refresh_from_db()
    assert poll.status == Proposal.Status.ADOPTED
    decision = poll.decision
    with translation.override("nl"):
        explanation = decision.explanation

    page.goto(detail_path)
    result = page.locator("[data-testid=decision]")
    assert result.count() == 1
    assert result.get_attribute("aria-labelledby") == "decision-heading"
    # The section is named for what it is; the outcome is its first word (and the badge's), once.
    assert page.locator("#decision-heading").inner_text() == dutch("Outcome")
    shown = page.locator("[data-testid=explanation]").inner_text()
    assert shown == explanation
    electorate = decision.result.electorate
    # "1 of the 1 votes was in favour. At least 1 vote in favour was needed. 1 of the N people
    # who could vote has voted. There was no minimum number of voters.", in Dutch.
    numbers = sorted(int(n) for n in re.findall(r"\d+", shown))
    assert numbers == sorted([1, 1, 1, 1, electorate]), shown
    rows = result.locator("tbody tr")  # for, against, abstain; all votes in the first column
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == ["1", "0", "0"]
    assert decision.reference in result.locator("caption").inner_text()
    assert_accessible(page)

    # The member finds their code in the public bulletin, and the recount matches.
    page.goto(f"/voorstellen/{poll.pk}/stembiljetten/")
    assert code in page.locator("[data-testid=bulletin]").inner_text()
    assert page.locator("[data-testid=recount-matches]").count() == 1
    assert_accessible(page)

    # The list shows the same explanation.
    page.goto("/voorstellen/")
    card = page.locator("[data-testid=proposal]").filter(has_text=POLL_TITLE)
    assert card.locator("[data-testid=tally]").inner_text() == explanation
