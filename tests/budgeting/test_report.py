"""The annual report's section per budget round: a JSON-ready selector and its partial."""

import json
import re
from fractions import Fraction

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from budgeting import services
from budgeting.explain import euros, euros_and_cents
from budgeting.models import Round
from budgeting.selectors import rounds_for_report
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing

pytestmark = pytest.mark.django_db


def _computed_round(area, civil_servant, community_member):
    """A round of four plans (€ 1.000 to € 4.000, € 5.000 to spend) in which three residents
    chose plans 1, 2 and 3, computed an hour after voting closed; returns that moment."""
    round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                     author=community_member, costs=(1000, 2000, 3000, 4000), money="5000.00")  # fmt: skip
    plans = {p.number: p for p in round.plans.all()}
    for i in range(3):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
    closes = round.voting_closes_at + HOUR
    with at_closing(closes):
        services.compute_outcome(actor=civil_servant, round=round)
    return closes


def test_a_computed_round_is_in_its_years_report_with_why_plans_were_not_funded(
    area, civil_servant, community_member
):
    closes = _computed_round(area, civil_servant, community_member)
    year = timezone.localtime(closes).year
    found = rounds_for_report(year)
    assert json.loads(json.dumps(found)) == found  # fits the report's JSON snapshot
    (item,) = found
    assert item["ballots"] == 3 and item["funded_count"] == 2
    assert item["funded_total"] == "3000.00"
    assert [p["funded"] for p in item["plans"]] == [True, True, False, False]
    html = render_to_string("budgeting/_report_section.html", {"budget_rounds": found})
    assert "Buurtbudget" in html and "Niemand koos dit plan." in html
    assert rounds_for_report(year - 1) == []
    assert render_to_string("budgeting/_report_section.html", {}).strip() == ""


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [("en", "Nobody chose this plan.", "Niemand"), ("nl", "Niemand koos dit plan.", "Nobody")],
)
def test_a_report_keeps_the_rounds_words_in_its_own_language(
    area, civil_servant, community_member, language, said, not_said
):
    """Built by the worker, where Dutch is the default: the English report's round says in
    English why a plan got no money, and its status; the Dutch one in Dutch."""
    from reports import services as reports
    from reports import snapshot

    round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                     author=community_member, costs=(1000, 2000, 3000, 4000), money="5000.00")  # fmt: skip
    plans = {p.number: p for p in round.plans.all()}
    voter = resident_of(area, civil_servant, "kiezer")
    services.cast_ballot(actor=voter, round=round, plans=[plans[1], plans[2], plans[3]])
    closes = round.voting_closes_at + HOUR
    with at_closing(closes):
        services.compute_outcome(actor=civil_servant, round=round)
    year = timezone.localtime(closes).year
    report = reports.request_report(year=year, language=language, dispatch=False, actor=None)
    report = reports.build_report(report_id=report.pk)
    (item,) = snapshot.load(report.snapshot).budget_rounds
    why = [plan.why_not for plan in item.plans if not plan.funded]
    assert said in why  # plan 4: nobody chose it
    status = Round.Status(item.status)
    with translation.override(language):
        assert item.status_label == str(status.label)
    assert not_said not in json.dumps(report.snapshot)


def test_the_reports_round_writes_its_money_to_the_cent_like_the_rest_of_the_report(
    area, civil_servant, community_member
):
    # given a computed round (the round's own pages write whole euros: "€ 3.000")
    closes = _computed_round(area, civil_servant, community_member)
    # when the annual report keeps it and shows it
    with translation.override("nl"):
        found = rounds_for_report(timezone.localtime(closes).year)
        html = render_to_string("budgeting/_report_section.html", {"budget_rounds": found})
    # then the budget, the costs, the total and why a plan was not chosen are to the cent,
    # as "€ 20.000,00" everywhere else in the report, not "€ 20.000"
    why = found[0]["plans"][2]["why_not"]
    assert why == (
        "Dit plan kreeg 3 stemmen. De 3 stemmers hadden samen nog € 2.000,00 van hun gelijke "
        "deel over. Het plan kost € 3.000,00."
    ).replace("€ ", "€\u00a0")
    text = " ".join(html.replace("\u00a0", " ").split())
    assert "besteding van € 5.000,00" in text and "samen € 3.000,00" in text
    assert "€ 1.000,00" in text and "€ 4.000,00" in text
    assert not re.search(r"€ \d+(\.\d{3})*(?![\d,.])", text)


def test_a_part_of_a_cent_left_of_equal_shares_is_left_off():
    with translation.override("nl"):
        assert euros_and_cents(Fraction(60250, 3)) == "€\u00a020.083,33"  # 20.083,333…
        assert euros(Fraction(60250, 3)) == "€\u00a020.083"  # the round's own pages
