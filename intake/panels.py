"""intake's part of an initiative's public page (registered in `IntakeConfig.ready`): the latest
published score profile as a radar chart, or nothing."""

from .templatetags.intake_tags import published_profile


def published_profile_panel(initiative) -> tuple[str, dict] | None:
    context = published_profile(initiative)
    if context["intake"] is None:
        return None
    return "intake/partials/published_profile.html", context
