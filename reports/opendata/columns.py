"""The columns of every plain dataset: a stable Dutch machine name and an English description.

Data only: the CSV header, the JSON `columns` list, the description text and the open-data page
are all made from these tuples, so a column is described in exactly one place.
"""

from django.utils.translation import gettext_lazy as _

from .base import Column

# The register: the public columns of the register export, plus the date of registration.

REGISTER_COLUMNS = (
    Column("naam", _("Name of the initiative.")),
    Column("slug", _("Stable identifier of the initiative, also used in its web address.")),
    Column("samenvatting", _("Short summary.")),
    Column("beschrijving", _("Description.")),
    Column("gebied", _("Area (neighbourhood or district) where the initiative works.")),
    Column("initiatiefnemer", _("Who started it (residents, entrepreneurs, …).")),
    Column("organisatievorm", _("Organisation form (foundation, association, informal, …).")),
    Column("fase", _("Phase of the initiative.")),
    Column("startdatum", _("Start date (YYYY-MM-DD), if known.")),
    Column("status", _("Status in the register (registered, active, paused, ended).")),
    Column("website", _("Website of the initiative, if any.")),
    Column("bloedgroep", _("Blood group (bloedgroep): the kind of initiative.")),
    Column("verhouding_overheid", _("Relation to the government.")),
    Column("werkvelden", _("Work fields, separated by '; '.")),
    Column("doelgroepen", _("Target group clusters, separated by '; '.")),
    Column("toegevoegde_waarde", _("Added value, separated by '; '.")),
    Column("drempels", _("Thresholds passed, separated by '; '.")),
    Column("socialization_doelgroepen", _("Socialization+ target groups, separated by '; '.")),
    Column("leefgebieden", _("Areas of life (leefgebieden), separated by '; '.")),
    Column("geregistreerd_op", _("Date the initiative was registered (YYYY-MM-DD).")),
)


CONTRACT_COLUMNS = (
    Column("referentie", _("The municipality's contract reference.")),
    Column("titel", _("Title of the contract.")),
    Column("afdeling", _("Municipal department that awarded the contract.")),
    Column("opdrachtnemer", _("Contractor (a company).")),
    Column("kvk_nummer", _("The contractor's number in the Dutch Chamber of Commerce register.")),
    Column("opdrachtwaarde", _("Contract value in euros, excluding VAT.")),
    Column("gunningsdatum", _("Award date.")),
    Column("startdatum", _("Start date.")),
    Column("einddatum", _("End date.")),
    Column("percentage", _("Social-return percentage of the contract value.")),
    Column("drempel", _("Threshold in euros: below this value no obligation applies.")),
    Column("verplichting", _("Social-return obligation in euros.")),
    Column("deadline", _("Date by which the obligation must be fulfilled.")),
    Column(
        "soort_verplichting",
        _("Kind of obligation: 'effort' or 'result'."),
    ),
    Column(
        "status",
        _("Status: 'running', 'completed' or 'terminated'."),
    ),
    Column("geverifieerd_in_natura", _("Value delivered in kind and verified, in euros.")),
    Column("betaald_in_geld", _("Paid in cash into a community fund, in euros.")),
    Column("vervuld", _("Fulfilled: in kind plus in cash, in euros.")),
    Column("resterend", _("Still to be fulfilled, in euros (never below zero).")),
    Column("peildatum", _("The day the figures are counted up to.")),
    Column("achter_op_schema", _("true when less is fulfilled than the time passed would need.")),
    Column("over_deadline", _("true when the deadline has passed with money remaining.")),
)


# Verified realisations: what was delivered in kind, counted in groups (sroi.disclosure). Never
# one person: no dates, hours per week or bonus of a placement, no row under the threshold.

REALISATION_COLUMNS = (
    Column("contract_referentie", _("Reference of the contract it counts for.")),
    Column("jaar", _("Year the realisations were verified.")),
    Column(
        "bouwblok_code",
        _("Code of the building block (kind of contribution); empty in the row 'overig'."),
    ),
    Column("bouwblok", _("Name of the building block; empty in the row 'overig'.")),
    Column(
        "soort_bouwblok",
        _(
            "How the block is valued: 'person_year', 'hourly', 'bonus' (about persons), "
            "'invoice' or 'cash' (not about persons); empty in the row 'overig'."
        ),
    ),
    Column(
        "doelgroep",
        _(
            "Target group reached (a code), for blocks about persons; empty for other blocks "
            "and in the row 'overig'."
        ),
    ),
    Column(
        "personen",
        _(
            "Number of different persons, for blocks about persons. A group of fewer persons "
            "than the threshold (OPEN_DATA_MIN_COUNT, by default 5) is not a row of its own: it is added "
            "up in the row 'overig' of the contract and year, which shows its number only from "
            "the threshold up (else empty)."
        ),
    ),
    Column("realisaties", _("Number of realisations counted (empty where personen is empty).")),
    Column(
        "persoonsjaren",
        _("Person-years of 36 hours a week, for person-year blocks (empty where not shown)."),
    ),
    Column("uren", _("Hours, for blocks counted per employee-hour (empty where not shown).")),
    Column(
        "waarde",
        _(
            "Value counted towards the obligation, in euros. Always filled: per contract and "
            "year the rows add up to everything verified."
        ),
    ),
    Column(
        "overig",
        _(
            "true for the row 'overig': the groups of too few persons added up, and as many "
            "more as needed so that it holds at least the threshold of persons or all of them."
        ),
    ),
)


# Fund transactions: every money flow, one row each.

TRANSACTION_COLUMNS = (
    Column("id", _("Number of the transaction in the ledger.")),
    Column("datum", _("Date of the transaction.")),
    Column("fonds", _("The fund (its short name).")),
    Column(
        "soort",
        _(
            "Kind: 'sroi_contribution' (social-return payment), 'other_income' (from the "
            "municipality or other income: categorie says which), 'allocation', "
            "'disbursement' (tranche paid to an initiative), 'return' (unspent money returned), "
            "'release' (release of an unpaid allocation) or 'reversal' (reversal of an earlier "
            "transaction)."
        ),
    ),
    Column("telt_als", _("For a reversal: the kind of transaction it undoes; else the kind.")),
    Column(
        "categorie",
        _(
            "Where the money came from or went to, in the figures of the annual report and the "
            "columns of the funds per year (fondsen): money in 'van_contracten' (social return "
            "from contracts), 'van_gemeente' (top-up from the municipality), "
            "'overige_inkomsten' (other income) or 'teruggestort' (returned by an initiative); "
            "money out 'uitbetaald' (tranche paid to an initiative); 'binnen_fonds' for a "
            "movement inside the fund (allocation or release). A reversal has the category of "
            "the transaction it undoes. Per fund and year, wijziging_fondstotaal added up per "
            "category gives that column of fondsen (for 'uitbetaald' with the sign turned)."
        ),
    ),
    Column(
        "bedrag",
        _(
            "Amount in euros: the change of the fund's total (positive: money came in, "
            "negative: money went out). For movements inside the fund (allocations, releases "
            "and their reversals), which leave the total unchanged: the change of the money "
            "allocated to initiatives but not yet paid out."
        ),
    ),
    Column("wijziging_fondstotaal", _("Change of the fund's total (available plus allocated).")),
    Column("wijziging_toegekend", _("Change of the fund's allocated, not yet paid out money.")),
    Column("contract_referentie", _("The contract that paid, for social-return payments.")),
    Column("initiatief_slug", _("The initiative concerned, if any.")),
    Column("toekenning_id", _("The allocation concerned, if any (see the allocations).")),
    Column("besluit_referentie", _("Reference of the decision that allowed it, if any.")),
    Column("correctie_van", _("For a reversal: the number of the transaction it undoes.")),
    Column(
        "reden",
        _(
            "For a reversal: the kind of reason, from a fixed list ('correctie' when none was "
            "chosen). What staff wrote in their own words is not published."
        ),
    ),
)


# Funds per year: opening, money in per source, money out, closing (sroi's ledger selectors).

FUND_COLUMNS = (
    Column("fonds", _("The fund (its short name).")),
    Column("fondsnaam", _("Name of the fund.")),
    Column("jaar", _("The year.")),
    Column("begin", _("Balance on 1 January, in euros.")),
    Column("van_contracten", _("Social return paid into the fund by contractors, in euros.")),
    Column("van_gemeente", _("Top-ups from the municipality, in euros.")),
    Column("overige_inkomsten", _("Other income, in euros.")),
    Column("teruggestort", _("Unspent money returned by initiatives, in euros.")),
    Column("totaal_in", _("All money in: the four columns before added up, in euros.")),
    Column("uitbetaald", _("Tranches paid out to initiatives, in euros.")),
    Column("totaal_uit", _("All money out, in euros.")),
    Column(
        "eind",
        _("Balance at the reference date: begin + totaal_in − totaal_uit, in euros."),
    ),
    Column("peildatum", _("The day the amounts are counted up to: 31 December, or today.")),
    Column("tussenstand", _("true when the year has not ended: the amounts are an interim count.")),
)


# Allocations: money granted to initiatives, and what happened to it.

ALLOCATION_COLUMNS = (
    Column("id", _("Number of the allocation.")),
    Column("fonds", _("The fund the money comes from (its short name).")),
    Column("initiatief_slug", _("Identifier of the receiving initiative (see the register).")),
    Column("initiatief", _("Name of the receiving initiative.")),
    Column("bedrag", _("Amount granted, in euros.")),
    Column("doel", _("What the money is for.")),
    Column("datum", _("Date of the allocation.")),
    Column("besluit_referentie", _("Reference of the decision that granted it.")),
    Column(
        "status",
        _(
            "Status on the reference date: 'open' (money still to be paid out), "
            "'paid_in_full' (all paid out, but not yet closed: nothing is open on the reference "
            "date), 'closed' or 'cancelled' (by a reversal). An allocation closed after the "
            "reference date is 'open' or 'paid_in_full' in that year's file."
        ),
    ),
    Column("uitbetaald", _("Paid out to the initiative up to the reference date, in euros.")),
    Column("teruggestort", _("Unspent money the initiative returned, in euros.")),
    Column("open", _("Granted but not yet paid out on the reference date, in euros.")),
    Column("peildatum", _("The day the paid, returned and open amounts are counted up to.")),
)


# Decisions with their tallies: numbers only, never who voted what.

DECISION_COLUMNS = (
    Column("referentie", _("Reference of the decision, e.g. BK-2025-0007.")),
    Column("titel", _("Title of the proposal.")),
    Column("tekst", _("Text of the proposal.")),
    Column(
        "soort",
        _(
            "Kind: 'general', 'fund_allocation' (one allocation from a fund) or 'fund_package' "
            "(the allocations of a budget round, decided together)."
        ),
    ),
    Column(
        "methode",
        _("How it was decided: 'board' (vote of a body) or 'poll' (community-wide secret ballot)."),
    ),
    Column("orgaan", _("The deciding body, for a vote of a body.")),
    Column("uitkomst", _("Outcome: 'adopted' or 'rejected'.")),
    Column("besloten_op", _("Date of the decision.")),
    Column("voor", _("Votes for.")),
    Column("tegen", _("Votes against.")),
    Column("onthouding", _("Abstentions.")),
    Column("opkomst", _("Turnout as counted for the quorum.")),
    Column("kiesgerechtigden", _("Number of people entitled to vote.")),
    Column(
        "quorum", _("Kind of quorum: 'none', 'majority' (of the electorate), 'count', 'percent'.")
    ),
    Column("quorum_nodig", _("Turnout needed.")),
    Column("meerderheid_procent", _("More than this percentage of votes for or against needed.")),
    Column("meerderheid_nodig", _("Votes for needed.")),
    Column(
        "gemeenschapsgarantie",
        _("true when the community side must also have a majority in favour."),
    ),
    Column("gemeenschap_voor", _("Votes for on the community side (residents and youth).")),
    Column("gemeenschap_tegen", _("Votes against on the community side.")),
    Column("gemeenschap_onthouding", _("Abstentions on the community side.")),
    Column("gemeenschap_nodig", _("Votes for needed on the community side.")),
    Column("uitgevoerd_op", _("Date the decision was carried out, if it was.")),
    Column("toekenning_id", _("For a fund allocation: the allocation that carried it out.")),
    Column("uitleg", _("The outcome in words, in Dutch.")),
)
