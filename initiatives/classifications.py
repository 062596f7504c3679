"""The classifications of citizen initiatives, from the seeds (DOMAIN.md §1, §2, §3).

Source strings are English; the Dutch catalogue holds the product's own words exactly as the VNG
publication (seed 001) and the Socialization+ initiative (seed 000) write them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bloedgroep(models.TextChoices):
    """Seed 001 §2.1: the five 'blood groups' of initiatives."""

    TILTED_ORGANISATIONS = "gekantelde_organisaties", _("Tilted organisations")
    COLLECTIVES = "collectieven", _("Collectives")
    SOCIAL_ENTREPRENEURS = "sociale_ondernemers", _("Social entrepreneurs")
    INFORMAL_CARE = "mantelzorg", _("Informal care")
    CITIZEN_WITH_INITIATIVE = "burger_met_initiatief", _("Citizen with an initiative")


class Werkveld(models.TextChoices):
    """Seed 001 §2.2: the essence list of intake question 1 plus talent development."""

    ELDERLY_CARE = "zorg_ouderen", _("Care for older people")
    DAY_ACTIVITIES = "dagbesteding", _("Day activities for people without paid work")
    SOCIAL_COHESION = "sociale_cohesie", _("Increasing social cohesion in the neighbourhood")
    BUDDY_PROJECTS = "maatjes", _("Buddy projects, mentoring, pairing duos")
    EXCHANGE_NETWORKS = (
        "ruilnetwerken",
        _("Exchange networks, swapping, matching supply and demand"),
    )
    CONSULTATION = "consultatie", _("Consultation / patient participation")
    SELF_HELP = "zelfhulp", _("Self-help groups, peers")
    INFORMAL_CARE_SUPPORT = "mantelzorg", _("Support for informal carers")
    YOUTH_CARE = "jeugdzorg", _("Youth care")
    YOUTH_NETWORKS = "jongeren_netwerken", _("Youth networks")
    PROBLEM_FAMILIES = "probleemgezinnen", _("Problem families, own strength")
    SUPPORTING_INITIATIVES = "faciliteren", _("Facilitating and supporting initiatives")
    TALENT_DEVELOPMENT = "talentontwikkeling", _("Talent development")


class TargetGroupCluster(models.TextChoices):
    """Seed 001 §2.2: the five clusters the work fields group around."""

    YOUNG_PERSON = "jongere", _("Young person")
    FAMILY = "gezin", _("Family")
    PATIENT = "patient", _("Patient")
    OLDER_PERSON = "oudere", _("Older person")
    JOB_SEEKER = "werkzoekende", _("Job seeker")


class AddedValue(models.TextChoices):
    """Seed 001 §2.3: what an initiative adds."""

    DEMAND_REDUCERS = "vraagbeperkers", _("Demand reducers")
    ALTERNATIVE_PROVIDERS = "alternatieve_aanbieders", _("Alternative providers")
    AMPLIFIERS = "versterkers", _("Amplifiers")
    COMPLEMENTARY = "complementair", _("Complementary provision")
    GUIDES = "gidsen", _("Guides")


class Threshold(models.TextChoices):
    """Seed 001 §2.5: the thresholds an initiative passes as it grows, in order."""

    FIRST_FOLLOWERS = "1_eerste_volgers", _("1 First followers")
    ATTENTION = "2_aandacht_erkenning", _("2 Attention and recognition")
    SUPPORT = "3_steun", _("3 Support from companies or institutions")
    PROFESSIONALISATION = "4_professionalisering", _("4 Professionalisation")
    SCALING_UP = "5_schaalvergroting", _("5 Scaling up")
    FOUNDER_LEAVES = "6_afscheid", _("6 Farewell to the initiator")


class GovernmentRelation(models.TextChoices):
    """Seed 001 §2.6: the initiative's relation to the government."""

    INDEPENDENT = "zelfstandig", _("Social initiative as an independent alternative")
    WITH_GOVERNMENT = (
        "met_overheidsparticipatie",
        _("Social initiative with government participation"),
    )
    JOINT = "gezamenlijk", _("Joint initiative: public-community partnership")
    GOVERNMENT_WITH_CITIZENS = (
        "overheid_met_burgers",
        _("Government initiative with citizen participation"),
    )
    GOVERNMENT_ONLY = (
        "overheid_zonder_burgers",
        _("Government initiative without citizen participation"),
    )


class SocializationTargetGroup(models.TextChoices):
    """Seed 000: the new target groups of the Socialization+ initiative."""

    SYSTEM_HARMED = "systeemgedupeerden", _("People harmed by the system")
    HUMAN_RESOURCEFULNESS = "hrs", _("Human Resourcefulness (HRs)")
    DESCENDANTS_OF_SLAVERY = "nazaten_slavernij", _("Descendants of the history of slavery")


class Leefgebied(models.TextChoices):
    """Seed 000: the nine areas of life."""

    SAFETY = "veiligheid", _("Safety")
    WORK = "werk", _("Work")
    INCOME = "inkomen", _("Income")
    FAMILY = "gezin", _("Family")
    IDENTITY = "identiteit", _("Identity")
    CARE = "zorg", _("Care")
    EDUCATION = "onderwijs", _("Education")
    HOUSING = "huisvesting", _("Housing")
    FUTURE = "toekomst", _("Future")


class InitiatorType(models.TextChoices):
    """Intake question 5."""

    RESIDENTS = "bewoners", _("Resident(s)")
    SOCIAL_ENTREPRENEUR = "sociaal_ondernemer", _("Social entrepreneur")
    CIVIL_SOCIETY = "middenveld", _("Civil society")
    GOVERNMENT = "overheid", _("Government")
    OTHER = "anders", _("Other")


class OrganisationForm(models.TextChoices):
    """Intake question 21."""

    ASSOCIATION = "vereniging", _("Association")
    FOUNDATION = "stichting", _("Foundation")
    COMPANY = "onderneming", _("Sole proprietorship/partnership/private company")
    NO_LEGAL_ENTITY = "geen_rechtspersoon", _("No legal entity")
    OTHER = "anders", _("Other")


class Phase(models.TextChoices):
    """Intake question 19."""

    IDEA = "ideevorming", _("Idea formation")
    START_UP = "opstart", _("Start-up phase, 0-2 years")
    MATURING = "rijping", _("Maturing, 2-5 years")
    CONTINUITY = "continuiteit", _("Continuity, 5-10 years")
    ESTABLISHED = "gevestigd", _("Established, more than 10 years")


# The multi-valued classifications, stored as rows of `Classification` (see models.py).
MULTI_SCHEMES: dict[str, type[models.TextChoices]] = {
    "werkveld": Werkveld,
    "doelgroep": TargetGroupCluster,
    "toegevoegde_waarde": AddedValue,
    "drempel": Threshold,
    "socialization_doelgroep": SocializationTargetGroup,
    "leefgebied": Leefgebied,
}
