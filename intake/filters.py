"""The intake overview's filters (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from initiatives.classifications import Phase
from initiatives.models import Initiative

from . import selectors


class OverviewFilter(django_filters.FilterSet):
    """Filters on `selectors.overview()`; a value that does not fit is left out, the rest apply."""

    support_need = django_filters.ChoiceFilter(
        label=_("Support need"), method="filter_support_need", empty_label=_("All")
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Phase.choices, empty_label=_("All")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.all(), method="filter_area", empty_label=_("All")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("naam", _("Name")),
            ("-score", _("Composite score, highest first")),
            ("score", _("Composite score, lowest first")),
            ("datum", _("Latest intake first")),
        ],
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The support needs are rows of the questionnaire, read when the page is asked for.
        self.filters["support_need"].extra["choices"] = [
            (option.code, option.label) for option in selectors.support_need_options()
        ]

    def filter_support_need(self, queryset, name, value):
        return selectors.with_support_need(queryset, value)

    def filter_area(self, queryset, name, value):
        return selectors.in_area(queryset, value)

    def filter_sort(self, queryset, name, value):
        return selectors.sorted_overview(queryset, value)
