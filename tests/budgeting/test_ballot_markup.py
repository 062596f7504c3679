"""The online ballot looks like the rest of the site: every plan an NL Design System (Utrecht)
checkbox with its own label (title and amount), a tick kept after a refusal, and it submits."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from budgeting.models import Ballot, Round
from tests.budgeting.factories import resident_of, round_in

pytestmark = pytest.mark.django_db


class _Fields(HTMLParser):
    """The ballot's checkboxes (attributes by id) and the text of each label (by its `for`)."""

    def __init__(self):
        super().__init__()
        self.boxes: dict[str, dict] = {}
        self.labels: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "checkbox" and attrs.get("name") == "plans":
            self.boxes[attrs["id"]] = attrs
        elif tag == "label" and "for" in attrs:
            self._label = attrs["for"]
            self.labels[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data


def _fields(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


@pytest.fixture
def voting(area, civil_servant):
    author = resident_of(area, civil_servant, "indiener")
    return round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant, author=author,
                    costs=(1000, 2500, 3000, 4000))  # fmt: skip


def test_every_plan_is_a_labelled_utrecht_checkbox_with_its_amount(
    client, voting, community_member
):
    client.force_login(community_member)
    response = client.get(reverse("budgeting:ballot", args=[voting.pk]))
    assert response.status_code == 200
    assert "budgeting/partials/ballot_plans.html" in [t.name for t in response.templates]
    fields = _fields(response.content.decode())
    plans = list(voting.plans.filter(number__isnull=False).order_by("number"))
    assert len(fields.boxes) == len(plans) == 4
    for plan in plans:
        box = fields.boxes[f"plan-{plan.pk}"]
        assert box["value"] == str(plan.pk)
        classes = box["class"].split()
        # the site's checkbox, styled by the theme (not the browser's own)
        assert {"utrecht-checkbox", "utrecht-checkbox--html-input"} <= set(classes)
        assert "utrecht-checkbox--custom" in classes
        assert "checked" not in box
        # the label belongs to this box and names the plan and what it costs
        label = " ".join(fields.labels[box["id"]].split())
        assert f"{plan.number}. {plan.title}" in label
        assert f"€\xa0{int(plan.vote_cost):,}".replace(",", ".") in label.replace(" ", "\xa0")
        assert box["aria-describedby"] == f"plan-{plan.pk}-text"


def test_a_refused_ballot_keeps_the_ticks(client, voting, community_member):
    client.force_login(community_member)
    plans = list(voting.plans.filter(number__isnull=False).order_by("number"))
    chosen = [plans[0].pk, plans[2].pk]  # the round asks at least 3
    response = client.post(reverse("budgeting:ballot", args=[voting.pk]), {"plans": chosen})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="errors"' in html and 'id="ballot-errors"' in html
    fields = _fields(html)
    ticked = {pk for pk in (p.pk for p in plans) if "checked" in fields.boxes[f"plan-{pk}"]}
    assert ticked == set(chosen)
    assert all(box.get("aria-invalid") == "true" for box in fields.boxes.values())
    assert not Ballot.objects.exists()


def test_the_ballot_still_submits(client, voting, community_member):
    client.force_login(community_member)
    plans = list(voting.plans.filter(number__isnull=False).order_by("number"))
    chosen = [p.pk for p in plans[:3]]
    response = client.post(reverse("budgeting:ballot", args=[voting.pk]), {"plans": chosen})
    assert response.status_code == 302 and response.url == voting.get_absolute_url()
    ballot = Ballot.objects.get(round=voting, voter=community_member)
    assert sorted(ballot.choices.values_list("plan_id", flat=True)) == sorted(chosen)


def test_the_stylesheet_gives_each_plan_a_large_target_and_a_visible_focus():
    css = Path(finders.find("css/burgerkracht.css")).read_text(encoding="utf-8")
    assert ".bk-ballot-plan__label::after" in css and "inset: 0" in css
    assert ".bk-ballot-plan:has(.utrecht-checkbox:focus-visible)" in css
