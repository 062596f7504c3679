"""What every app's pages share: a service's refusal shown on its form, one form-view base, paging.

A service refuses with a `ValidationError` (see the service contract in docs/architecture.md);
`errors_to_form` puts its messages on the form, per field where the form has that field and at
the top otherwise. `ServiceFormView` is the one shape of a page that calls one service: GET shows
the form, POST validates it and calls `perform`; a refusal is shown and nothing was written.
`is_own_path` says whether a place to send someone to is a page of this site.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views import View
from rules.contrib.views import PermissionRequiredMixin


def is_own_path(request, url: str) -> bool:
    """`url` is a path on this site (never another host or scheme): safe to redirect to."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def errors_to_form(form, error: ValidationError, *, field: str | None = None) -> None:
    """Show a service's refusal on `form`: by field where it names one of the form's fields.

    Messages without a field (or naming a field the form does not have) go to `field`, by
    default the top of the form.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, error.messages)


def filters_in_use(request, names, *, defaults: dict[str, str] | None = None) -> bool:
    """Whether one of the filters `names` is set in the query string, to other than its default
    (a list's filters fold away on a phone unless one is in use). A filter form sends every
    field: empty ones and a default (the usual order) are no filter in use."""
    defaults = defaults or {}
    return any((value := request.GET.get(name)) and value != defaults.get(name) for name in names)


def paginate(request, items, per_page: int, *, param: str = "page") -> Page:
    """The page of `items` asked for in `?page=` (or `param`; the last one when past the end).

    Templates show it with `partials/pagination.html`, which keeps the rest of the query string
    (search, filters, sorting, another list's page) in its links.
    """
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    # The partial's links: the whole query string with only this list's page changed, so two
    # lists on one page (`?zetels=2&geschiedenis=3`) each keep the other's page.
    page.previous_query = _with_page(request, param, page, page.has_previous(), -1)
    page.next_query = _with_page(request, param, page, page.has_next(), 1)
    return page


def _with_page(request, param: str, page: Page, exists: bool, step: int):
    if not exists:
        return None
    query = request.GET.copy()
    query[param] = page.number + step
    return query


class ServiceFormView(PermissionRequiredMixin, View):
    """GET shows the form; POST validates it and calls `perform`, which calls one service.

    `perform` returns where to go next (a URL, a model or None for `get_success_url`). A
    refusal (`ValidationError`) is shown on the form with `invalid_status`; without a form
    (`form_class = None`: a button) it is shown as a message on `get_success_url`.
    """

    template_name = "service_form.html"  # the site's form page; a view may name its own
    form_class = None
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    success_message = ""
    invalid_status = 200

    def load(self) -> None:
        """Load the objects named in the URL (after the permission check)."""

    def get_initial(self) -> dict | None:
        return None

    def get_form(self, data=None, files=None):
        """The form, or None for a button without fields."""
        if self.form_class is None:
            return None
        return self.form_class(data, files, initial=self.get_initial())

    def perform(self, form):
        """Call the service; return where to go next."""
        raise NotImplementedError

    def get_success_url(self):
        raise NotImplementedError

    def get_title(self) -> str:
        return self.title

    def cancel_url(self) -> str:
        return ""

    def context(self) -> dict:
        return {}

    def render_form(self, form, status: int = 200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": self.get_title(),
                "intro": self.intro,
                "submit_label": self.submit_label,
                "cancel_url": self.cancel_url(),
                **self.context(),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        self.load()
        form = self.get_form()
        if form is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.render_form(form)

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.get_form(request.POST, request.FILES)
        if form is not None and not form.is_valid():
            return self.render_form(form, status=self.invalid_status)
        try:
            target = self.perform(form)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(self.get_success_url())
            errors_to_form(form, error)
            return self.render_form(form, status=self.invalid_status)
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(target if target is not None else self.get_success_url())
