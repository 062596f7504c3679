"""Project-wide pages: the home page and the health endpoint."""

import logging

from django.views.generic import TemplateView

from accounts.models import Area, MemberVerification

from .probes import readyz

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["area_count"] = Area.objects.count()
        context["member_count"] = MemberVerification.objects.filter(revoked_at__isnull=True).count()
        return context


# Kept here for `/health/` (docker-compose's check); the probes live in config/probes.py.
health = readyz
