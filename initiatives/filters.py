"""The public register's filters (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Area

from . import selectors
from .classifications import Bloedgroep, Phase
from .models import Classification, Initiative


def _classification_filter(scheme: str, label):
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name="classifications",
        queryset=Classification.objects.filter(scheme=scheme).order_by("position"),
        empty_label=_("All"),
    )


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.order_by("name"), empty_label=_("All")
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Phase.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Initiative.Status.choices, empty_label=_("All")
    )
    leefgebied = _classification_filter("leefgebied", _("Area of life"))
    doelgroep = _classification_filter("doelgroep", _("Target group"))
    socialization_doelgroep = _classification_filter(
        "socialization_doelgroep", _("Socialization+ target group")
    )
    werkveld = _classification_filter("werkveld", _("Work field"))
    bloedgroep = django_filters.ChoiceFilter(
        label=_("Blood group"), choices=Bloedgroep.choices, empty_label=_("All")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("naam", _("Name A–Z")),
            ("-naam", _("Name Z–A")),
            ("nieuwste", _("Newest first")),
            ("oudste", _("Oldest first")),
            ("gebied", _("Area")),
        ],
        widget=forms.Select,
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*selectors.SORTS.get(value, ("name",)))
