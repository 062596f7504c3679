"""The first building-block catalogue: Utrecht's published table (SROI.md), values per 36-hour year.

The data lives in this migration (not imported from code) so that later code changes never alter
this version; a new table is a new catalogue with its own `valid_from`. The date of validity is
not stated on the page; 1 January 2020 makes it the version for every contract in the demo.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

VALID_FROM = date(2020, 1, 1)
NAME = "Bouwblokken Utrecht"
SOURCE = (
    "Gemeente Utrecht, 'Social return berekenen (bouwblokken)', utrecht.nl, de tabel zoals "
    "gepubliceerd. Waarden per fte-jaar van 36 uur, naar rato van uren en maanden; bonussen "
    "eenmalig per plaatsing. Inkoop bij een sociale onderneming of sw-bedrijf telt de "
    "(loon)kosten op de factuur excl. btw; opleiding of begeleiding de kosten of EUR 100 per uur."
)

# code, name, kind, value, max months
BLOCKS = [
    ("participatiewet", "Participatiewet", "persoonsjaar", "40000", None),
    ("doelgroepregister", "Doelgroepregister / Banenafspraak", "persoonsjaar", "50000", None),
    (
        "leerwerkplek-vso-pro-entree",
        "Leerwerkplek praktijk-/voortgezet speciaal onderwijs, mbo 1 (entree)",
        "persoonsjaar",
        "35000",
        None,
    ),
    ("wia-wao", "WIA / WAO", "persoonsjaar", "40000", None),
    ("ww", "WW", "persoonsjaar", "20000", None),
    ("mbo-bbl", "mbo BBL niveau 2-4", "persoonsjaar", "35000", None),
    ("mbo-bol", "mbo BOL niveau 2-4", "persoonsjaar", "20000", None),
    ("werkzoekende-zonder-uitkering", "Werkzoekende zonder uitkering", "persoonsjaar", "10000", None),
    ("bonus-50-plus", "Bonus: 50-plusser", "bonus", "10000", None),
    (
        "bonus-statushouder-taal",
        "Bonus: statushouder of taalachterstand",
        "bonus",
        "10000",
        None,
    ),
    ("bonus-vast-contract", "Bonus: vast contract", "bonus", "10000", None),
    (
        "inkoop-sociale-onderneming",
        "Inkoop bij een sociale onderneming of sw-bedrijf",
        "factuur",
        "0",
        None,
    ),
    (
        "opleiding-begeleiding-kosten",
        "Opleiding of begeleiding van de doelgroep; steun aan een sociaal initiatief (kosten)",
        "factuur",
        "0",
        None,
    ),
    (
        "opleiding-begeleiding-uren",
        "Opleiding of begeleiding van de doelgroep; steun aan een sociaal initiatief (per uur)",
        "uur",
        "100",
        None,
    ),
]


def create_utrecht_catalogue(apps, schema_editor, kinds=None):
    """Make the catalogue's missing blocks. `kinds` renames the stored kinds as later migrations
    did (sroi/apps.py passes 0007's renames when it loads the catalogue after a flush)."""
    BlockCatalogue = apps.get_model("sroi", "BlockCatalogue")
    BuildingBlock = apps.get_model("sroi", "BuildingBlock")
    catalogue, _created = BlockCatalogue.objects.get_or_create(
        valid_from=VALID_FROM, defaults={"name": NAME, "source": SOURCE}
    )
    existing = set(BuildingBlock.objects.filter(catalogue=catalogue).values_list("code", flat=True))
    BuildingBlock.objects.bulk_create(
        BuildingBlock(
            catalogue=catalogue,
            code=code,
            name=name,
            kind=(kinds or {}).get(kind, kind),
            value=Decimal(value),
            max_months=max_months,
            position=position,
        )
        for position, (code, name, kind, value, max_months) in enumerate(BLOCKS, start=1)
        if code not in existing
    )


def remove_utrecht_catalogue(apps, schema_editor):
    BlockCatalogue = apps.get_model("sroi", "BlockCatalogue")
    BuildingBlock = apps.get_model("sroi", "BuildingBlock")
    catalogue = BlockCatalogue.objects.filter(valid_from=VALID_FROM).first()
    if catalogue and not BuildingBlock.objects.filter(
        catalogue=catalogue, realisations__isnull=False
    ).exists():
        BuildingBlock.objects.filter(catalogue=catalogue).delete()
        catalogue.delete()


class Migration(migrations.Migration):
    dependencies = [("sroi", "0001_initial")]

    operations = [migrations.RunPython(create_utrecht_catalogue, remove_utrecht_catalogue)]
