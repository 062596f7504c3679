"""Contracts, realisations and fund operations through their services: rules, messages, audit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from freezegun import freeze_time

from initiatives.models import Initiative
from sroi import selectors, services
from sroi.models import (
    Allocation,
    BlockCatalogue,
    BuildingBlock,
    Contract,
    Entry,
    Realisation,
    TargetGroup,
    Transaction,
)

from .factories import (
    ContractFactory,
    ContractorFactory,
    InitiativeFactory,
    allocate,
    block,
    bookkeeper,
    funded,
)

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2025, 3, 1)


def snapshot():
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        Allocation.objects.count(),
        Realisation.objects.count(),
    )


# --- Contracts ---------------------------------------------------------------------------------


def contract_fields(contractor, **overrides):
    fields = {
        "reference": "AMS-1",
        "title": "Bouw museum",
        "department": "Ruimte",
        "contractor": contractor,
        "value": D("100000000.00"),
        "award_date": datetime.date(2024, 6, 1),
        "start_date": datetime.date(2024, 9, 1),
        "end_date": datetime.date(2027, 12, 31),
        "percentage": D("5.00"),
        "threshold": D("250000.00"),
        "obligation_kind": Contract.ObligationKind.RESULT,
        "status": Contract.Status.RUNNING,
    }
    return {**fields, **overrides}


def test_contract_obligation_and_deadline_are_derived(civil_servant):
    contract = services.create_contract(actor=civil_servant, **contract_fields(ContractorFactory()))
    assert contract.obligation == D("5000000.00")
    assert contract.fulfilment_deadline == contract.end_date
    assert contract.history.get().history_user == civil_servant

    contract = services.update_contract(
        contract=contract, actor=civil_servant, value=D("200000.00")
    )
    assert contract.obligation == D("0.00")  # below the threshold
    assert contract.history.count() == 2


def test_threshold_defaults_to_the_setting(settings):
    settings.SROI_THRESHOLD = "500000"
    contract = ContractFactory.build()
    assert Contract().threshold == D("500000")
    assert contract.threshold == D("250000.00")  # the factory's own


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": datetime.date(2024, 1, 1)}, "end_date"),
        ({"award_date": datetime.date(2028, 1, 1)}, "award_date"),
        ({"value": D("20000000000.00")}, "value"),
        ({"percentage": D("120")}, "percentage"),
        ({"fulfilment_deadline": datetime.date(2024, 8, 1)}, "fulfilment_deadline"),
    ],
)
def test_contract_with_impossible_values_is_refused(civil_servant, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.create_contract(
            actor=civil_servant, **contract_fields(ContractorFactory(), **overrides)
        )
    assert field in error.value.message_dict
    assert not Contract.objects.exists()


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "12 34 56 78"])
def test_kvk_number_must_be_eight_digits(civil_servant, kvk):
    with pytest.raises(ValidationError) as error:
        services.create_contractor(actor=civil_servant, name="X", kvk_number=kvk)
    assert "kvk_number" in error.value.message_dict


# --- Realisations ------------------------------------------------------------------------------


def test_a_placement_counts_pro_rata_with_bonuses(civil_servant):
    contract = ContractFactory()
    realisation = services.claim_realisation(
        contract=contract,
        block=block("participatiewet"),
        bonuses=[block("bonus-50-plus")],
        target_group=TargetGroup.PARTICIPATIEWET,
        person_reference="K-2025-014",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 6, 30),
        hours_per_week=D("18"),
        actor=civil_servant,
        evidence=SimpleUploadedFile("contract.pdf", b"%PDF-1.4"),
    )
    # 40,000 × 18/36 × 5.95/12 + 10,000
    assert realisation.months == D("5.95")
    assert realisation.value == D("19916.67")
    assert realisation.bonus_amount == D("10000")
    assert realisation.status == Realisation.Status.CLAIMED
    assert realisation.claimed_by == civil_servant
    assert list(realisation.bonuses.all()) == [block("bonus-50-plus")]


def test_an_invoice_counts_its_amount_and_hours_count_per_hour(civil_servant):
    contract = ContractFactory()
    invoice = services.claim_realisation(
        contract=contract,
        block=block("inkoop-sociale-onderneming"),
        target_group=TargetGroup.OTHER,
        start_date=DAY,
        invoice_amount=D("12500.50"),
        actor=civil_servant,
    )
    hours = services.claim_realisation(
        contract=contract,
        block=block("opleiding-begeleiding-uren"),
        target_group=TargetGroup.OTHER,
        start_date=DAY,
        quantity=D("40"),
        actor=civil_servant,
    )
    assert invoice.value == D("12500.50")
    assert hours.value == D("4000.00")


def test_the_catalogue_in_force_at_the_award_date_counts(civil_servant, administrator):
    newer = BlockCatalogue.objects.create(
        name="Nieuwe tabel", valid_from=datetime.date(2026, 1, 1), source="test"
    )
    BuildingBlock.objects.create(
        catalogue=newer,
        code="participatiewet",
        name="Participatiewet",
        kind=BuildingBlock.Kind.PERSON_YEAR,
        value=D("30000"),
    )
    old_contract = ContractFactory(award_date=datetime.date(2025, 6, 1))
    new_contract = ContractFactory(award_date=datetime.date(2026, 2, 1))
    assert selectors.catalogue_in_force(old_contract.award_date).valid_from.year == 2020
    assert list(selectors.blocks_for(new_contract).values_list("value", flat=True)) == [
        D("30000.00")
    ]
    with pytest.raises(ValidationError) as error:
        services.claim_realisation(
            contract=new_contract,
            block=block("participatiewet"),  # the 2020 table
            target_group=TargetGroup.PARTICIPATIEWET,
            person_reference="K-1",
            start_date=DAY,
            months=D("12"),
            hours_per_week=D("36"),
            actor=civil_servant,
        )
    assert "block" in error.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": datetime.date(2024, 12, 31)}, "start_date"),  # before the contract
        ({"end_date": datetime.date(2028, 1, 1)}, "start_date"),  # after the deadline
        ({"end_date": datetime.date(2025, 1, 1)}, "end_date"),  # before its own start
        ({"person_reference": "Jansen"}, "person_reference"),  # a name, no digit
        ({"person_reference": ""}, "person_reference"),
        ({"hours_per_week": D("0")}, "hours_per_week"),
        ({"hours_per_week": D("80")}, "hours_per_week"),
        ({"end_date": None}, "months"),
        ({"bonuses": [block]}, "bonuses"),  # replaced below by a non-bonus block
    ],
)
def test_a_wrong_claim_says_what_is_wrong_and_writes_nothing(civil_servant, changes, field):
    if "bonuses" in changes:
        changes = {"bonuses": [block("ww")]}
    claim = {
        "contract": ContractFactory(),
        "block": block("participatiewet"),
        "target_group": TargetGroup.PARTICIPATIEWET,
        "person_reference": "K-2025-001",
        "start_date": DAY,
        "end_date": datetime.date(2025, 12, 31),
        "hours_per_week": D("36"),
        "actor": civil_servant,
        **changes,
    }
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.claim_realisation(**claim)
    assert field in error.value.message_dict
    assert snapshot() == before


def test_a_bonus_cannot_be_claimed_alone(civil_servant):
    with pytest.raises(ValidationError):
        services.claim_realisation(
            contract=ContractFactory(),
            block=block("bonus-50-plus"),
            target_group=TargetGroup.OTHER,
            start_date=DAY,
            actor=civil_servant,
        )


def _claim(contract, actor, **extra):
    return services.claim_realisation(
        contract=contract,
        block=block("ww"),
        target_group=TargetGroup.UNEMPLOYMENT,
        person_reference="P-1",
        start_date=DAY,
        months=D("12"),
        hours_per_week=D("36"),
        actor=actor,
        **extra,
    )


def test_the_totals_over_all_contracts_count_only_verified_realisations(
    civil_servant, administrator
):
    empty = selectors.contract_totals()
    assert (empty["count"], empty["obligation"], empty["verified_in_kind"]) == (0, 0, 0)
    first, second = ContractFactory(), ContractFactory()
    services.verify_realisation(realisation=_claim(first, civil_servant), actor=administrator)
    services.verify_realisation(realisation=_claim(second, civil_servant), actor=administrator)
    _claim(second, civil_servant)  # still claimed
    totals = selectors.contract_totals(paid_in_cash=D("5.00"))
    assert totals["count"] == 2
    assert totals["obligation"] == first.obligation + second.obligation
    assert totals["verified_in_kind"] == D("40000.00")
    assert totals["paid_in_cash"] == D("5.00")


def test_only_verified_realisations_count(civil_servant, administrator):
    contract = ContractFactory()
    verified = _claim(contract, civil_servant)
    rejected = _claim(contract, civil_servant)
    _claim(contract, civil_servant)  # still claimed
    services.verify_realisation(realisation=verified, actor=administrator)
    services.reject_realisation(
        realisation=rejected, reason="Geen arbeidsovereenkomst", actor=administrator
    )

    contract = selectors.contract_detail(contract.pk)
    assert contract.verified_in_kind == D("20000.00")
    assert contract.progress.remaining == D("30000.00")
    assert contract.claimed_count == 1
    rejected.refresh_from_db()
    assert rejected.rejection_reason == "Geen arbeidsovereenkomst"
    assert rejected.decided_by == administrator and rejected.decided_at is not None
    assert rejected.history.first().history_user == administrator


def test_a_decision_is_final_and_a_rejection_needs_a_reason(civil_servant, administrator):
    realisation = _claim(ContractFactory(), administrator)
    with pytest.raises(ValidationError):
        services.reject_realisation(realisation=realisation, reason="  ", actor=civil_servant)
    services.verify_realisation(realisation=realisation, actor=civil_servant)
    with pytest.raises(ValidationError):
        services.verify_realisation(realisation=realisation, actor=civil_servant)
    with pytest.raises(ValidationError):
        services.reject_realisation(realisation=realisation, reason="x", actor=civil_servant)


# --- The fund ----------------------------------------------------------------------------------


def test_a_contribution_counts_as_cash_for_its_contract(civil_servant):
    contract = ContractFactory()
    fund = funded("0.01")
    services.record_contribution(
        fund=fund, contract=contract, amount=D("20000.00"), date=DAY, actor=civil_servant
    )
    contract = selectors.contract_detail(contract.pk)
    assert contract.paid_in_cash == D("20000.00")
    assert contract.progress.remaining == D("30000.00")
    summary = selectors.fund_summary(fund, year=2025)
    assert summary.available == D("20000.01")
    assert summary.per_contract[0]["total"] == D("20000.00")
    assert Transaction.objects.get(contract=contract).actor == civil_servant


def test_a_contribution_above_the_obligation_is_refused(civil_servant):
    contract = ContractFactory()  # obligation 50,000
    fund = funded("0.01")
    services.record_contribution(
        fund=fund, contract=contract, amount=D("45000.00"), date=DAY, actor=civil_servant
    )
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.record_contribution(
            fund=fund, contract=contract, amount=D("5000.01"), date=DAY, actor=civil_servant
        )
    assert "€\xa05,000.00" in error.value.message_dict["amount"][0]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("1.001", "two decimals"),
        ("100000000.01", "typing error"),
        ("1E+30", "typing error"),
        ("abc", "amount in euros"),
        ("NaN", "amount in euros"),
    ],
)
def test_absurd_amounts_are_refused_with_a_message(civil_servant, amount, message):
    fund = funded("10.00")
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.record_other_income(
            fund=fund, amount=amount, date=DAY, description="x", actor=civil_servant
        )
    assert message in error.value.message_dict["amount"][0]
    assert snapshot() == before


def test_money_is_never_a_float(civil_servant):
    with pytest.raises(TypeError):
        services.record_other_income(
            fund=funded(), amount=10.5, date=DAY, description="x", actor=civil_servant
        )


def test_a_future_date_is_refused(civil_servant):
    with pytest.raises(ValidationError) as error:
        services.record_other_income(
            fund=funded(),
            amount="1.00",
            date=datetime.date(2999, 1, 1),
            description="x",
            actor=civil_servant,
        )
    assert "date" in error.value.message_dict


def test_dutch_messages_by_default(civil_servant):
    fund = funded("100.00")
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        allocate(
            fund=fund,
            initiative=InitiativeFactory(),
            amount=D("100.01"),
            purpose="x",
            decision_reference="B-1",
            actor=civil_servant,
        )
    # The Dutch catalogue is filled in later; the money is formatted the Dutch way already.
    assert "€\xa0100,00" in error.value.message_dict["amount"][0]


def test_allocate_disburse_return_close(civil_servant):
    fund = funded("1000.00")
    initiative = InitiativeFactory()
    allocation = allocate(
        fund=fund,
        initiative=initiative,
        amount=D("600.00"),
        purpose="Huur",
        decision_reference="GB-2025-01",
        date=DAY,
        actor=civil_servant,
    )
    assert allocation.history.get().history_user == civil_servant
    services.disburse(allocation=allocation, amount=D("250.00"), date=DAY, actor=civil_servant)
    services.disburse(allocation=allocation, amount=D("250.00"), date=DAY, actor=civil_servant)
    with pytest.raises(ValidationError) as error:
        services.disburse(allocation=allocation, amount=D("100.01"), date=DAY, actor=civil_servant)
    assert "amount" in error.value.message_dict
    services.return_unspent(allocation=allocation, amount=D("50.00"), date=DAY, actor=civil_servant)
    with pytest.raises(ValidationError):
        services.return_unspent(
            allocation=allocation, amount=D("450.01"), date=DAY, actor=civil_servant
        )
    services.close_allocation(allocation=allocation, date=DAY, actor=civil_servant)

    detail = selectors.allocation_detail(allocation.pk)
    assert detail.status == Allocation.Status.CLOSED
    assert detail.open_amount == D("0.00")
    assert detail.paid_amount == D("450.00")
    summary = selectors.fund_summary(fund, year=2025)
    assert summary.available == D("550.00")  # 1000 − 600 + 50 returned + 100 released
    assert summary.allocated == D("0.00")
    assert summary.inflow_this_year == D("1050.00") and summary.outflow_this_year == D("500.00")
    assert summary.per_initiative == [
        {
            "name": initiative.name,
            "slug": initiative.slug,
            "granted": D("600.00"),
            "paid": D("450.00"),
            "open": D("0.00"),
        }
    ]
    with pytest.raises(ValidationError):
        services.disburse(allocation=allocation, amount=D("1.00"), date=DAY, actor=civil_servant)


def test_allocation_above_the_available_balance_is_refused_and_changes_nothing(civil_servant):
    fund = funded("100.00")
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        allocate(
            fund=fund,
            initiative=InitiativeFactory(),
            amount=D("100.01"),
            purpose="x",
            decision_reference="B-1",
            actor=civil_servant,
        )
    assert "amount" in error.value.message_dict
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_reference": "  "}, "decision_reference"),
        ({"purpose": ""}, "purpose"),
        ({"initiative": "ended"}, "initiative"),
    ],
)
def test_an_allocation_needs_a_decision_a_purpose_and_a_live_initiative(
    civil_servant, changes, field
):
    if changes.get("initiative") == "ended":
        changes["initiative"] = InitiativeFactory(status=Initiative.Status.ENDED)
    arguments = {
        "fund": funded("100.00"),
        "initiative": InitiativeFactory(),
        "amount": D("10.00"),
        "purpose": "Huur",
        "decision_reference": "B-1",
        "actor": civil_servant,
        **changes,
    }
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        allocate(**arguments)
    assert field in error.value.message_dict
    assert snapshot() == before


def test_a_reversal_mirrors_the_original_and_says_why(civil_servant):
    fund = funded("100.00")
    original = Transaction.objects.get()
    reversal = services.reverse_transaction(
        transaction=original, reason="Dubbel geboekt", actor=civil_servant
    )
    assert reversal.reversal_of == original and reversal.reason == "Dubbel geboekt"
    assert sorted(reversal.entries.values_list("amount", flat=True)) == sorted(
        -amount for amount in original.entries.values_list("amount", flat=True)
    )
    assert selectors.fund_summary(fund).balance == 0
    with pytest.raises(ValidationError):
        services.reverse_transaction(transaction=original, reason="again", actor=civil_servant)
    with pytest.raises(ValidationError):
        services.reverse_transaction(transaction=reversal, reason="back", actor=civil_servant)


def test_a_reversal_that_would_empty_the_fund_below_zero_is_refused(civil_servant):
    fund = funded("100.00")
    income = Transaction.objects.get()
    allocate(
        fund=fund,
        initiative=InitiativeFactory(),
        amount=D("60.00"),
        purpose="x",
        decision_reference="B",
        actor=civil_servant,
    )
    before = snapshot()
    with pytest.raises(ValidationError):
        services.reverse_transaction(transaction=income, reason="fout", actor=civil_servant)
    assert snapshot() == before


def test_reversing_an_allocation_cancels_it(civil_servant):
    fund = funded("100.00")
    allocation = allocate(
        fund=fund,
        initiative=InitiativeFactory(),
        amount=D("60.00"),
        purpose="x",
        decision_reference="B",
        date=DAY,
        actor=civil_servant,
    )
    services.disburse(allocation=allocation, amount=D("10.00"), date=DAY, actor=civil_servant)
    record = allocation.transactions.get(kind=Transaction.Kind.ALLOCATION)
    with pytest.raises(ValidationError):  # a tranche was paid: reverse that first
        services.reverse_transaction(transaction=record, reason="x", actor=civil_servant)
    tranche = allocation.transactions.get(kind=Transaction.Kind.DISBURSEMENT)
    services.reverse_transaction(
        transaction=tranche, reason="verkeerde rekening", actor=bookkeeper()
    )
    services.reverse_transaction(
        transaction=record, reason="besluit ingetrokken", actor=bookkeeper()
    )
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.CANCELLED
    summary = selectors.fund_summary(fund)
    assert (summary.available, summary.allocated) == (D("100.00"), D("0.00"))
    assert summary.per_initiative == []


@freeze_time("2026-06-15")
def test_the_year_reconciles_opening_plus_in_minus_out_is_closing(civil_servant):
    fund = funded("1000.00")  # 10 January 2025
    allocation = allocate(
        fund=fund,
        initiative=InitiativeFactory(),
        amount=D("700.00"),
        purpose="x",
        decision_reference="B",
        date=datetime.date(2025, 2, 1),
        actor=civil_servant,
    )
    services.disburse(
        allocation=allocation,
        amount=D("300.00"),
        date=datetime.date(2025, 12, 31),
        actor=bookkeeper(),
    )
    services.disburse(
        allocation=allocation,
        amount=D("100.00"),
        date=datetime.date(2026, 1, 2),
        actor=bookkeeper(),
    )
    services.return_unspent(
        allocation=allocation, amount=D("50.00"), date=datetime.date(2026, 1, 3), actor=bookkeeper()
    )
    for year in (2025, 2026):
        summary = selectors.fund_summary(fund, year=year)
        opening = selectors.balance_on(fund, datetime.date(year - 1, 12, 31))
        closing = selectors.balance_on(fund, datetime.date(year, 12, 31))
        assert opening + summary.inflow_this_year - summary.outflow_this_year == closing
    assert selectors.balance_on(fund, datetime.date(2025, 12, 31)) == D("700.00")
    assert selectors.balance_on(None, datetime.date(2026, 12, 31)) == D("650.00")
