"""After a database flush (the browser tests' live server, transactional tests) sroi loads the
first building-block catalogue again from its data migration; the kinds it stores are today's
(English since issue 19), so a claim on a reloaded block is valued like any other."""

import pytest

from sroi.apps import _ensure_utrecht_catalogue
from sroi.models import BlockCatalogue, BuildingBlock

pytestmark = pytest.mark.django_db


def test_the_catalogue_loaded_again_after_a_flush_stores_today_s_kinds():
    BuildingBlock.objects.all().delete()
    BlockCatalogue.objects.all().delete()
    _ensure_utrecht_catalogue(sender=None)
    kinds = set(BuildingBlock.objects.values_list("kind", flat=True))
    assert kinds and kinds <= set(BuildingBlock.Kind.values)
    assert BuildingBlock.Kind.PERSON_YEAR in kinds and BuildingBlock.Kind.HOURLY in kinds
    blocks = BuildingBlock.objects.count()
    _ensure_utrecht_catalogue(sender=None)  # idempotent
    assert BlockCatalogue.objects.count() == 1 and BuildingBlock.objects.count() == blocks
