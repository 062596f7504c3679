"""In the back office the ledger can be read, never added to, changed or deleted."""

import pytest

from sroi.models import Transaction

pytestmark = pytest.mark.django_db


def test_ledger_is_read_only_in_the_admin(client, administrator, scenario):
    client.force_login(administrator)
    record = Transaction.objects.first()
    assert client.get("/beheer/sroi/transaction/").status_code == 200
    page = client.get(f"/beheer/sroi/transaction/{record.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/beheer/sroi/transaction/add/").status_code == 403
    assert client.get(f"/beheer/sroi/transaction/{record.pk}/delete/").status_code == 403
    assert client.get("/beheer/sroi/entry/").status_code == 404  # entries only inline
    assert client.get("/beheer/sroi/allocation/add/").status_code == 403
    assert client.get("/beheer/sroi/blockcatalogue/").status_code == 200
    assert client.get("/beheer/sroi/blockcatalogue/add/").status_code == 200
