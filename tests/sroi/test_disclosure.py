"""The public table of realisations (`sroi.disclosure`): groups of at least OPEN_DATA_MIN_COUNT
persons, smaller ones folded into "other" with a second group where needed, values adding up."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sroi import disclosure
from sroi.disclosure import _Group, fold
from sroi.models import Realisation, TargetGroup
from tests.sroi.factories import ContractFactory, block

pytestmark = pytest.mark.django_db

D = Decimal
MOMENT = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)


def placements(contract, code, group, persons, *, value="1000.00", moment=MOMENT, prefix=""):
    return Realisation.objects.bulk_create(
        Realisation(
            contract=contract,
            block=block(code),
            target_group=group,
            person_reference=f"{prefix}{code}-{group}-{i}",
            start_date=datetime.date(2025, 1, 1),
            months=D("12"),
            hours_per_week=D("36"),
            value=D(value),
            status=Realisation.Status.VERIFIED,
            decided_at=moment,
        )
        for i in range(persons)
    )


def _cells(contract):
    return disclosure.published_cells(
        Realisation.objects.filter(contract=contract, status=Realisation.Status.VERIFIED)
    )


def test_a_group_under_the_threshold_is_not_shown_and_a_second_group_is_folded_with_it():
    # given 6 students, 5 job seekers on WW and 1 descendant of the slavery past on mbo BBL
    contract = ContractFactory()
    placements(contract, "mbo-bbl", TargetGroup.STUDENT, 6)
    placements(contract, "ww", TargetGroup.UNEMPLOYMENT, 5, value="2000.00")
    placements(contract, "mbo-bbl", TargetGroup.DESCENDANTS, 1, value="62144.44")
    # when
    cells = _cells(contract)
    # then the descendant is in no cell of its own, nor is the target group named anywhere
    assert TargetGroup.DESCENDANTS not in {cell.target_group for cell in cells}
    # and the smallest shown group (5 on WW) is folded with it, so "other" holds 6 persons and
    # its value is not that of the one person
    other = [cell for cell in cells if cell.folded]
    assert len(other) == 1
    assert other[0].persons == 6
    assert other[0].value == D("62144.44") + 5 * D("2000.00")
    shown = [cell for cell in cells if not cell.folded]
    assert [(cell.target_group, cell.persons) for cell in shown] == [(TargetGroup.STUDENT, 6)]
    # and everything adds up to what was verified
    assert sum(cell.value for cell in cells) == D("6000.00") + D("10000.00") + D("62144.44")


def test_a_contract_with_fewer_persons_than_the_threshold_publishes_only_its_total():
    contract = ContractFactory()
    placements(contract, "mbo-bbl", TargetGroup.DESCENDANTS, 1, value="62144.44")
    placements(contract, "participatiewet", TargetGroup.PARTICIPATIEWET, 1, value="50000.00")
    [cell] = _cells(contract)
    assert cell.folded
    assert (cell.block, cell.target_group, cell.persons, cell.realisations) == (None,) * 4
    assert cell.person_years is None
    assert cell.value == D("112144.44")


def test_purchases_are_not_about_persons_and_stay_cells_of_their_own():
    contract = ContractFactory()
    Realisation.objects.create(
        contract=contract,
        block=block("inkoop-sociale-onderneming"),
        target_group=TargetGroup.OTHER,
        start_date=datetime.date(2025, 1, 1),
        invoice_amount=D("3000.00"),
        value=D("3000.00"),
        status=Realisation.Status.VERIFIED,
        decided_at=MOMENT,
    )
    [cell] = _cells(contract)
    assert not cell.folded and not cell.about_persons
    assert (cell.block_code, cell.target_group, cell.persons) == (
        "inkoop-sociale-onderneming",
        None,
        None,
    )
    assert cell.value == D("3000.00")


def test_years_are_cells_of_their_own(settings):
    settings.OPEN_DATA_MIN_COUNT = 2
    contract = ContractFactory()
    placements(contract, "ww", TargetGroup.UNEMPLOYMENT, 2)
    placements(
        contract,
        "ww",
        TargetGroup.UNEMPLOYMENT,
        2,
        moment=MOMENT.replace(year=2026),
        prefix="b",
    )
    assert [(cell.year, cell.persons) for cell in _cells(contract)] == [(2025, 2), (2026, 2)]


def test_the_public_table_takes_one_query(django_assert_num_queries):
    contract = ContractFactory()
    placements(contract, "ww", TargetGroup.UNEMPLOYMENT, 12)
    with django_assert_num_queries(1):
        _cells(contract)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=8),
    threshold=st.integers(min_value=2, max_value=6),
)
def test_fold_never_shows_a_small_group_nor_a_small_other_next_to_shown_groups(sizes, threshold):
    groups = []
    for index, size in enumerate(sizes):
        group = _Group(key=(index, f"b{index}", "g"), about_persons=True)
        group.people = {f"{index}-{person}" for person in range(size)}
        groups.append(group)
    shown, folded = fold(groups, threshold)
    # every group is either shown or folded, once
    assert sorted(g.key for g in shown + folded) == sorted(g.key for g in groups)
    # a shown group holds at least the threshold
    assert all(len(g.people) >= threshold for g in shown)
    # "other" holds at least the threshold, or it is all there is (then only the total shows)
    persons = sum(len(g.people) for g in folded)
    assert not folded or persons >= threshold or not shown
    # and one suppressed group is never alone in "other" next to shown groups
    assert not (len(folded) == 1 and shown and len(folded[0].people) < threshold)
