"""Every write in the registry: initiatives, areas and imports, each with its audit trail."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Area, User
from common.services import service

from . import tabular
from .classifications import MULTI_SCHEMES
from .models import Classification, Initiative, InitiativeImport, initiative_history

INITIATIVE_FIELDS = [
    "name",
    "summary",
    "description",
    "area",
    "initiator_type",
    "organisation_form",
    "phase",
    "start_date",
    "status",
    "website",
    "bloedgroep",
    "government_relation",
    "contact_name",
    "contact_email",
    "contact_phone",
]


def ensure_classifications() -> None:
    """Make sure every value of `classifications.MULTI_SCHEMES` has its row (idempotent)."""
    existing = set(Classification.objects.values_list("scheme", "code"))
    Classification.objects.bulk_create(
        Classification(scheme=scheme, code=value, position=position)
        for scheme, choices in MULTI_SCHEMES.items()
        for position, value in enumerate(choices.values)
        if (scheme, value) not in existing
    )


def unique_slug(name: str, *, exclude_pk: int | None = None, taken: set[str] | None = None) -> str:
    """A slug from the name, with -2, -3, … when it is taken."""
    base = slugify(name)[:200] or "initiatief"
    existing = set(
        Initiative.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | (taken or set())
    slug, n = base, 1
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _validate(initiative: Initiative) -> None:
    try:
        initiative.full_clean(exclude=["slug"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _save_with_history(
    initiative: Initiative, classifications: list[Classification] | None, *, created: bool
) -> None:
    """Save fields and classifications, then write one audit row holding both (its user is the
    service's actor, `common.services.audit_user`)."""
    initiative.skip_history_when_saving = True
    try:
        initiative.save()
        if classifications is not None:
            initiative.classifications.set(classifications)
    finally:
        del initiative.skip_history_when_saving
    initiative_history.create_historical_record(initiative, "+" if created else "~")


@service("initiatives.manage_initiatives")
def create_initiative(
    *, actor: User, classifications: list[Classification] | None = None, **fields
) -> Initiative:
    """Register an initiative; `fields` are model fields (see INITIATIVE_FIELDS)."""
    unknown = set(fields) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    initiative = Initiative(**fields, created_by=actor)
    initiative.slug = unique_slug(initiative.name)
    _validate(initiative)
    _save_with_history(initiative, classifications or [], created=True)
    return initiative


@service("initiatives.manage_initiatives", obj="initiative")
def update_initiative(
    *,
    initiative: Initiative,
    actor: User,
    classifications: list[Classification] | None = None,
    **fields,
) -> Initiative:
    """Change an initiative's fields (and, when given, its classifications)."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    for name, value in fields.items():
        if name not in INITIATIVE_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(initiative, name, value)
    _validate(initiative)
    _save_with_history(initiative, classifications, created=False)
    return initiative


@service("initiatives.manage_initiatives", obj="initiative")
def close_initiative(*, initiative: Initiative, actor: User) -> Initiative:
    """Mark an initiative as ended (beëindigd); it stays in the register and its history."""
    if initiative.status == Initiative.Status.ENDED:
        raise ValidationError(_("This initiative has already ended."))
    return update_initiative(initiative=initiative, actor=actor, status=Initiative.Status.ENDED)


@service("initiatives.manage_areas", obj="area")
def save_area(*, actor: User, area: Area | None = None, name: str, kind: str, parent=None) -> Area:
    """Create or change an area of the municipality."""
    area = area or Area()
    area.name = name.strip()
    area.kind = kind
    area.parent = parent
    if not area.slug:
        area.slug = slugify(area.name) or "gebied"
    if parent is not None and area.pk and parent.pk == area.pk:
        raise ValidationError({"parent": _("An area cannot be part of itself.")})
    try:
        area.full_clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    area.save()
    return area


# --- Import ---------------------------------------------------------------------------------


def check_import_file(content: bytes, filename: str) -> list[tabular.ParsedRow]:
    """Read and check every row of a register file; raises FileProblem for an unreadable file."""
    table = tabular.read_table(content, filename)
    areas: dict[str, Area] = {}
    for area in Area.objects.all():
        areas[area.name.casefold()] = area
        areas[area.slug.casefold()] = area
    existing = {name.casefold() for name in Initiative.objects.values_list("name", flat=True)}
    seen: dict[str, int] = {}
    rows = []
    for line, raw in table:
        row = tabular.parse_row(line, raw, areas)
        key = raw.get("naam", "").casefold()
        if key in existing:
            row.errors.append(_("An initiative with this name is already registered."))
        elif key and key in seen:
            row.errors.append(
                _("The same name is on line %(line)d of this file.") % {"line": seen[key]}
            )
        if key:
            seen.setdefault(key, line)
        if not row.errors:
            candidate = Initiative(**row.data)
            # No query per row: a named area is one of the areas read above, and the model's
            # one constraint (a name) is also its field's own check.
            exclude = ["slug", "area"] if row.data.get("area") is not None else ["slug"]
            try:
                candidate.full_clean(exclude=exclude, validate_constraints=False)
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    column = _column_for(field_name)
                    row.errors.extend(f"{column}: {m}" for m in messages)
        rows.append(row)
    return rows


def _column_for(field_name: str) -> str:
    for mapping in (tabular.TEXT_COLUMNS, tabular.PERSONAL_COLUMNS):
        for column, attr in mapping.items():
            if attr == field_name:
                return column
    for column, (attr, _choices) in tabular.CHOICE_COLUMNS.items():
        if attr == field_name:
            return column
    return {"start_date": "startdatum", "area": "gebied"}.get(field_name, field_name)


@service("initiatives.import_initiatives")
def upload_import(
    *, actor: User, uploaded_file
) -> tuple[InitiativeImport, list[tabular.ParsedRow]]:
    """Keep an uploaded file and check it; nothing is imported yet."""
    content = uploaded_file.read()
    rows = check_import_file(content, uploaded_file.name)  # raises FileProblem
    uploaded_file.seek(0)
    upload = InitiativeImport.objects.create(
        file=uploaded_file,
        original_name=uploaded_file.name[:255],
        uploaded_by=actor,
        row_count=len(rows),
        error_count=sum(1 for row in rows if row.errors),
    )
    return upload, rows


def rows_of(upload: InitiativeImport) -> list[tabular.ParsedRow]:
    with upload.file.open("rb") as f:
        return check_import_file(f.read(), upload.original_name)


@service("initiatives.import_initiatives", obj="upload")
def run_import(*, upload: InitiativeImport, actor: User, only_valid: bool) -> int:
    """Import the rows of a checked file in one transaction; returns how many were created.

    With errors in the file, nothing is imported unless the user chose `only_valid`.
    The file is checked again here, so a register changed since the preview is taken into account.
    """
    upload = InitiativeImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != InitiativeImport.Status.PREVIEW:
        raise ValidationError(_("This file has already been imported or cancelled."))
    rows = rows_of(upload)
    bad = [row for row in rows if row.errors]
    if bad and not only_valid:
        raise ValidationError(
            ngettext(
                "%(count)d row has errors; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                len(bad),
            )
            % {"count": len(bad)}
        )
    by_scheme = {(c.scheme, c.code): c for c in Classification.objects.all()}
    taken: set[str] = set()
    created = 0
    for row in rows:
        if row.errors:
            continue
        fields = {k: v for k, v in row.data.items() if v is not None}
        initiative = Initiative(**fields, created_by=actor)
        initiative.slug = unique_slug(initiative.name, taken=taken)
        taken.add(initiative.slug)
        classifications = [
            by_scheme[(scheme, code)]
            for scheme, codes in row.classifications.items()
            for code in codes
        ]
        _save_with_history(initiative, classifications, created=True)
        created += 1
    upload.status = InitiativeImport.Status.IMPORTED
    upload.imported_count = created
    upload.imported_at = timezone.now()
    upload.save(update_fields=["status", "imported_count", "imported_at"])
    return created


@service("initiatives.import_initiatives", obj="upload")
def cancel_import(*, upload: InitiativeImport, actor: User) -> None:
    """Drop a checked file that was not imported; an imported file stays as it is."""
    upload = InitiativeImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status == InitiativeImport.Status.PREVIEW:
        upload.status = InitiativeImport.Status.CANCELLED
        upload.save(update_fields=["status"])
