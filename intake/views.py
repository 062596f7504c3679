from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.addresses import public_url
from common.views import ServiceFormView, errors_to_form, filters_in_use, paginate
from initiatives.models import Initiative

from . import selectors, services
from .filters import OverviewFilter
from .forms import IntakeAnswersForm, StartIntakeForm
from .models import Intake

OVERVIEW_PAGE_SIZE = 50


def _private(response):
    """Pages that show a token or unconfirmed answers are never cached or indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


class IntakeObjectMixin:
    """Loads the intake named in the URL before the permission check (rules ask about it)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.intake = selectors.intake_detail(kwargs["pk"])
        except Intake.DoesNotExist as exc:
            raise Http404 from exc
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.intake


class OverviewView(PermissionRequiredMixin, TemplateView):
    permission_required = "intake.see_overview"
    template_name = "intake/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = OverviewFilter(self.request.GET, queryset=selectors.overview())
        form = filterset.form
        page = paginate(self.request, filterset.qs, OVERVIEW_PAGE_SIZE)
        needs = selectors.support_needs(initiative.latest_intake_id for initiative in page)
        context.update(
            form=form,
            page=page,
            # the filters stay open (on a phone, where they fold away) when one is in use
            filters_active=filters_in_use(
                self.request, form.fields, defaults={"sort": selectors.DEFAULT_SORT}
            ),
            IntakeStatus=Intake.Status,
            rows=[(initiative, needs.get(initiative.latest_intake_id)) for initiative in page],
        )
        return context


class StartIntakeView(PermissionRequiredMixin, View):
    permission_required = "intake.start_intake"
    template_name = "intake/start.html"

    def dispatch(self, request, *args, **kwargs):
        self.initiative = get_object_or_404(
            Initiative.objects.select_related("area"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.initiative

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "initiative": self.initiative,
                "intakes": selectors.intakes_of(self.initiative),
            },
            status=status,
        )

    def get(self, request, slug):
        return self._render(StartIntakeForm())

    def post(self, request, slug):
        form = StartIntakeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            if form.cleaned_data["method"] == Intake.Method.LINK:
                intake, token = services.invite_initiator(
                    initiative=self.initiative,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                )
                return _link_created(request, intake, token)
            intake = services.start_intake(initiative=self.initiative, actor=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
            return self._render(form)
        return redirect("intake:fill", pk=intake.pk)


def _link_created(request, intake: Intake, token: str):
    # On the site's public address, as the e-mail with it: the civil servant may work on
    # another address (an intranet name) that the initiator cannot reach.
    url = public_url(reverse("intake:link", args=[token]))
    response = render(
        request,
        "intake/link_created.html",
        {"intake": intake, "url": url, "valid_days": services.LINK_VALID_DAYS},
    )
    return _private(response)


class IntakeDetailView(IntakeObjectMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "intake.review_intake"
    template_name = "intake/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        intake = self.intake
        answers = selectors.answers_by_question(intake)
        questions = list(selectors.questions_with_options(intake.questionnaire))
        context.update(
            intake=intake,
            answer_rows=[(question, answers.get(question.pk)) for question in questions],
            profile=selectors.intake_profile(intake, questions=questions, answers=answers),
            links=intake.links.select_related("created_by"),
            other_intakes=selectors.intakes_of(intake.initiative).exclude(pk=intake.pk),
            now=timezone.now(),
        )
        return context

    def render_to_response(self, context, **kwargs):
        return _private(super().render_to_response(context, **kwargs))


class AnswerFormMixin:
    """The answer form of an intake, saved on every change (htmx) or with the button."""

    template_name = ""
    status_template = "intake/partials/save_status.html"

    def answer_form(self, data=None) -> IntakeAnswersForm:
        return IntakeAnswersForm(
            data,
            questions=list(selectors.questions_with_options(self.intake.questionnaire)),
            answers=selectors.answers_by_question(self.intake),
        )

    def context(self, form) -> dict:
        return {"form": form, "intake": self.intake}

    def render_form(self, form, status=200):
        return _private(render(self.request, self.template_name, self.context(form), status=status))

    def render_status(self, form, saved: bool):
        return _private(
            render(
                self.request,
                self.status_template,
                {"form": form, "saved": saved, "saved_at": timezone.now()},
            )
        )

    def save(self, form, service) -> bool:
        """Validate and save through `service`; on errors they are put on the form."""
        if not form.is_valid():
            return False
        try:
            service(form.answer_inputs())
        except ValidationError as error:
            if getattr(error, "code", None) == "gone":
                raise
            errors_to_form(form, error)
            return False
        return True


class FillIntakeView(IntakeObjectMixin, PermissionRequiredMixin, AnswerFormMixin, View):
    permission_required = "intake.fill_intake"
    template_name = "intake/fill.html"

    def get(self, request, pk):
        return self.render_form(self.answer_form())

    def post(self, request, pk):
        form = self.answer_form(request.POST)
        saved = self.save(
            form,
            lambda answers: services.save_answers(
                intake=self.intake, answers=answers, actor=request.user
            ),
        )
        if _is_htmx(request):
            return self.render_status(form, saved)
        if not saved:
            return self.render_form(form)
        messages.success(request, _("The answers are saved."))
        if request.POST.get("action") == "done":
            return redirect("intake:detail", pk=self.intake.pk)
        return redirect("intake:fill", pk=self.intake.pk)


class CreateLinkView(IntakeObjectMixin, PermissionRequiredMixin, View):
    permission_required = "intake.invite_initiator"
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            _link, token = services.create_initiator_link(intake=self.intake, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("intake:detail", pk=self.intake.pk)
        return _link_created(request, self.intake, token)


class IntakeButtonView(IntakeObjectMixin, ServiceFormView):
    """A button on the intake page that calls one service and comes back to the page."""

    def get_success_url(self):
        return reverse("intake:detail", kwargs={"pk": self.intake.pk})


class ConfirmIntakeView(IntakeButtonView):
    permission_required = "intake.confirm_intake"

    def perform(self, form):
        intake = services.confirm_intake(intake=self.intake, actor=self.request.user)
        if intake.composite is None:
            messages.success(self.request, _("The intake is confirmed."))
        else:
            messages.success(
                self.request,
                _("The intake is confirmed. Composite score: %(score)s.")
                % {"score": number_format(intake.composite)},
            )


class PublishProfileView(IntakeButtonView):
    permission_required = "intake.publish_profile"
    published = True

    def perform(self, form):
        services.set_profile_published(
            intake=self.intake, published=self.published, actor=self.request.user
        )
        messages.success(
            self.request,
            _("The profile is now public.")
            if self.published
            else _("The profile is no longer public."),
        )


class PublicProfileView(PermissionRequiredMixin, TemplateView):
    permission_required = "intake.see_profile"
    template_name = "intake/profile.html"

    def dispatch(self, request, *args, **kwargs):
        # Unpublished intakes do not exist for the public, also not as "forbidden".
        self.intake = get_object_or_404(
            Intake.objects.select_related("initiative__area", "questionnaire"),
            pk=kwargs["pk"],
            is_published=True,
            status=Intake.Status.CONFIRMED,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.intake

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            intake=self.intake, profile=selectors.intake_profile(self.intake, compare=False)
        )
        return context


class InitiatorLinkView(PermissionRequiredMixin, AnswerFormMixin, View):
    """The initiator's page: no account, the link's token is the permission."""

    permission_required = "intake.fill_by_link"
    template_name = "intake/link_fill.html"

    def dispatch(self, request, *args, **kwargs):
        self.link = selectors.link_by_token(kwargs["token"])
        if self.link is None:
            return self.unavailable(status=404)
        self.intake = self.link.intake
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.link

    def handle_no_permission(self):
        return self.unavailable(status=410)

    def unavailable(self, status: int):
        reason = "unknown"
        if self.link is not None:
            reason = "used" if self.link.is_used else "expired"
        response = render(
            self.request, "intake/link_unavailable.html", {"reason": reason}, status=status
        )
        return _private(response)

    def context(self, form) -> dict:
        return {**super().context(form), "link": self.link}

    def get(self, request, token):
        return self.render_form(self.answer_form())

    def post(self, request, token):
        form = self.answer_form(request.POST)
        submitting = request.POST.get("action") == "submit" and not _is_htmx(request)
        service = services.submit_by_link if submitting else services.save_answers_by_link
        try:
            saved = self.save(form, lambda answers: service(link=self.link, answers=answers))
        except ValidationError as error:
            if error.code == "gone":
                return self.unavailable(status=410)
            raise
        if _is_htmx(request):
            return self.render_status(form, saved)
        if not saved:
            return self.render_form(form)
        if submitting:
            return _private(render(request, "intake/link_thanks.html", {"intake": self.intake}))
        messages.success(
            request, _("Your answers are saved. You can continue later with the same link.")
        )
        return redirect(request.path)
