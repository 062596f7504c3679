"""Reads of the registry, each page with a fixed number of queries."""

from datetime import datetime

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Exists, Func, OuterRef, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from .models import Classification, Initiative, InitiativeImport
from .stemming import SQLITE_FUNCTION, stem, words

# Each order ends with the primary key: a total order, so a row is on exactly one page (two
# initiatives may have the same name) and `common.paging.KeysFirst` may page by keys.
SORTS = {
    "naam": ("name", "pk"),
    "-naam": ("-name", "-pk"),
    "nieuwste": ("-created_at", "name", "pk"),
    "oudste": ("created_at", "name", "pk"),
    "gebied": ("area__name", "name", "pk"),
}


def initiatives_for_list() -> QuerySet[Initiative]:
    """Initiatives with their area and classifications loaded in two extra queries in all."""
    return (
        Initiative.objects.select_related("area")
        .defer("search_vector")
        .prefetch_related(
            Prefetch(
                "classifications", queryset=Classification.objects.order_by("scheme", "position")
            )
        )
    )


def initiatives_for_register() -> QuerySet[Initiative]:
    """Initiatives as the register's page lists them: with their area, and of their
    classifications only the areas of life (`leefgebieden`, in their order), the one scheme the
    page shows; in two extra queries in all."""
    return (
        Initiative.objects.select_related("area")
        .defer("search_vector")
        .prefetch_related(
            Prefetch(
                "classifications",
                queryset=Classification.objects.filter(
                    scheme=Classification.Scheme.LEEFGEBIED
                ).order_by("position"),
                to_attr="leefgebieden",
            )
        )
    )


def register_as_of(moment: datetime) -> QuerySet:
    """The register as it stood at `moment`, from the audit history: one historical row per
    initiative, without those deleted by then.

    An initiative's row is its latest record by date and, for records with the same date (a
    back-dated history, or two records in one instant), by record number. simple-history's own
    `as_of` keeps every record of that date, so it counts such an initiative twice.
    """
    records = Initiative.history.model.objects.filter(history_date__lte=moment)
    later = records.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return records.filter(~Exists(later)).exclude(history_type="-")


def search(queryset: QuerySet[Initiative], text: str) -> QuerySet[Initiative]:
    """Full-text search over name, summary and description.

    PostgreSQL uses its Dutch text search (stemming: "buurthuizen" finds "buurthuis"); SQLite
    (`make run`) matches every word as a substring or by its Dutch Snowball stem, both ways.
    """
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # The stored, GIN-indexed column (models.SEARCH_VECTOR_SQL, kept by a trigger); a part
        # of a name ("tuin" in "Moestuinproject") still matches as before.
        query = SearchQuery(text, config="dutch", search_type="websearch")
        return queryset.filter(Q(search_vector=query) | Q(name__icontains=text))
    # SQLite: every word must match, as a substring or by its Dutch stem (see stemming.py).
    queryset = queryset.annotate(
        search_stems=Func(
            Concat("name", Value(" "), "summary", Value(" "), "description"),
            function=SQLITE_FUNCTION,
            output_field=TextField(),
        )
    )
    for word in words(text):
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(search_stems__contains=f" {stem(word)} ")
        )
    return queryset


def classification_choices(scheme: str) -> QuerySet[Classification]:
    return Classification.objects.filter(scheme=scheme).order_by("position")


def initiative_detail(slug: str) -> Initiative:
    return initiatives_for_list().get(slug=slug)


def imports() -> QuerySet[InitiativeImport]:
    return InitiativeImport.objects.select_related("uploaded_by")


def history_of(initiative: Initiative, limit: int = 50) -> list[dict]:
    """The audit trail, newest first: who, when, and which fields changed from what to what.

    Four queries however long the trail: the records with their user and area, the
    classifications of every record, and the classifications' labels.
    """
    records = list(
        initiative.history.select_related("history_user", "area").order_by(
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    chosen = _classifications_of(records)
    labels = {c.pk: c for c in Classification.objects.all()} if records else {}
    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older, excluded_fields=["classifications"])
            for change in delta.changes:
                field = Initiative._meta.get_field(change.field)
                old, new = _display(record, older, change)
                changes.append({"field": field.verbose_name, "old": old, "new": new})
            before, after = chosen[older.history_id], chosen[record.history_id]
            if before != after:
                field = Initiative._meta.get_field("classifications")
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _classification_labels(before, labels),
                        "new": _classification_labels(after, labels),
                    }
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.history_type,
                "changes": changes,
            }
        )
    return entries


def _classifications_of(records) -> dict[int, list[int]]:
    """{history id: the sorted ids of the classifications the record kept} (one query)."""
    chosen: dict[int, list[int]] = {record.history_id: [] for record in records}
    if records:
        rows = (
            records[0]
            .classifications.model.objects.filter(history__in=list(chosen))
            .order_by("classification")
            .values_list("history", "classification")
        )
        for history_id, classification_id in rows:
            chosen[history_id].append(classification_id)
    return chosen


def _display(record, older, change) -> tuple[str, str]:
    field = Initiative._meta.get_field(change.field)
    if field.choices:
        labels = dict(field.flatchoices)
        return str(labels.get(change.old, change.old or "")), str(
            labels.get(change.new, change.new or "")
        )
    if field.is_relation:
        return str(getattr(older, change.field) or ""), str(getattr(record, change.field) or "")
    return str(change.old or ""), str(change.new or "")


def _classification_labels(ids: list[int], classifications: dict[int, Classification]) -> str:
    found = [classifications[pk] for pk in ids if pk in classifications]
    # Semicolons: a label may hold a comma ("Zelfhulpgroepen, lotgenoten").
    return "; ".join(str(c.label) for c in sorted(found, key=lambda c: (c.scheme, c.position)))
