"""The contract list's filters (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Contract


class ContractFilter(django_filters.FilterSet):
    """`?q=` searches the reference, the title and the contractor's name."""

    q = django_filters.CharFilter(label=_("Reference, title or contractor"), method="filter_search")

    class Meta:
        model = Contract
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(contractor__name__icontains=value)
        )
