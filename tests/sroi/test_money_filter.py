"""The `money` filter: a negative amount keeps its minus beside the euro sign."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(value) -> str:
    with translation.override("nl"):
        template = Template("{% load sroi_tags %}<td>{{ value|money }}</td>")
        return template.render(Context({"value": value}))


def test_a_negative_amount_is_kept_on_one_line():
    # a browser may break a line between "−" and "€" (U+2212 and U+20AC); the span forbids it
    assert render(Decimal("-30000")) == '<td><span class="bk-nowrap">−€\xa030.000,00</span></td>'


def test_a_positive_amount_and_nothing_are_plain_text():
    assert render(Decimal("30000")) == "<td>€\xa030.000,00</td>"
    assert render(None) == "<td>–</td>"
