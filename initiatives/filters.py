"""The public register's filters (django-filter)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from accounts.models import Area

from . import selectors
from .classifications import Bloedgroep, Phase
from .models import Classification, Initiative


class _OneQuery(fields.ModelChoiceIterator):
    """A drop-down's options from one ordinary query, or from the rows the form read for all
    its classification lists at once (`_ModelChoiceField.loaded`).

    Django reads a model's choices with `QuerySet.iterator()`, which on PostgreSQL is a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips, for a list of a few dozen
    areas or classifications; the register's filter form has five such lists.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        loaded = self.field.loaded
        for obj in self.queryset.all() if loaded is None else loaded:
            yield self.choice(obj)


class _ModelChoiceField(fields.ModelChoiceField):
    iterator = _OneQuery
    # The options, when the form read them already (`InitiativeFilter.form`: the four
    # classification lists in one query); None: the field reads its queryset.
    loaded: list | None = None

    def to_python(self, value):
        """The chosen option, found among the loaded ones (no query); as Django's otherwise."""
        loaded = self.loaded
        if loaded is None or value in self.empty_values or value == self.null_value:
            return super().to_python(value)
        invalid = ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
        try:
            key = int(str(value))  # as the primary key's field reads it ("34", " 34")
        except ValueError:
            raise invalid from None
        for obj in loaded:
            if obj.pk == key:
                return obj
        raise invalid


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ModelChoiceField


# The filters of the classification schemes: each named as its scheme.
CLASSIFICATION_FILTERS = ("leefgebied", "doelgroep", "socialization_doelgroep", "werkveld")


def _classification_filter(scheme: str, label):
    return ModelChoiceFilter(
        label=label,
        field_name="classifications",
        queryset=Classification.objects.filter(scheme=scheme).order_by("position"),
        empty_label=_("All"),
    )


# The register's order when none is chosen: the first of "Sort by", sent with every search.
DEFAULT_SORT = "naam"


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    area = ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.order_by("name"), empty_label=_("All")
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Phase.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Initiative.Status.choices, empty_label=_("All")
    )
    leefgebied = _classification_filter("leefgebied", _("Area of life"))
    doelgroep = _classification_filter("doelgroep", _("Target group cluster"))
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
            (DEFAULT_SORT, _("Name A–Z")),
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

    @property
    def form(self):
        if hasattr(self, "_form"):
            return self._form
        form = super().form
        # The four classification lists in one query instead of four, each in its own order.
        loaded: dict[str, list] = {scheme: [] for scheme in CLASSIFICATION_FILTERS}
        for row in Classification.objects.filter(scheme__in=loaded).order_by("scheme", "position"):
            loaded[row.scheme].append(row)
        for scheme, rows in loaded.items():
            form.fields[scheme].loaded = rows
        # The group's own name stays (seed 000); a resident reads what it means beside it. On
        # the form, not the filter: the API describes the parameter by its label.
        form.fields["bloedgroep"].help_text = _(
            "Blood group: what kind of people or organisation is behind the initiative, such as "
            "a collective or a social entrepreneur (the VNG's classification)."
        )
        form.fields["socialization_doelgroep"].help_text = _(
            "Human Resourcefulness (HRs): people with talent that is not yet used, such as "
            "skills, resilience and life experience."
        )
        return form

    def filter_search(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*selectors.SORTS.get(value, ("name",)))
