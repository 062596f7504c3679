"""Fund allocation proposals: prepared with their fields, adopted, carried out in the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from governance import services
from governance.models import Choice, Decision, Proposal
from initiatives.models import Classification
from sroi import selectors as sroi_selectors
from sroi.models import Allocation, Entry, Transaction
from sroi.services import MAX_AMOUNT
from tests.accounts.factories import UserFactory

from .factories import adopted, after_closing, allocation_fields, board, decided, draft, voting

pytestmark = pytest.mark.django_db


def _leefgebieden(*codes):
    return list(Classification.objects.filter(scheme="leefgebied", code__in=codes))


# --- Preparing -----------------------------------------------------------------------------


def test_an_allocation_proposal_keeps_its_fields_and_leefgebieden_in_one_audit_row(
    civil_servant,
):
    fields = allocation_fields("1500.50", leefgebieden=_leefgebieden("zorg", "werk"))
    proposal = services.create_proposal(
        title="Keuken", text="Tekst", body=board()[0], actor=civil_servant, **fields
    )
    proposal.refresh_from_db()
    assert proposal.is_allocation
    assert (proposal.fund, proposal.initiative) == (fields["fund"], fields["initiative"])
    assert proposal.amount == Decimal("1500.50")
    assert {c.code for c in proposal.leefgebieden.all()} == {"zorg", "werk"}
    record = proposal.history.get()
    assert {row.classification.code for row in record.leefgebieden.all()} == {"zorg", "werk"}


def test_an_allocation_proposal_without_its_fields_says_what_is_missing(civil_servant):
    with pytest.raises(ValidationError) as raised:
        services.create_proposal(
            title="X", text="Y", body=board()[0], kind="fund_allocation", actor=civil_servant
        )
    assert set(raised.value.message_dict) == {"fund", "initiative", "amount", "purpose"}
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "meer dan nul"),
        ("-5.00", "meer dan nul"),
        ("12.345", "twee cijfers achter de komma"),
        (str(MAX_AMOUNT + 1), "tikfout"),
        ("veel", "bedrag in euro"),
    ],
)
def test_absurd_amounts_are_refused(civil_servant, amount, message):
    fields = allocation_fields()
    fields["amount"] = amount
    with pytest.raises(ValidationError) as raised:
        services.create_proposal(
            title="X", text="Y", body=board()[0], actor=civil_servant, **fields
        )
    assert message in " ".join(raised.value.message_dict["amount"])
    assert not Proposal.objects.exists()


def test_leefgebieden_must_be_areas_of_life(civil_servant):
    other = Classification.objects.exclude(scheme="leefgebied").first()
    with pytest.raises(ValidationError) as raised:
        services.create_proposal(
            title="X",
            text="Y",
            body=board()[0],
            actor=civil_servant,
            **allocation_fields(leefgebieden=[other]),
        )
    assert "leefgebieden" in raised.value.message_dict


def test_a_general_proposal_keeps_nothing_of_an_allocation(civil_servant):
    proposal = draft(**allocation_fields())
    services.update_proposal(
        proposal=proposal,
        title="Toch algemeen",
        text="Tekst",
        method="board",
        body=proposal.body,
        kind="general",
        actor=civil_servant,
    )
    proposal.refresh_from_db()
    assert (proposal.kind, proposal.fund, proposal.amount) == ("general", None, None)


@pytest.mark.parametrize(
    "change",
    [{"fund": None}, {"initiative": None}, {"amount": None}, {"amount": Decimal("0.00")}],
)
def test_the_database_refuses_an_incomplete_allocation(change):
    proposal = draft(**allocation_fields())
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(**change)


# --- Carrying out --------------------------------------------------------------------------


def test_carrying_out_moves_the_money_and_links_both_ways(civil_servant):
    # given an adopted allocation of € 400 from a fund with € 1.000 available
    fields = allocation_fields("400.00")
    fund = fields["fund"]
    proposal = adopted(voting(**fields))
    before = sroi_selectors.fund_summary(fund)
    # when a civil servant carries it out (after the vote closed)
    with after_closing(proposal):
        decision = services.execute_decision(decision=proposal.decision, actor=civil_servant)
    # then the available money goes down and the allocated money up by € 400
    after = sroi_selectors.fund_summary(fund)
    assert after.available == before.available - Decimal("400.00")
    assert after.allocated == before.allocated + Decimal("400.00")
    assert after.balance == before.balance
    # and the decision and the allocation point at each other
    allocation = Allocation.objects.get()
    decision.refresh_from_db()
    assert decision.allocation == allocation
    assert allocation.governance_decision == decision
    assert allocation.decision_id == decision.pk
    assert allocation.decision_reference == decision.reference
    assert (allocation.initiative, allocation.amount) == (fields["initiative"], Decimal("400.00"))
    assert allocation.purpose == "Inrichting van de keuken"
    booked = Transaction.objects.get(kind=Transaction.Kind.ALLOCATION)
    assert booked.decision_reference == decision.reference
    assert (booked.actor, allocation.created_by) == (civil_servant, civil_servant)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXECUTED
    assert (decision.executed_by, decision.history.first().history_user) == (
        civil_servant,
        civil_servant,
    )


def test_an_allocation_above_the_balance_is_refused_and_changes_nothing(civil_servant):
    # given an adopted allocation of € 1.500 from a fund with only € 1.000
    proposal = adopted(voting(**allocation_fields("1500.00", available="1000.00")))
    transactions, entries = Transaction.objects.count(), Entry.objects.count()
    # when it is carried out
    with pytest.raises(ValidationError) as raised:
        services.execute_decision(decision=proposal.decision, actor=civil_servant)
    # then the civil servant reads why, and nothing was written
    assert raised.value.code == "ledger"
    message = " ".join(raised.value.messages)
    assert "er is niets veranderd" in message
    assert "1.000,00" in message and "1.500,00" in message
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED
    decision = Decision.objects.get()
    assert (decision.executed_at, decision.allocation) == (None, None)
    assert not Allocation.objects.exists()
    assert (Transaction.objects.count(), Entry.objects.count()) == (transactions, entries)


def test_carrying_out_twice_is_refused_and_moves_the_money_once(civil_servant):
    proposal = adopted(voting(**allocation_fields("400.00")))
    services.execute_decision(decision=proposal.decision, actor=civil_servant)
    with pytest.raises(ValidationError) as raised:
        services.execute_decision(decision=proposal.decision, actor=civil_servant)
    assert raised.value.code == "done"
    assert Allocation.objects.count() == 1
    assert Transaction.objects.filter(kind=Transaction.Kind.ALLOCATION).count() == 1


def test_a_rejected_allocation_is_never_carried_out(civil_servant):
    proposal = voting(**allocation_fields("400.00"))
    voters = [entry.user for entry in proposal.electorate.select_related("user")]
    proposal = decided(proposal, dict.fromkeys(voters, Choice.AGAINST))
    assert proposal.status == Proposal.Status.REJECTED
    with pytest.raises(ValidationError) as raised:
        services.execute_decision(decision=proposal.decision, actor=civil_servant)
    assert raised.value.code == "rejected"
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("role", ["community_member", "advisory_member", "administrator"])
def test_only_civil_servants_carry_out_an_allocation(user_for_role, role):
    proposal = adopted(voting(**allocation_fields("400.00")))
    with pytest.raises(ValidationError):
        services.execute_decision(decision=proposal.decision, actor=user_for_role(role))
    assert not Allocation.objects.exists()


def test_neither_a_superuser_without_the_role_nor_the_system_carries_out(client):
    # An administrator with Django's superuser flag is still no civil servant: money is not
    # theirs to move (issue 11). Nor does anything carry out "as the system".
    superuser = UserFactory(is_superuser=True, is_staff=True)
    proposal = adopted(voting(**allocation_fields("400.00")))
    for actor in (superuser, None):
        with pytest.raises(ValidationError) as raised:
            services.execute_decision(decision=proposal.decision, actor=actor)
        assert raised.value.code == "forbidden"
    # On the page too (Django's ModelBackend grants a superuser every permission, so the view
    # lets the request through; the service refuses it and says why).
    client.force_login(superuser)
    response = client.post(reverse("governance:execute", args=[proposal.pk]), follow=True)
    assert "Alleen een ambtenaar kan dit doen." in response.content.decode()
    assert not Allocation.objects.exists()
    assert Decision.objects.get().executed_at is None


def test_the_fund_staff_page_sends_a_civil_servant_to_the_proposal_form(client, civil_servant):
    fund = allocation_fields()["fund"]
    client.force_login(civil_servant)
    page = client.get(reverse("sroi:fund_staff", args=[fund.slug])).content.decode()
    assert "/toekennen/" not in page
    assert reverse("governance:create") in page


# --- Pages ---------------------------------------------------------------------------------


def _allocation_post(fields, **data) -> dict:
    return {
        "title": "Keuken",
        "text": "Tekst",
        "method": "board",
        "body": board()[0].pk,
        "kind": "fund_allocation",
        "fund": fields["fund"].pk,
        "initiative": fields["initiative"].pk,
        "amount": "1.500,50",
        "purpose": "Inrichting",
        "leefgebieden": [c.pk for c in _leefgebieden("zorg")],
        **data,
    }


def test_the_form_makes_an_allocation_proposal_with_a_dutch_amount(client, civil_servant):
    client.force_login(civil_servant)
    fields = allocation_fields(available="5000.00")
    response = client.post(reverse("governance:create"), _allocation_post(fields))
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert proposal.amount == Decimal("1500.50")
    assert [c.code for c in proposal.leefgebieden.all()] == ["zorg"]


def test_the_form_says_which_allocation_fields_are_missing(client, civil_servant):
    client.force_login(civil_servant)
    fields = allocation_fields()
    response = client.post(
        reverse("governance:create"),
        _allocation_post(fields, fund="", initiative="", amount="", purpose=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["fund"] == ["Kies het fonds waar het geld vandaan komt."]
    assert errors["initiative"] == ["Kies het initiatief dat het geld krijgt."]
    assert errors["amount"] == ["Vul het bedrag in euro in."]
    assert errors["purpose"] == ["Beschrijf waarvoor het geld is."]
    response = client.post(reverse("governance:create"), _allocation_post(fields, amount="-3"))
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    assert not Proposal.objects.exists()


def test_the_form_without_script_shows_every_field_with_a_help_text(client, civil_servant):
    client.force_login(civil_servant)
    html = client.get(reverse("governance:create")).content.decode()
    for name in ("kind", "fund", "initiative", "amount", "purpose", "leefgebieden"):
        assert f'name="{name}"' in html
    assert "Alleen bij een toekenning uit het fonds" in html
    assert "js/proposal-form.js" in html


def test_saving_more_than_the_fund_has_warns(client, civil_servant):
    client.force_login(civil_servant)
    fields = allocation_fields(available="1000.00")
    response = client.post(reverse("governance:create"), _allocation_post(fields), follow=True)
    assert Proposal.objects.count() == 1
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "1.000,00" in warnings[0] and "1.500,50" in warnings[0]


def test_the_execute_button_shows_the_ledger_refusal(client, civil_servant):
    proposal = adopted(voting(**allocation_fields("1500.00", available="1000.00")))
    client.force_login(civil_servant)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="shortfall"' in page
    response = client.post(reverse("governance:execute", args=[proposal.pk]), follow=True)
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert "kon niet worden toegekend" in errors[0] and "1.000,00" in errors[0]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED


def test_the_pages_link_the_decision_and_the_allocation(client, civil_servant):
    fields = allocation_fields("400.00", leefgebieden=_leefgebieden("zorg"))
    proposal = adopted(voting(**fields))
    client.force_login(civil_servant)
    response = client.post(reverse("governance:execute", args=[proposal.pk]), follow=True)
    successes = [str(m) for m in response.context["messages"] if m.level_tag == "success"]
    assert "€\u00a0400,00" in successes[0] and "Buurtkeuken" in successes[0]
    allocation = Allocation.objects.get()
    page = response.content.decode()
    assert "€\u00a0400,00" in page
    assert allocation.get_absolute_url() in page
    assert fields["fund"].get_absolute_url() in page
    assert reverse("initiatives:detail", args=["buurtkeuken"]) in page
    assert "Inrichting van de keuken" in page
    # the ledger's page links back to the decision, which leads to the proposal
    ledger_page = client.get(allocation.get_absolute_url()).content.decode()
    link = reverse("governance:decision", args=[proposal.decision.pk])
    assert f'href="{link}"' in ledger_page
    assert client.get(link).url == proposal.get_absolute_url()


def test_the_public_page_of_a_carried_out_allocation(client, civil_servant):
    proposal = adopted(voting(**allocation_fields("400.00")))
    services.execute_decision(decision=proposal.decision, actor=civil_servant)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="allocation-link"' in page
    # the staff page of the allocation is not offered to the public; the fund page is
    assert Allocation.objects.get().get_absolute_url() not in page
    assert proposal.fund.get_absolute_url() in page
