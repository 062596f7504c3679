"""The proposal list's filters (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Proposal


class ProposalFilter(django_filters.FilterSet):
    """`?status=` one of the proposal statuses; another value is ignored."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Proposal.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Proposal
        fields: list[str] = []
