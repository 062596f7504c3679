from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from security import views as security_views

from . import probes, shifts, todo, views

admin.site.site_header = _("Burgerkracht administration")
admin.site.site_title = _("Burgerkracht")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("_healthz/livez/", probes.livez, name="livez"),
    path("_healthz/readyz/", probes.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("toegankelijkheid/", views.AccessibilityView.as_view(), name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    # Log in, log out, passwords: Django's views on Dutch paths (the old English ones redirect).
    path("accounts/", include("accounts.auth_urls")),
    # The short address printed on a verification code's slip, easy to type over from paper.
    path("code/", RedirectView.as_view(pattern_name="accounts:register"), name="code"),
    path("initiatieven/", include("initiatives.urls")),
    path("intake/", include("intake.urls")),
    path("sroi/", include("sroi.urls")),
    path("voorstellen/", include("governance.urls")),
    path("begroting/", include("budgeting.urls")),
    path("rapporten/", include("reports.urls")),
    path("open-data/", include("reports.opendata_urls")),
    path("api/v1/", include("api.urls")),
    path("meldingen/", include("notifications.urls")),
    path("taken/", todo.TodoView.as_view(), name="todo"),
    path("diensten/", shifts.MyShiftsView.as_view(), name="my_shifts"),
    path("beheer/", admin.site.urls),
    path(".well-known/security.txt", security_views.security_txt, name="security_txt"),
    path("csp-rapport/", security_views.csp_report, name="csp_report"),
]

# Error pages in the site's layout and language; 500 and 503 need no database.
handler400 = "security.views.bad_request"
handler403 = "security.views.permission_denied"
handler404 = "security.views.page_not_found"
handler500 = "security.views.server_error"
