"""What a selector hands `common.views.paginate` when a page must not read every row."""


class Rows:
    """A queryset as `paginate` sees it: only the page's rows are read (turned into what the
    page shows by `convert`), and `count` is a number the page already has, or one COUNT query.
    """

    def __init__(self, queryset, *, convert=None, count: int | None = None):
        self.queryset = queryset
        self.convert = convert
        self.known_count = count

    def count(self) -> int:
        return self.queryset.count() if self.known_count is None else self.known_count

    def __getitem__(self, key: slice) -> list:
        rows = list(self.queryset[key])
        return self.convert(rows) if self.convert else rows
