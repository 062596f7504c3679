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

# The filters of the classification schemes: each named as its scheme.
CLASSIFICATION_FILTERS = ("leefgebied", "doelgroep", "socialization_doelgroep", "werkveld")


class _OneQuery(fields.ModelChoiceIterator):
    """A drop-down's options from one ordinary query, or from the rows the form read for all
    its classification lists at once (`_Lists`).

    Django reads a model's choices with `QuerySet.iterator()`, which on PostgreSQL is a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips, for a list of a few dozen
    areas or classifications; the register's filter form has five such lists.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        loaded = self.field.loaded()
        for obj in self.queryset.all() if loaded is None else loaded:
            yield self.choice(obj)

    def __len__(self):
        loaded = self.field.loaded()
        if loaded is None:
            return super().__len__()
        return len(loaded) + sum(
            label is not None for label in (self.field.empty_label, self.field.null_label)
        )

    def __bool__(self):
        loaded = self.field.loaded()
        return super().__bool__() if loaded is None else len(self) > 0


class _Lists:
    """The register's four classification lists, read together in one query when the first of
    them is needed (rendered, or a chosen value checked); not at all when none is."""

    def __init__(self) -> None:
        self._rows: dict[str, list] | None = None

    def of(self, scheme: str) -> list:
        if self._rows is None:
            rows: dict[str, list] = {scheme: [] for scheme in CLASSIFICATION_FILTERS}
            lists = Classification.objects.filter(scheme__in=CLASSIFICATION_FILTERS)
            for row in lists.order_by("scheme", "position"):
                rows[row.scheme].append(row)
            self._rows = rows
        return self._rows[scheme]


class _ModelChoiceField(fields.ModelChoiceField):
    iterator = _OneQuery
    # The lists the field's options come from, and its scheme, when the form gave them
    # (`InitiativeFilter.form`); None: the field reads its own queryset.
    lists: _Lists | None = None
    scheme = ""

    def loaded(self) -> list | None:
        """The options from the form's lists, or None (then from the queryset)."""
        return None if self.lists is None else self.lists.of(self.scheme)

    def to_python(self, value):
        """The chosen option, found among the loaded ones (no query); as Django's otherwise."""
        if self.lists is None or value in self.empty_values or value == self.null_value:
            return super().to_python(value)
        loaded = self.loaded()
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
        lists = _Lists()
        for scheme in CLASSIFICATION_FILTERS:
            form.fields[scheme].lists, form.fields[scheme].scheme = lists, scheme
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
