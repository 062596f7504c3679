"""Staff pages for bodies, seats and decision rules.

Staff (civil servants and administrators) read them; civil servants change them, each change
through `governance.bodies` with a required reason. The Django admin only shows them.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import ServiceFormView, paginate
from governance import bodies as services
from governance import selectors
from governance.bodies.forms import BodyForm, DecisionRuleForm, EndSeatForm, SeatForm
from governance.models import Body, DecisionRule, Seat

SEAT_PAGE_SIZE = 25
CHANGE_PAGE_SIZE = 25
RULE_PAGE_SIZE = 25


class BodyDetailView(PermissionRequiredMixin, TemplateView):
    """A body: its rule, its seats (held, future and ended) and who changed what and why; the
    seats (`?zetels=`) and the changes (`?geschiedenis=`) are paged apart."""

    permission_required = "governance.see_bodies"
    template_name = "governance/body_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            body, seats = selectors.body_with_seats(kwargs["pk"])
        except Body.DoesNotExist as exc:
            raise Http404 from exc
        changes = selectors.body_changes(body)
        context.update(
            body=body,
            seat_page=paginate(self.request, seats, SEAT_PAGE_SIZE, param="zetels"),
            composition=selectors.composition(body),
            change_page=paginate(self.request, changes, CHANGE_PAGE_SIZE, param="geschiedenis"),
            can_manage=self.request.user.has_perm("governance.manage_bodies"),
        )
        return context


class RuleListView(PermissionRequiredMixin, TemplateView):
    """The decision rules (`?regels=`) and who changed what and why (`?geschiedenis=`), paged."""

    permission_required = "governance.see_bodies"
    template_name = "governance/rules.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rule_page=paginate(
                self.request, selectors.decision_rules(), RULE_PAGE_SIZE, param="regels"
            ),
            change_page=paginate(
                self.request, selectors.rule_changes(), CHANGE_PAGE_SIZE, param="geschiedenis"
            ),
            can_manage=self.request.user.has_perm("governance.manage_bodies"),
        )
        return context


class StaffFormView(ServiceFormView):
    """A form that calls one service; a refusal shows its message and writes nothing."""

    permission_required = "governance.manage_bodies"
    template_name = "governance/body_form.html"
    invalid_status = 400
    success_message = gettext_lazy("The change is saved, with your reason.")
    object = None

    def load(self) -> None:
        self.object = self.load_object(self.kwargs.get("pk"))

    def load_object(self, pk):  # the object named in the URL, or None for a new one
        return None

    def cancel_url(self) -> str:
        return reverse("governance:bodies")


def _get(model, pk):
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404 from exc


class BodyFormView(StaffFormView):
    form_class = BodyForm

    def load_object(self, pk):
        return _get(Body, pk) if pk is not None else None

    def get_initial(self):
        return BodyForm.initial_for(self.object) if self.object else None

    def get_title(self):
        if self.object:
            return _("Change %(body)s") % {"body": self.object}
        return _("New body")

    def cancel_url(self):
        if self.object:
            return reverse("governance:body", args=[self.object.pk])
        return super().cancel_url()

    def perform(self, form):
        if self.object is None:
            body = services.create_body(
                actor=self.request.user, reason=form.cleaned_data["reason"], **form.body_fields()
            )
        else:
            body = services.update_body(
                body=self.object,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                **form.body_fields(),
            )
        return reverse("governance:body", args=[body.pk])


class SeatAddView(StaffFormView):
    form_class = SeatForm

    def load_object(self, pk):
        return _get(Body, pk)

    def get_title(self):
        return _("New seat on %(body)s") % {"body": self.object}

    def cancel_url(self):
        return reverse("governance:body", args=[self.object.pk])

    def perform(self, form):
        data = form.cleaned_data
        services.add_seat(
            body=self.object,
            user=data["user"],
            side=data["side"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=self.request.user,
            reason=data["reason"],
        )
        return self.cancel_url()


class SeatEndView(StaffFormView):
    form_class = EndSeatForm

    def load_object(self, pk):
        try:
            return Seat.objects.select_related("body", "user").get(pk=pk)
        except Seat.DoesNotExist as exc:
            raise Http404 from exc

    def get_title(self):
        return _("End the seat of %(user)s on %(body)s") % {
            "user": self.object.user,
            "body": self.object.body,
        }

    def cancel_url(self):
        return reverse("governance:body", args=[self.object.body_id])

    def perform(self, form):
        services.end_seat(
            seat=self.object,
            ends_on=form.cleaned_data["ends_on"],
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return self.cancel_url()


class RuleFormView(StaffFormView):
    form_class = DecisionRuleForm

    def load_object(self, pk):
        return _get(DecisionRule, pk) if pk is not None else None

    def get_initial(self):
        return DecisionRuleForm.initial_for(self.object) if self.object else None

    def get_title(self):
        if self.object:
            return _("Change the decision rule %(rule)s") % {"rule": self.object}
        return _("New decision rule")

    def cancel_url(self):
        return reverse("governance:rules")

    def perform(self, form):
        if self.object is None:
            services.create_decision_rule(
                actor=self.request.user, reason=form.cleaned_data["reason"], **form.rule_fields()
            )
        else:
            services.update_decision_rule(
                rule=self.object,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                **form.rule_fields(),
            )
        return self.cancel_url()
