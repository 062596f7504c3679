"""Nothing that decides or counts can be rewritten through the Django admin, by anyone.

Issue 11: the history pages (`/beheer/<app>/<model>/<id>/history/<version>/`) only asked for the
view permission and saved the form on POST. As `beheerder` a realisation's value went up, a
carried-out decision was reset (and carried out a second time) and a rejected vote became
adopted. These tests walk every registered ModelAdmin of those models and try every write path
(add, change, delete, bulk delete, history revert) as a superuser, reading the database before and
after.
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from accounts.models import MemberVerification, Role, RoleChange
from common.admin import HistoryAdmin, ReadOnlyMixin
from governance import services as governance
from governance import tally
from governance.models import (
    Ballot,
    Body,
    Choice,
    Decision,
    DecisionRule,
    ElectorateEntry,
    Participation,
    Proposal,
    Seat,
    Side,
    Vote,
)
from reports.models import Outcome
from sroi import services as sroi
from sroi.models import Account, Allocation, Contract, Entry, Realisation, TargetGroup, Transaction
from tests.accounts.factories import UserFactory
from tests.governance.factories import allocation_fields, board, decided, poll, voting
from tests.sroi.factories import ContractFactory, block

pytestmark = pytest.mark.django_db

# What decides or counts: never written through the admin.
PROTECTED = [
    Transaction,
    Entry,
    Account,
    Allocation,
    Realisation,
    Contract,
    Proposal,
    Decision,
    Vote,
    Ballot,
    Participation,
    ElectorateEntry,
    Body,
    Seat,
    DecisionRule,
    MemberVerification,
    RoleChange,
    Outcome,
]


@pytest.fixture
def world(area, civil_servant, community_member):
    """A verified realisation, an executed fund allocation, a rejected vote, a closed poll."""
    contract = ContractFactory(reference="AMS-1", title="Bouw museum")
    realisation = sroi.claim_realisation(
        contract=contract,
        block=block("ww"),
        target_group=TargetGroup.UNEMPLOYMENT,
        person_reference="GEHEIM-007",
        start_date=datetime.date(2025, 2, 1),
        months=Decimal("6"),
        hours_per_week=Decimal("36"),
        actor=None,
    )
    # A verifier who did nothing else, so nothing else protects their account from deletion.
    verifier = UserFactory(username="controleur", roles=[Role.CIVIL_SERVANT])
    realisation = sroi.verify_realisation(realisation=realisation, actor=verifier)
    body, voters = board(members=[community_member])
    everyone = voters[Side.COMMUNITY] + voters[Side.INSTITUTION]
    adopted = decided(
        voting(body=body, **allocation_fields("400.00")), dict.fromkeys(everyone, Choice.FOR)
    )
    executed = governance.execute_decision(decision=adopted.decision, actor=civil_servant)
    rejected = decided(voting(body=body), dict.fromkeys(everyone, Choice.AGAINST))
    closed_poll = poll(areas=[area])
    governance.cast_vote(proposal=closed_poll, choice=Choice.FOR, actor=community_member)
    with freeze_time(closed_poll.closes_at, tick=True):
        governance.close_voting(actor=None, proposal=closed_poll)
    return {
        "realisation": realisation,
        "executed": executed,
        "rejected": rejected.decision,
        "body": body,
    }


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _database():
    """Every row of every protected model and of its history table, as plain values."""
    state = {}
    for model in PROTECTED:
        state[model.__name__] = list(model.objects.order_by("pk").values())
        if hasattr(model._meta, "simple_history_manager_attribute"):
            history = get_history_model_for_model(model)
            state[f"{model.__name__}.history"] = list(
                history.objects.order_by("history_id").values()
            )
    return state


def _encode(form) -> dict:
    """POST data that submits `form` as it stands, so a save would write its instance."""
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def _tampered(model, data: dict) -> dict:
    """The reproduction's edits: amounts up, carried-out dates cleared, outcomes flipped."""
    data = dict(data)
    for field in model._meta.concrete_fields:
        if isinstance(field, type(Realisation._meta.get_field("value"))) and field.name in data:
            data[field.name] = "999999.00"
        if field.choices and field.name in data:
            others = [value for value, _ in field.choices if str(value) != data[field.name]]
            if others:
                data[field.name] = str(others[0])
    for name in ("executed_at_0", "executed_at_1", "allocation", "executed_by"):
        if name in data:
            data[name] = ""
    return data


def _admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()]


def test_every_admin_with_history_refuses_the_revert_form():
    for model, model_admin in _admins():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, HistoryAdmin), model


def test_every_protected_model_has_a_read_only_admin_or_none():
    for model in PROTECTED:
        model_admin = admin.site._registry.get(model)
        assert model_admin is None or isinstance(model_admin, ReadOnlyMixin), model
        for inline in getattr(model_admin, "inlines", []):
            assert issubclass(inline, ReadOnlyMixin), inline


def test_no_admin_write_path_changes_what_decides_or_counts(client, superuser, world):
    # given: a superuser, the strongest account there is
    client.force_login(superuser)
    request = RequestFactory().get("/")
    request.user = superuser
    before = _database()
    tried = 0
    # when: every write path of every protected model's admin is tried on every row
    for model, model_admin in _admins():
        if model not in PROTECTED:
            continue
        info = model._meta.app_label, model._meta.model_name
        form_class = model_admin.get_form(request, None)
        add = client.post(reverse("admin:{}_{}_add".format(*info)), {})
        assert add.status_code == 403, model
        for obj in model.objects.all():
            form = model_admin.get_form(request, obj)(instance=obj)
            data = _tampered(model, _encode(form))
            change_url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            assert client.post(change_url, data).status_code == 403, model
            delete_url = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
            assert client.post(delete_url, {"post": "yes"}).status_code == 403, model
            client.post(
                reverse("admin:{}_{}_changelist".format(*info)),
                {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
            )
            if isinstance(model_admin, SimpleHistoryAdmin):
                for version in obj.history.all():
                    url = reverse(
                        "admin:{}_{}_simple_history".format(*info),
                        args=[obj.pk, version.history_id],
                    )
                    old = model_admin.get_form(request, version.instance)(instance=version.instance)
                    assert client.post(url, _encode(old)).status_code == 403, model
                    assert client.post(url, _tampered(model, _encode(old))).status_code == 403
                    tried += 1
        assert form_class is not None
    # then: not one row changed, and no audit row was added
    assert tried > 0
    assert _database() == before


def test_history_revert_cannot_reset_a_carried_out_decision(client, administrator, world):
    """The reproduction: reset the decision through its first version, then carry it out again."""
    decision = world["executed"]
    first = decision.history.order_by("history_id").first()
    assert first.executed_at is None
    client.force_login(administrator)
    url = f"/beheer/governance/decision/{decision.pk}/history/{first.history_id}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(url, {"outcome": tally.ADOPTED})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.executed_at is not None and decision.allocation_id is not None
    assert decision.proposal.status == Proposal.Status.EXECUTED
    assert Allocation.objects.filter(decision_reference=decision.reference).count() == 1


def test_history_revert_cannot_adopt_a_rejected_vote(client, administrator, world):
    decision = world["rejected"]
    version = decision.history.first()
    client.force_login(administrator)
    url = f"/beheer/governance/decision/{decision.pk}/history/{version.history_id}/"
    assert client.post(url, {"outcome": tally.ADOPTED}).status_code == 403
    decision.refresh_from_db()
    assert decision.outcome == tally.REJECTED
    assert Decision.history.filter(id=decision.pk).count() == 1


def test_history_revert_cannot_change_a_verified_realisation(client, administrator, world):
    realisation = world["realisation"]
    value = realisation.value
    version = realisation.history.order_by("history_id").first()
    client.force_login(administrator)
    url = f"/beheer/sroi/realisation/{realisation.pk}/history/{version.history_id}/"
    assert client.post(url, {"value": "999999.00"}).status_code == 403
    realisation.refresh_from_db()
    assert realisation.value == value
    assert realisation.status == Realisation.Status.VERIFIED


def test_bodies_seats_and_rules_cannot_be_changed_in_the_admin(client, administrator, world):
    body = world["body"]
    seat = body.seats.first()
    client.force_login(administrator)
    assert client.get(f"/beheer/governance/body/{body.pk}/change/").status_code == 200
    assert client.get("/beheer/governance/body/add/").status_code == 403
    delete = client.post(f"/beheer/governance/seat/{seat.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert (
        client.post(
            f"/beheer/governance/decisionrule/{body.decision_rule_id}/change/",
            {"name": "Anders", "majority_percent": "90", "quorum": "none", "quorum_value": "0"},
        ).status_code
        == 403
    )
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert DecisionRule.objects.get(pk=body.decision_rule_id).majority_percent == 50
    assert Body.objects.count() == 1


def test_an_editable_model_cannot_be_reverted_either(client, superuser):
    from tests.initiatives.factories import InitiativeFactory

    initiative = InitiativeFactory(name="Eerst")
    initiative.name = "Daarna"
    initiative.save()
    first = initiative.history.order_by("history_id").first()
    client.force_login(superuser)
    url = f"/beheer/initiatives/initiative/{initiative.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Eerst"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.name == "Daarna"
    assert initiative.history.count() == 2


def test_deleting_anything_else_in_the_admin_leaves_them_alone(client, superuser, world):
    """Deleting a user (or an area, an initiative...) could cascade into, or clear a column of,
    what decides or counts: who verified a realisation, who made an audit row."""
    client.force_login(superuser)
    before = _database()
    for model, _model_admin in _admins():
        if model in PROTECTED:
            continue
        info = model._meta.app_label, model._meta.model_name
        for obj in model.objects.all():
            if obj == superuser:
                continue
            url = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
            client.post(url, {"post": "yes"})
    assert _database() == before
    world["realisation"].refresh_from_db()
    assert world["realisation"].decided_by is not None


def test_the_admin_reads_a_web_address_without_a_scheme_as_https(superuser):
    """As our own forms do (and Django 6 will): "buurtkeuken.example" is https, not http."""
    from initiatives.models import Initiative

    request = RequestFactory().get("/beheer/")
    request.user = superuser
    form_class = admin.site._registry[Initiative].get_form(request)
    field = form_class.base_fields["website"]
    assert field.clean("buurtkeuken.example") == "https://buurtkeuken.example"
