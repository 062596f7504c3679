"""The register's columns: stable Dutch machine names, which are public, which an import needs."""

from django.db.models import TextChoices

from ..classifications import Bloedgroep, GovernmentRelation, InitiatorType, OrganisationForm, Phase
from ..models import Initiative

MULTI_SEPARATOR = ";"


# column name -> single-choice field and its choices
CHOICE_COLUMNS: dict[str, tuple[str, type[TextChoices]]] = {
    "initiatiefnemer": ("initiator_type", InitiatorType),
    "organisatievorm": ("organisation_form", OrganisationForm),
    "fase": ("phase", Phase),
    "status": ("status", Initiative.Status),
    "bloedgroep": ("bloedgroep", Bloedgroep),
    "verhouding_overheid": ("government_relation", GovernmentRelation),
}


# column name -> classification scheme
MULTI_COLUMNS: dict[str, str] = {
    "werkvelden": "werkveld",
    "doelgroepen": "doelgroep",
    "toegevoegde_waarde": "toegevoegde_waarde",
    "drempels": "drempel",
    "socialization_doelgroepen": "socialization_doelgroep",
    "leefgebieden": "leefgebied",
}


TEXT_COLUMNS: dict[str, str] = {
    "naam": "name",
    "samenvatting": "summary",
    "beschrijving": "description",
    "website": "website",
}


PERSONAL_COLUMNS: dict[str, str] = {
    "contactpersoon": "contact_name",
    "contact_email": "contact_email",
    "contact_telefoon": "contact_phone",
}


PUBLIC_COLUMNS = [
    "naam",
    "slug",
    "samenvatting",
    "beschrijving",
    "gebied",
    "initiatiefnemer",
    "organisatievorm",
    "fase",
    "startdatum",
    "status",
    "website",
    "bloedgroep",
    "verhouding_overheid",
    *MULTI_COLUMNS,
]


ALL_COLUMNS = [*PUBLIC_COLUMNS, *PERSONAL_COLUMNS, "geregistreerd_op"]


REQUIRED_IMPORT_COLUMNS = [
    "naam",
    "samenvatting",
    "gebied",
    "initiatiefnemer",
    "organisatievorm",
    "fase",
]


IMPORT_COLUMNS = [c for c in ALL_COLUMNS if c not in ("slug", "geregistreerd_op")]
