"""The lint rule: ledger rows are read only through sroi's ledger selectors, written by its services."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check", ROOT / "scripts" / "check_ledger_access.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_the_project_reads_the_ledger_through_its_door_only():
    assert check.check(ROOT) == []


def _tree(tmp_path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    for known in check.KNOWN:  # fixed elsewhere: keep them "still known" in this tree
        path = tmp_path / known
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Transaction.objects.all()\n")
    return tmp_path


def test_a_query_or_a_new_row_outside_the_door_is_reported_with_its_line(tmp_path):
    root = _tree(
        tmp_path,
        {
            "governance/selectors.py": (
                "from sroi.models import Entry, Transaction\n"
                "Kind = Transaction.Kind.DISBURSEMENT\n"  # choices: fine
                "rows = Entry.objects.filter(amount__gt=0)\n"
                "raw = models.Transaction._base_manager.all()\n"
                "row = Entry(amount=1)\n"
            ),
            "sroi/ledger_selectors/balances.py": "Entry.objects.all()\n",
            "sroi/services/ledger.py": "Transaction.objects.create()\n",
        },
    )
    assert check.check(root) == [
        "governance/selectors.py:3: Entry.objects outside sroi/ledger_selectors/ and sroi/services/",
        "governance/selectors.py:4: Transaction._base_manager outside sroi/ledger_selectors/ and "
        "sroi/services/",
        "governance/selectors.py:5: new Entry(...) outside sroi/ledger_selectors/ and sroi/services/",
    ]
    assert check.main(["check", str(root)]) == 1


def test_a_known_exception_that_is_fixed_must_leave_the_list(tmp_path, monkeypatch):
    # The real list is empty now (issue 19 moved reports/money.py behind the door): use one of our own.
    monkeypatch.setattr(check, "KNOWN", {"reports/old_money.py"})
    root = _tree(tmp_path, {})
    fixed = sorted(check.KNOWN)[0]
    (root / fixed).write_text("from sroi import ledger_selectors\n")
    assert check.check(root) == [f"{fixed}: no longer reaches the ledger; remove it from KNOWN"]
