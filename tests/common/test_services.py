"""The service contract helper: the rule, one transaction, the audit user, the system."""

import pytest
from django.core.exceptions import ValidationError

from common.services import audit_user, refused_by_the_database, require, service
from initiatives.models import Initiative
from tests.initiatives.factories import InitiativeFactory


@service("intake.start_intake")
def _make(*, actor, name):
    return InitiativeFactory(name=name)


@service("intake.start_intake", system=True)
def _make_or_fail(*, actor, name, fail=False):
    InitiativeFactory(name=name)
    if fail:
        raise ValidationError("no")


@pytest.mark.django_db
class TestRequire:
    def test_the_rule_decides(self, civil_servant, community_member):
        require(civil_servant, "intake.start_intake")
        with pytest.raises(ValidationError) as error:
            require(community_member, "intake.start_intake")
        assert error.value.code == "forbidden"

    def test_the_system_only_where_allowed(self):
        require(None, "intake.start_intake", system=True)
        with pytest.raises(ValidationError):
            require(None, "intake.start_intake")


@pytest.mark.django_db
class TestService:
    def test_refused_before_anything_is_written(self, community_member):
        with pytest.raises(ValidationError):
            _make(actor=community_member, name="Buurttuin")
        assert not Initiative.objects.filter(name="Buurttuin").exists()

    def test_none_refused_unless_the_service_says_so(self):
        with pytest.raises(ValidationError):
            _make(actor=None, name="Buurttuin")
        _make_or_fail(actor=None, name="Buurttuin")
        assert Initiative.objects.get(name="Buurttuin").history.get().history_user is None

    def test_actor_is_the_audit_user_of_every_row(self, civil_servant):
        initiative = _make(actor=civil_servant, name="Buurttuin")
        assert initiative.history.get().history_user == civil_servant

    def test_one_transaction(self, civil_servant):
        with pytest.raises(ValidationError):
            _make_or_fail(actor=civil_servant, name="Buurttuin", fail=True)
        assert not Initiative.objects.filter(name="Buurttuin").exists()

    def test_keywords_and_actor_required(self, civil_servant):
        with pytest.raises(TypeError):
            _make(civil_servant, "Buurttuin")
        with pytest.raises(TypeError):
            _make(name="Buurttuin")


@pytest.mark.django_db
def test_audit_user_restores_the_request_context(civil_servant):
    from simple_history.models import HistoricalRecords

    with audit_user(civil_servant):
        assert HistoricalRecords.context.request.user == civil_servant
    assert not hasattr(HistoricalRecords.context, "request")


def test_the_superuser_flag_does_not_pass_a_service_only_the_rule_does(db):
    from common.services import require
    from tests.accounts.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=False)
    assert root.has_perm("intake.review_intake")  # Django's shortcut for superusers
    with pytest.raises(ValidationError) as refused:
        require(root, "intake.review_intake")
    assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError):
        require(root, "no.such_rule")


def _must_be_garden(initiative):
    if initiative.name != "Buurttuin":
        raise ValidationError("Alleen een buurttuin.", code="not_a_garden")


@pytest.fixture(autouse=False)
def garden_rule():
    """A rule like a view's: who (a civil servant) and state (the initiative is a garden)."""
    import rules

    from accounts.rules import is_civil_servant

    is_garden = rules.predicate(lambda user, initiative: initiative.name == "Buurttuin")
    rules.add_perm("tests.rename_garden", is_civil_servant & is_garden)
    yield
    rules.remove_perm("tests.rename_garden")


@service("tests.rename_garden", obj="initiative", state=_must_be_garden, system=True)
def _rename_unexplained(*, actor, initiative, name):
    initiative.name = name
    initiative.save()
    return initiative


@service(
    "tests.rename_garden",
    obj="initiative",
    state=_must_be_garden,
    who="intake.start_intake",
    system=True,
)
def _rename(*, actor, initiative, name):
    initiative.name = name
    initiative.save()
    return initiative


@pytest.mark.django_db
@pytest.mark.usefixtures("garden_rule")
class TestWholeRuleWithItsReasons:
    """The service asks the view's whole rule (who and state); the state explains a refusal."""

    def test_the_whole_rule_lets_the_right_person_act_in_the_right_state(self, civil_servant):
        garden = InitiativeFactory(name="Buurttuin")
        assert _rename(actor=civil_servant, initiative=garden, name="Tuin").name == "Tuin"

    def test_the_wrong_state_is_refused_with_its_own_message(self, civil_servant):
        other = InitiativeFactory(name="Speeltuin")
        with pytest.raises(ValidationError) as error:
            _rename(actor=civil_servant, initiative=other, name="Tuin")
        assert error.value.code == "not_a_garden"
        other.refresh_from_db()
        assert other.name == "Speeltuin"

    def test_a_person_without_the_who_part_hears_forbidden_whatever_the_state(
        self, community_member
    ):
        other = InitiativeFactory(name="Speeltuin")
        with pytest.raises(ValidationError) as error:
            _rename(actor=community_member, initiative=other, name="Tuin")
        assert error.value.code == "forbidden"

    def test_without_who_the_state_still_explains_and_forbidden_otherwise(self, community_member):
        garden = InitiativeFactory(name="Buurttuin")
        with pytest.raises(ValidationError) as error:
            _rename_unexplained(actor=community_member, initiative=garden, name="Tuin")
        assert error.value.code == "forbidden"  # right state: it is the person
        other = InitiativeFactory(name="Speeltuin")
        with pytest.raises(ValidationError) as error:
            _rename_unexplained(actor=community_member, initiative=other, name="Tuin")
        assert error.value.code == "not_a_garden"

    def test_the_system_passes_no_rule_but_the_state_check(self):
        other = InitiativeFactory(name="Speeltuin")
        with pytest.raises(ValidationError) as error:
            _rename(actor=None, initiative=other, name="Tuin")
        assert error.value.code == "not_a_garden"
        garden = InitiativeFactory(name="Buurttuin")
        assert _rename(actor=None, initiative=garden, name="Tuin").name == "Tuin"


@service("tests.rename_garden", obj="initiative", load=lambda i: Initiative.objects.get(pk=i.pk))
def _rename_loaded(*, actor, initiative, name):
    return initiative


@pytest.mark.django_db
@pytest.mark.usefixtures("garden_rule")
def test_load_reads_the_object_again_asks_the_rule_of_it_and_hands_it_to_the_service(
    civil_servant,
):
    garden = InitiativeFactory(name="Speeltuin")
    stale = Initiative.objects.get(pk=garden.pk)
    Initiative.objects.filter(pk=garden.pk).update(name="Buurttuin")
    # the rule is asked of the row as it is now (a garden), not of the stale copy
    received = _rename_loaded(actor=civil_servant, initiative=stale, name="Tuin")
    assert received is not stale and received.name == "Buurttuin"


def _refusal() -> ValidationError:
    return ValidationError("Het stemmen is gesloten.", code="closed")


@pytest.mark.django_db
def test_a_refusal_by_the_database_s_own_rule_gets_the_services_words_and_nothing_else_does():
    from django.db import DatabaseError, IntegrityError  # noqa: PLC0415 - only here

    words = "while voting is open only"
    with pytest.raises(ValidationError) as refused, refused_by_the_database(words, _refusal):
        raise DatabaseError(f"governance: votes are cast {words} (proposal 7)")
    assert refused.value.code == "closed"
    assert isinstance(refused.value.__cause__, DatabaseError)
    # another rule of the database, and a unique constraint with the same words, stay errors
    with pytest.raises(DatabaseError), refused_by_the_database(words, _refusal):
        raise DatabaseError("sroi: a fund is never below zero")
    with pytest.raises(IntegrityError), refused_by_the_database(words, _refusal):
        raise IntegrityError(f"duplicate key {words}")
    with refused_by_the_database(words, _refusal):  # nothing refused: nothing raised
        Initiative.objects.count()
