"""The member list's filters (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import User


class MemberFilter(django_filters.FilterSet):
    """`?q=` searches names and e-mail addresses; `?status=verified|unverified`."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=[("verified", _("Verified")), ("unverified", _("Not verified"))],
        empty_label=_("All"),
    )

    class Meta:
        model = User
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return selectors.search_members(queryset, value)

    def filter_status(self, queryset, name, value):
        return selectors.with_verification_status(queryset, value)
