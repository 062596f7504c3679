"""The report snapshot as typed, versioned data: one codec writes and reads it, reports frozen
before it had a version still render exactly as they did, and a snapshot this code cannot read
gives a page that says so instead of an error."""

import datetime
import json
import re
import typing
from dataclasses import fields, is_dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import rendering, snapshot
from tests.clock import at_closing
from tests.reports.frozen import SNAPSHOTS, published, v1


def _without_style(html: str) -> str:
    return re.sub(r"<style>.*?</style>", "<style></style>", html, flags=re.S)


# --- strategies that follow the types, as the codec does --------------------------------------

_money = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2)


def _strategy(kind) -> st.SearchStrategy:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is not None and type(None) in args:
        (inner,) = [arg for arg in args if arg is not type(None)]
        return st.none() | _strategy(inner)
    if origin is tuple:
        return st.lists(_strategy(args[0]), max_size=2).map(tuple)
    if is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return st.builds(kind, **{f.name: _strategy(hints[f.name]) for f in fields(kind)})
    return {
        Decimal: _money,
        datetime.datetime: st.datetimes(timezones=st.just(datetime.UTC)),
        datetime.date: st.dates(),
        bool: st.booleans(),
        int: st.integers(min_value=-(2**53), max_value=2**53),
        str: st.text(max_size=12),
    }[kind]


# --- the codec --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=_strategy(snapshot.Content))
def test_what_is_dumped_loads_back_as_the_same_content_through_json(content):
    stored = json.loads(json.dumps(snapshot.dump(content)))
    assert stored["schema_version"] == snapshot.SCHEMA_VERSION
    assert snapshot.load(stored) == content


def test_a_snapshot_of_an_unknown_newer_version_is_refused():
    data = {**v1(), "schema_version": snapshot.SCHEMA_VERSION + 1}
    with pytest.raises(snapshot.SnapshotError, match="version"):
        snapshot.load(data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["funds"][0].pop("opening"),
        lambda d: d["funds"][0].update(opening="twelve euros"),
        lambda d: d["funds"][0]["inflows"][0].update(date="1 February"),
        lambda d: d["initiatives"].update(total="2"),
        lambda d: d.update(funds={"not": "a list"}),
        lambda d: d.pop("year"),
    ],
)
def test_broken_data_is_refused_with_a_snapshot_error(damage):
    data = v1()
    damage(data)
    with pytest.raises(snapshot.SnapshotError):
        snapshot.load(data)


def test_something_that_is_not_a_snapshot_is_refused():
    for data in (None, [], "{}"):
        with pytest.raises(snapshot.SnapshotError):
            snapshot.load(data)


def test_an_old_snapshot_reads_as_typed_values():
    content = snapshot.load(v1())
    fund = content.funds[0]
    assert content.year == 2025 and content.as_of == datetime.date(2025, 12, 31)
    assert isinstance(fund.opening, Decimal) and fund.reconciles
    assert content.budget_rounds[0].plans[0].cost == Decimal(
        v1()["budget_rounds"][0]["plans"][0]["cost"]
    )
    decision = content.governance.decisions[0]
    assert decision.tally is not None and decision.tally.voor == 3
    assert content.annex is not None and content.annex.reconciliation[0].matches


def test_the_oldest_shape_without_later_parts_still_loads():
    data = v1()
    for key in ("interim", "as_of", "annex", "governance", "budget_rounds"):
        data.pop(key)
    for fund in data["funds"]:
        fund.pop("allocated_open")
        fund.pop("in_by_source")
    content = snapshot.load(data)
    assert (content.interim, content.as_of, content.annex) == (False, None, None)
    assert content.funds[0].allocated_open is None and content.governance.decisions == ()


# --- the old shape renders as it did ----------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_report_frozen_before_the_typed_snapshot_renders_exactly_as_before(language):
    # given a snapshot written by the old code, and the print document the old code made of it
    # (changes since, on purpose: Dutch months in lower case, "10 jan 2025", common.dates; in
    # the contracts' table the total's cash as "this year / in all" like each row's, and its
    # fulfilment in percent like each row's, not in euros; the two amounts of a cell may wrap
    # between them; the deadlines and the decisions' dates as "31 dec 2027", not 2027-12-31;
    # a budget round's plans cost "€ 1.000" and together "€ 3.000", not "1.000" and "3.000 euro";
    # in English the spending chart's heading "By leefgebied" like the other, not "Per leefgebied";
    # the money per decision has the paid-out total beside the allocated one ("Total", not
    # "Total allocated"); a budget round says its budget, and a plan it chose is "chosen", not
    # "paid for"; the summary's paragraph has a test id; the summary says how much of the money
    # at the end is promised and how much is free; "Niet ingedeeld" / "Not classified" with a
    # capital like every other row; in English the spending table "By target group" like the
    # other, not "Per target group"; the money-flow pictures' fund name above the bands and
    # their labels cut to fit, kept a line apart; the bar charts' labels given more room; a
    # decision's tally in short sentences, "3 van de 3 stemmen waren voor.", not "opkomst 3 van 3";
    # the money-flow pictures' names cut at 29 characters, not 24, with narrower ribbons; "Over
    # dit verslag", not "jaarverslag", as an interim report has the same chapter; the picture
    # describes what is left "on the last day this report covers", not "at the end of the year";
    # the summary says "3 decisions were taken", not "the community took" them, as bodies with
    # institution seats took them; in Dutch "gemeenschap", not "community"; the target groups
    # the money and the initiatives are counted by say their list, "(Socialization+)"; the table of initiatives per leefgebied shows its caption; how a vote counts is said once,
    # in the decisions' chapter, where each decision gives its numbers ("3 voor, 0 tegen (nodig:
    # 2 voor). … Gemeenschap: 3 van 3 voor …"), and the money per decision gives the decision's title and points there; a
    # budget round's budget, costs and total to the cent, "€ 1.000,00", like the rest of the
    # report (why a plan was not chosen stays in the words it was frozen with); the summary
    # no longer says "the community" took the decisions: it names who did where the report
    # knows it, and this one does not ("Dit jaar zijn 3 besluiten genomen."); under a target-group
    # table that lists "Human Resourcefulness (HRs)", a line that says what it means; a negative
    # amount in a span that keeps its minus and euro sign on one line)
    expected = (SNAPSHOTS / f"v1.print.{language}.html").read_text(encoding="utf-8")
    # when today's code loads and renders it
    html = rendering.render_print_html(snapshot.load(v1()), language=language)
    # then nothing differs
    assert _without_style(html) == expected


def test_a_loaded_old_snapshot_dumps_again_to_the_same_figures():
    old = v1()
    again = snapshot.dump(snapshot.load(old))
    assert again["schema_version"] == snapshot.SCHEMA_VERSION
    for key in ("year", "as_of", "interim", "generated_at", "contracts"):
        assert again[key] == old[key], key
    # the annex the same; a check frozen before the categories of money gains none
    assert again["annex"]["files"] == old["annex"]["files"]
    checks = again["annex"]["reconciliation"]
    assert [row.pop("by_category") for row in checks] == [[]] * len(checks)
    assert checks == old["annex"]["reconciliation"]
    # the outcomes' figures are the same; their codes are today's (version 3, issue 19)
    from reports.snapshot.upgrade import INDICATOR

    assert [{**o, "code": INDICATOR[o["code"]]} for o in old["outcomes"]] == again["outcomes"]
    for before, after in zip(old["funds"], again["funds"], strict=True):
        for key in ("opening", "closing", "total_in", "total_out", "allocated_open"):
            assert after[key] == before[key]
        assert [line["amount"] for line in after["outflows"]] == [
            line["amount"] for line in before["outflows"]
        ]


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_year_page_of_an_old_snapshot_is_shown(client):
    published(v1())
    response = client.get("/rapporten/2025/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Jaarverslag 2025" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({**v1(), "schema_version": 99}, "version 99"),
        ({**v1(), "funds": [{"name": "Fonds"}]}, "missing"),
    ],
)
def test_a_snapshot_this_code_cannot_read_gives_a_page_that_says_so(client, caplog, data, reason):
    report = published(data)

    dutch = client.get("/rapporten/2025/")
    client.cookies["django_language"] = "en"
    english = client.get("/rapporten/2025/")

    assert dutch.status_code == english.status_code == 503
    page = dutch.content.decode()
    assert 'data-testid="report-unreadable"' in page
    assert "Verslag 2025 kan niet getoond worden" in page
    assert "Er is niets kwijt" in page
    assert 'class="utrecht-heading-1"' in page and "<footer" in page  # the site's layout
    assert "Report 2025 cannot be shown" in english.content.decode()
    assert "Traceback" not in page
    logged = [r for r in caplog.records if r.name == "reports.views"]
    assert logged and f"annual report {report.pk}" in logged[0].getMessage()
    assert reason in logged[0].getMessage()
    # and the stored report is left as it was
    report.refresh_from_db()
    assert report.snapshot == data


@pytest.mark.django_db
def test_a_report_built_now_is_stored_with_its_version_and_reads_back_equal(monkeypatch):
    from reports import services

    monkeypatch.setattr(services.rendering, "render_pdf", lambda content, *, language: (b"%", 1))
    report = services.request_report(year=2025, language="nl", dispatch=False, actor=None)
    report = services.build_report(report_id=report.pk)
    assert report.snapshot["schema_version"] == snapshot.SCHEMA_VERSION
    content = snapshot.load(report.snapshot)
    assert snapshot.dump(content) == report.snapshot
    assert content.year == 2025 and content.annex is not None


@pytest.mark.django_db
def test_a_budget_round_keeps_its_minimum_share_and_the_plans_below_it(
    area, civil_servant, community_member
):
    from budgeting import services as budgeting
    from budgeting.models import Round
    from reports.content import annual_report_content
    from tests.budgeting.factories import HOUR, resident_of, round_in

    # given a round where a plan needs 50% of the votes, and plan 4 gets none
    round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                     author=community_member, min_vote_percent=50)  # fmt: skip
    plans = {p.number: p for p in round.plans.all()}
    for i in range(3):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        budgeting.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
    closes = round.voting_closes_at + HOUR
    with at_closing(closes):
        budgeting.compute_outcome(actor=civil_servant, round=round)
        # when the report's content is made and stored
        content = annual_report_content(year=timezone.localtime(closes).year)
    stored = snapshot.load(json.loads(json.dumps(snapshot.dump(content))))
    # then the minimum and the plan below it are in the snapshot
    (item,) = stored.budget_rounds
    assert item.min_vote_percent == 50
    assert [plan.below_minimum for plan in item.plans] == [False, False, False, True]


# --- the codes renamed by issue 19 (version 3) ------------------------------------------------


def test_a_version_1_snapshot_reads_with_todays_codes_where_the_field_says_which_enum():
    from governance.models import Proposal
    from sroi.models import Transaction

    raw = json.dumps(v1())
    assert '"aangenomen"' in raw and '"uitbetaling"' in raw  # the fixture has the old codes
    content = snapshot.load(v1())
    lines = [line for fund in content.funds for line in fund.inflows + fund.outflows]
    assert lines and all(line.kind in Transaction.Kind.values for line in lines)
    assert all(line.counts_as in Transaction.Kind.values for line in lines)
    decisions = content.governance.decisions
    assert decisions and {d.outcome for d in decisions} <= set(Proposal.Status.values)
    assert all(d.tally.outcome in Proposal.Status.values for d in decisions if d.tally)
    # a leefgebied code (a VNG standard, never renamed) stays as it was, also where it reads
    # like a renamed code of another enum ("inkomen" is an outcome indicator too)
    assert [a.code for a in content.spending_by_leefgebied] == [
        a["code"] for a in v1()["spending_by_leefgebied"]
    ]
    # written again, it is version 3 and reads back unchanged
    again = snapshot.dump(content)
    assert again["schema_version"] == 3 and snapshot.load(again) == content


def test_a_version_3_snapshot_is_read_as_written_without_renaming():
    data = snapshot.dump(snapshot.load(v1()))
    fund = next(i for i, f in enumerate(data["funds"]) if f["outflows"])
    data["funds"][fund]["outflows"][0]["kind"] = "uitbetaling"  # as if written so in version 3
    assert snapshot.load(data).funds[fund].outflows[0].kind == "uitbetaling"
    data["schema_version"] = 2
    assert snapshot.load(data).funds[fund].outflows[0].kind == "disbursement"
