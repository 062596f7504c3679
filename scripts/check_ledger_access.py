"""Ledger rows are read only through sroi/ledger_selectors/ and written only by sroi's services.

`make lint` runs this. It reads the source (no Django needed) and reports every place outside
those doors that reaches the ledger's rows: a manager or queryset of `Entry`, `Transaction` or
`Account` (`.objects`, `._default_manager`, `._base_manager`), or a new row (`Entry(...)`).
Using the models' choices (`Transaction.Kind.DISBURSEMENT`) is fine: that reads no row.

Usage: python scripts/check_ledger_access.py [ROOT]   (exit status 1 when something is found)
"""

import ast
import sys
from pathlib import Path

LEDGER_MODELS = {"Entry", "Transaction", "Account"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}

# The doors, and what defines or shows the rows (the models, their migrations, the read-only admin).
ALLOWED = (
    "sroi/ledger_selectors/",
    "sroi/services/",
    "sroi/models/",
    "sroi/admin.py",
    "/migrations/",
    "tests/",
    "bench/",
    "scripts/",
    ".venv/",
)

# Known reads still outside the door, each to move into sroi/ledger_selectors/. The check
# fails when one is fixed and still listed, so this list only shrinks.
KNOWN: set[str] = set()


def _ledger_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name) and node.id in LEDGER_MODELS:
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in LEDGER_MODELS:
        return node.attr
    return None


def problems_in(source: str) -> list[tuple[int, str]]:
    """(line, what) for every reach into ledger rows in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            name = _ledger_name(node.value)
            if name:
                found.append((node.lineno, f"{name}.{node.attr}"))
        elif isinstance(node, ast.Call):
            name = _ledger_name(node.func)
            if name:
                found.append((node.lineno, f"new {name}(...)"))
    return sorted(found)


def check(root: Path) -> list[str]:
    messages = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if any(part in f"/{relative}" or relative.startswith(part) for part in ALLOWED):
            continue
        found = problems_in(path.read_text(encoding="utf-8"))
        if relative in KNOWN:
            if not found:
                messages.append(f"{relative}: no longer reaches the ledger; remove it from KNOWN")
            continue
        messages += [
            f"{relative}:{line}: {what} outside sroi/ledger_selectors/ and sroi/services/"
            for line, what in found
        ]
    return messages


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    messages = check(root)
    for message in messages:
        print(message)
    if messages:
        print("Read ledger rows through sroi.ledger_selectors; write them through sroi.services.")
    return 1 if messages else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
