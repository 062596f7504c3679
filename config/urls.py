from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import probes, todo, views

admin.site.site_header = _("Burgerkracht administration")
admin.site.site_title = _("Burgerkracht")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("_healthz/livez/", probes.livez, name="livez"),
    path("_healthz/readyz/", probes.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("initiatieven/", include("initiatives.urls")),
    path("intake/", include("intake.urls")),
    path("sroi/", include("sroi.urls")),
    path("voorstellen/", include("governance.urls")),
    path("rapporten/", include("reports.urls")),
    path("open-data/", include("reports.opendata_urls")),
    path("api/v1/", include("api.urls")),
    path("meldingen/", include("notifications.urls")),
    path("taken/", todo.TodoView.as_view(), name="todo"),
    path("beheer/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
