"""governance's part of an initiative's public page (registered in `GovernanceConfig.ready`):
the money the community's decisions gave it, each with the way to its decision and its fund."""

from . import selectors


def money_panel(initiative) -> tuple[str, dict] | None:
    money = selectors.initiative_money(initiative)
    if money is None:
        return None
    return "governance/partials/initiative_money.html", {"money": money}
