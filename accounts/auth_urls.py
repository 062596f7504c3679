"""Log in, log out and passwords: Django's own views on Dutch paths, under /accounts/.

Django's `django.contrib.auth.urls` names its paths in English (`login/`, `password_reset/`);
every other page of the site has a Dutch path. The names stay Django's (`login`, `logout`,
`password_reset`, ...), so `reverse()`, `LOGIN_URL` and the templates need no change.

The old English paths still work: a bookmark, a link in an older e-mail (a reset link is valid
for days) or a form of a page opened before an update is sent on with a permanent redirect that
keeps the query string (`?next=`), and for a POST also its method and body (308).
"""

from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.urls import path, reverse

from .ratelimit import failures_limited, rate_limited

urlpatterns = [
    path(
        "inloggen/",
        failures_limited("login_failures")(auth_views.LoginView.as_view()),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-wijzigen/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "wachtwoord-wijzigen/klaar/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "wachtwoord-vergeten/",
        rate_limited("password_reset")(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nieuw-wachtwoord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nieuw-wachtwoord/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]


def moved(name: str):
    """A view that sends a request for the old path of `name` to its new path, for good."""

    def view(request, **kwargs):
        target = reverse(name, kwargs=kwargs)
        if query := request.META.get("QUERY_STRING", ""):
            target = f"{target}?{query}"
        # 301 for a GET; 308 for a POST, which the browser sends again, with its body, there.
        keep = request.method not in ("GET", "HEAD")
        return HttpResponsePermanentRedirect(target, preserve_request=keep)

    return view


# The paths of django.contrib.auth.urls, as they were until December 2026.
OLD_PATHS = {
    "login/": "login",
    "logout/": "logout",
    "password_change/": "password_change",
    "password_change/done/": "password_change_done",
    "password_reset/": "password_reset",
    "password_reset/done/": "password_reset_done",
    "reset/<uidb64>/<token>/": "password_reset_confirm",
    "reset/done/": "password_reset_complete",
}
urlpatterns += [path(old, moved(name)) for old, name in OLD_PATHS.items()]
