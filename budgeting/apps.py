from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from governance import vote_lists
from sroi import promises


class BudgetingConfig(AppConfig):
    name = "budgeting"
    verbose_name = _("Budget rounds")

    def ready(self) -> None:
        from .panels import vote_rounds_part  # noqa: PLC0415 - AppConfig: models load later
        from .services import base  # noqa: PLC0415 - AppConfig: models load later

        # The vote page and the home page list the rounds open for voting (governance is lower).
        vote_lists.register("budgeting.rounds", vote_rounds_part)
        # A frozen round's budget is promised: the ledger allocates no promised money elsewhere.
        promises.register("budgeting.rounds", base.promises)
