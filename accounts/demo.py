"""The demo scenario's part in accounts: Amsterdam Zuidoost and its neighbourhoods (DOMAIN.md §4)."""

from .models import Area

DISTRICT = ("Zuidoost", "zuidoost")
NEIGHBOURHOODS = [
    ("Bijlmer-Centrum", "bijlmer-centrum"),
    ("Bijlmer-Oost", "bijlmer-oost"),
    ("Gaasperdam", "gaasperdam"),
]


def seed(log) -> None:
    district, created = Area.objects.get_or_create(
        slug=DISTRICT[1], defaults={"name": DISTRICT[0], "kind": Area.Kind.DISTRICT}
    )
    log(f"area {district}: {'created' if created else 'exists'}")
    for name, slug in NEIGHBOURHOODS:
        area, created = Area.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": Area.Kind.NEIGHBOURHOOD, "parent": district}
        )
        log(f"area {area}: {'created' if created else 'exists'}")
