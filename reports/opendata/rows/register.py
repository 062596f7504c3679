"""The register's rows: the public columns of every initiative."""

from initiatives.selectors import initiatives_for_list
from initiatives.tabular import PUBLIC_COLUMNS, export_row

from ..base import Period, _in_year, _local_date


def register_rows(period: Period) -> list[dict]:
    """The public register (registered in the year, or all); labels in Dutch. Three queries."""
    initiatives = _in_year(
        initiatives_for_list().order_by("name", "pk"), period, "created_at", moment=True
    )
    rows = []
    for initiative in initiatives:
        row = dict(zip(PUBLIC_COLUMNS, export_row(initiative, PUBLIC_COLUMNS), strict=True))
        row["geregistreerd_op"] = _local_date(initiative.created_at)
        rows.append(row)
    return rows
