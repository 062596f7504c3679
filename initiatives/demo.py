"""The demo scenario's initiatives: from the Socialization+ seed and the VNG publication."""

from datetime import date, datetime

from django.utils import timezone

from accounts.models import Area

from .classifications import (
    AddedValue,
    Bloedgroep,
    GovernmentRelation,
    InitiatorType,
    Leefgebied,
    OrganisationForm,
    Phase,
    SocializationTargetGroup,
    TargetGroupCluster,
    Threshold,
    Werkveld,
)
from .models import Classification, Initiative

DEMO_INITIATIVES = [
    {
        "slug": "community-home-24-7",
        "name": "Community Home 24/7",
        "summary": "Een huis in Zuidoost dat dag en nacht open is voor bewoners die instanties mijden.",
        "description": "Laagdrempelige opvang, ontmoeting en hulp door ervaringsdeskundigen, "
        "voor en door de community. Systeemgedupeerden vinden hier een eerste plek.",
        "area": "bijlmer-centrum",
        "initiator_type": InitiatorType.RESIDENTS,
        "organisation_form": OrganisationForm.FOUNDATION,
        "phase": Phase.START_UP,
        "start_date": date(2025, 3, 1),
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.COLLECTIVES,
        "government_relation": GovernmentRelation.WITH_GOVERNMENT,
        "classes": [
            ("leefgebied", Leefgebied.SAFETY),
            ("leefgebied", Leefgebied.CARE),
            ("leefgebied", Leefgebied.HOUSING),
            ("socialization_doelgroep", SocializationTargetGroup.SYSTEM_HARMED),
            ("socialization_doelgroep", SocializationTargetGroup.DESCENDANTS_OF_SLAVERY),
            ("werkveld", Werkveld.SOCIAL_COHESION),
            ("doelgroep", TargetGroupCluster.FAMILY),
            ("toegevoegde_waarde", AddedValue.ALTERNATIVE_PROVIDERS),
            ("drempel", Threshold.FIRST_FOLLOWERS),
            ("drempel", Threshold.ATTENTION),
        ],
    },
    {
        "slug": "socialization-plus-expertisenetwerk",
        "name": "Socialization+ expertisenetwerk",
        "summary": "Een netwerk van ervaringsdeskundigen en Human Resourcefulness dat kennis deelt en verbindt.",
        "description": "Kennis, kwalificatie en welzijn vloeien terug naar de community.",
        "area": "zuidoost",
        "initiator_type": InitiatorType.SOCIAL_ENTREPRENEUR,
        "organisation_form": OrganisationForm.FOUNDATION,
        "phase": Phase.START_UP,
        "start_date": date(2024, 9, 1),
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.SOCIAL_ENTREPRENEURS,
        "government_relation": GovernmentRelation.JOINT,
        "classes": [
            ("leefgebied", Leefgebied.IDENTITY),
            ("leefgebied", Leefgebied.FUTURE),
            ("socialization_doelgroep", SocializationTargetGroup.HUMAN_RESOURCEFULNESS),
            ("werkveld", Werkveld.SUPPORTING_INITIATIVES),
            ("toegevoegde_waarde", AddedValue.AMPLIFIERS),
        ],
    },
    {
        "slug": "leer-werkplekken-ontwikkelhub",
        "name": "Leer-werkplekken + Ontwikkelhub",
        "summary": "Leer-werkplekken bij de bouw van het Slavernijmuseum en een hub voor ontwikkeling.",
        "description": "Lerend verdienen: BBL-plekken en begeleiding voor jongeren en werkzoekenden.",
        "area": "bijlmer-oost",
        "initiator_type": InitiatorType.CIVIL_SOCIETY,
        "organisation_form": OrganisationForm.FOUNDATION,
        "phase": Phase.IDEA,
        "status": Initiative.Status.REGISTERED,
        "bloedgroep": Bloedgroep.SOCIAL_ENTREPRENEURS,
        "government_relation": GovernmentRelation.JOINT,
        "classes": [
            ("leefgebied", Leefgebied.WORK),
            ("leefgebied", Leefgebied.EDUCATION),
            ("leefgebied", Leefgebied.INCOME),
            ("werkveld", Werkveld.TALENT_DEVELOPMENT),
            ("doelgroep", TargetGroupCluster.YOUNG_PERSON),
            ("doelgroep", TargetGroupCluster.JOB_SEEKER),
        ],
    },
    {
        "slug": "jongerenraad-zuidoost",
        "name": "Jongerenraad Zuidoost",
        "summary": "Jongeren kijken mee, praten mee en beslissen mee over het gemeenschapsfonds.",
        "description": "",
        "area": "zuidoost",
        "initiator_type": InitiatorType.RESIDENTS,
        "organisation_form": OrganisationForm.NO_LEGAL_ENTITY,
        "phase": Phase.IDEA,
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.CITIZEN_WITH_INITIATIVE,
        "government_relation": GovernmentRelation.WITH_GOVERNMENT,
        "classes": [
            ("leefgebied", Leefgebied.FUTURE),
            ("werkveld", Werkveld.YOUTH_NETWORKS),
            ("doelgroep", TargetGroupCluster.YOUNG_PERSON),
        ],
    },
    {
        "slug": "burenmarkt-gaasperdam",
        "name": "Burenmarkt Gaasperdam",
        "summary": "Een marktplaats waar buren in Gaasperdam hulp vragen en hulp aanbieden.",
        "description": "Vraag en aanbod van buren gemakkelijk bij elkaar brengen, naar het "
        "voorbeeld van BUUV in Haarlem.",
        "area": "gaasperdam",
        "initiator_type": InitiatorType.SOCIAL_ENTREPRENEUR,
        "organisation_form": OrganisationForm.FOUNDATION,
        "phase": Phase.MATURING,
        "start_date": date(2021, 4, 1),
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.SOCIAL_ENTREPRENEURS,
        "government_relation": GovernmentRelation.WITH_GOVERNMENT,
        "classes": [
            ("werkveld", Werkveld.EXCHANGE_NETWORKS),
            ("werkveld", Werkveld.SOCIAL_COHESION),
            ("toegevoegde_waarde", AddedValue.DEMAND_REDUCERS),
            ("leefgebied", Leefgebied.CARE),
            ("drempel", Threshold.PROFESSIONALISATION),
        ],
    },
    {
        "slug": "huishoudcoaches-bijlmer-oost",
        "name": "Huishoudcoaches Bijlmer-Oost",
        "summary": "Vrijwillige coaches helpen gezinnen in Bijlmer-Oost hun huishouden en geldzaken op "
        "orde te krijgen.",
        "description": "",
        "area": "bijlmer-oost",
        "initiator_type": InitiatorType.CIVIL_SOCIETY,
        "organisation_form": OrganisationForm.ASSOCIATION,
        "phase": Phase.CONTINUITY,
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.TILTED_ORGANISATIONS,
        "government_relation": GovernmentRelation.WITH_GOVERNMENT,
        "classes": [
            ("werkveld", Werkveld.PROBLEM_FAMILIES),
            ("leefgebied", Leefgebied.INCOME),
            ("leefgebied", Leefgebied.FAMILY),
            ("doelgroep", TargetGroupCluster.FAMILY),
        ],
    },
    {
        "slug": "gaasperdam-zorgt",
        "name": "Gaasperdam Zorgt",
        "summary": "Bewoners van Gaasperdam regelen samen de zorg voor ouderen en kwetsbare buren.",
        "description": "",
        "area": "gaasperdam",
        "initiator_type": InitiatorType.RESIDENTS,
        "organisation_form": OrganisationForm.ASSOCIATION,
        "phase": Phase.CONTINUITY,
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.CITIZEN_WITH_INITIATIVE,
        "government_relation": GovernmentRelation.INDEPENDENT,
        "classes": [
            ("werkveld", Werkveld.ELDERLY_CARE),
            ("doelgroep", TargetGroupCluster.OLDER_PERSON),
            ("leefgebied", Leefgebied.CARE),
        ],
    },
    {
        "slug": "thomashuis-bijlmer",
        "name": "Thomashuis Bijlmer",
        "summary": "Een klein woonhuis in Bijlmer-Centrum voor mensen met een verstandelijke beperking, "
        "gerund door zorgondernemers.",
        "description": "",
        "area": "bijlmer-centrum",
        "initiator_type": InitiatorType.SOCIAL_ENTREPRENEUR,
        "organisation_form": OrganisationForm.COMPANY,
        "phase": Phase.ESTABLISHED,
        "status": Initiative.Status.ACTIVE,
        "bloedgroep": Bloedgroep.SOCIAL_ENTREPRENEURS,
        "government_relation": GovernmentRelation.INDEPENDENT,
        "classes": [
            ("werkveld", Werkveld.DAY_ACTIVITIES),
            ("doelgroep", TargetGroupCluster.PATIENT),
            ("leefgebied", Leefgebied.HOUSING),
            ("leefgebied", Leefgebied.CARE),
            ("drempel", Threshold.SCALING_UP),
        ],
    },
]


# Earlier demo databases placed initiatives from Haarlem, Den Bosch and elsewhere in Zuidoost;
# seed_demo renames them in place (old slug -> new slug), so their intakes and outcomes stay.
RENAMED = {
    "buuv-haarlem": "burenmarkt-gaasperdam",
    "huishoudcoaches-den-bosch": "huishoudcoaches-bijlmer-oost",
    "austerlitz-zorgt": "gaasperdam-zorgt",
    "thomashuizen": "thomashuis-bijlmer",
}


def _rename_old(log) -> None:
    by_slug = {spec["slug"]: spec for spec in DEMO_INITIATIVES}
    for old, new in RENAMED.items():
        if Initiative.objects.filter(slug=new).exists():
            continue
        spec = by_slug[new]
        fields = {key: spec[key] for key in ("name", "summary", "description") if key in spec}
        if Initiative.objects.filter(slug=old).update(slug=new, **fields):
            log(f"initiative {old}: renamed to {new}")


def register_last_year(initiative: Initiative, classifications) -> Initiative:
    """Demo only: save the new `initiative` with `classifications` as registered early last
    year, so that last year's annual report, which counts the register as it stood on 31
    December, shows it. Its audit rows get that date when they are written (the history is
    append-only, `common.models.AuditHistory`); the registration date is the row's own."""
    moment = datetime(
        timezone.localdate().year - 1, 1, 10, 10, 0, tzinfo=timezone.get_current_timezone()
    )
    initiative._history_date = moment
    initiative.save()
    initiative.classifications.set(classifications)
    del initiative._history_date
    Initiative.objects.filter(pk=initiative.pk).update(created_at=moment)
    initiative.created_at = moment
    return initiative


def seed(log) -> None:
    by_key = {(c.scheme, c.code): c for c in Classification.objects.all()}
    _rename_old(log)
    for spec in DEMO_INITIATIVES:
        spec = dict(spec)
        classes = spec.pop("classes")
        slug = spec.pop("slug")
        spec["area"] = Area.objects.get(slug=spec["area"])
        initiative = Initiative.objects.filter(slug=slug).first()
        created = initiative is None
        if created:
            initiative = register_last_year(
                Initiative(slug=slug, **spec), [by_key[key] for key in classes]
            )
        log(f"initiative {initiative}: {'created' if created else 'exists'}")
