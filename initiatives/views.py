from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import Area
from common.paging import KeysFirst
from common.views import ServiceFormView, errors_to_form, filters_in_use, paginate

from . import panels, selectors, services, tabular
from .classifications import MULTI_SCHEMES
from .filters import DEFAULT_SORT, InitiativeFilter
from .forms import SCHEME_LABELS, AreaForm, ImportUploadForm, InitiativeForm
from .models import Classification, Initiative, InitiativeImport

PAGE_SIZE = 25


def _filtered(request, rows=None):
    """The filter set of the request's query and the initiatives it selects, from `rows`
    (by default with all their classifications, as the exports write them)."""
    rows = selectors.initiatives_for_list() if rows is None else rows
    filterset = InitiativeFilter(request.GET or None, queryset=rows)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if not request.GET.get("sort"):
        queryset = queryset.order_by(*selectors.SORTS["naam"])
    return filterset, queryset


# What a VNG name means, in plain words, beside the name (which stays as the VNG gives it).
SCHEME_EXPLANATIONS = {
    Classification.Scheme.DREMPEL: gettext_lazy(
        "The thresholds an initiative passes as it grows, from its first followers to its "
        "founder leaving (the VNG's classification)."
    ),
    Classification.Scheme.SOCIALIZATION_DOELGROEP: gettext_lazy(
        "Human Resourcefulness (HRs): people with talent that is not yet used, such as "
        "skills, resilience and life experience."
    ),
}


def _schemes_of(initiative: Initiative) -> list[tuple[str, list, str]]:
    """(label, classifications, what the label means or "") per scheme the initiative has."""
    return [
        (
            SCHEME_LABELS[scheme],
            initiative.classifications_in(scheme),
            SCHEME_EXPLANATIONS.get(scheme, ""),
        )
        for scheme in MULTI_SCHEMES
        if initiative.classifications_in(scheme)
    ]


class RegisterView(TemplateView):
    """The public register: search, filters, sorting, pagination."""

    template_name = "initiatives/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, queryset = _filtered(self.request, selectors.initiatives_for_register())
        page = paginate(self.request, KeysFirst(queryset), PAGE_SIZE)
        # On a phone the filters fold away, unless one is in use (then the visitor sees it);
        # the search box stays in view above them. The form sends every field with a search:
        # empty ones and the default order are no filter in use.
        filters_active = filters_in_use(
            self.request,
            [name for name in filterset.form.fields if name != "q"],
            defaults={"sort": DEFAULT_SORT},
        )
        context.update(filterset=filterset, page=page, filters_active=filters_active)
        return context


class InitiativeDetailView(TemplateView):
    template_name = "initiatives/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            initiative = selectors.initiative_detail(kwargs["slug"])
        except Initiative.DoesNotExist as exc:
            raise Http404 from exc
        context.update(
            initiative=initiative,
            schemes=_schemes_of(initiative),
            panels=panels.rendered(initiative, self.request),
        )
        return context


class ExportView(PermissionRequiredMixin, View):
    """The filtered register as CSV (public fields) or, for staff, CSV/XLSX with all fields."""

    all_fields = False
    file_format = "csv"

    def get_permission_required(self):
        return ["initiatives.export_all_fields" if self.all_fields else "initiatives.see_register"]

    def get(self, request):
        _filterset, queryset = _filtered(request)
        columns = tabular.ALL_COLUMNS if self.all_fields else tabular.PUBLIC_COLUMNS
        stamp = timezone.localdate().isoformat()
        name = f"initiatieven-{'volledig-' if self.all_fields else ''}{stamp}.{self.file_format}"
        if self.file_format == "xlsx":
            response = HttpResponse(
                tabular.write_xlsx(queryset.iterator(chunk_size=500), columns),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = StreamingHttpResponse(
                tabular.write_csv(queryset.iterator(chunk_size=500), columns),
                content_type="text/csv; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class InitiativeFormView(PermissionRequiredMixin, View):
    permission_required = "initiatives.manage_initiatives"
    template_name = "initiatives/form.html"

    def get_initiative(self):
        slug = self.kwargs.get("slug")
        return get_object_or_404(Initiative, slug=slug) if slug else None

    def get(self, request, slug=None):
        initiative = self.get_initiative()
        form = InitiativeForm(instance=initiative)
        return render(request, self.template_name, {"form": form, "initiative": initiative})

    def post(self, request, slug=None):
        initiative = self.get_initiative()
        form = InitiativeForm(request.POST, instance=initiative)
        if form.is_valid():
            try:
                if initiative is None:
                    initiative = services.create_initiative(
                        actor=request.user,
                        classifications=form.classifications(),
                        **form.model_fields(),
                    )
                    messages.success(request, _("The initiative is registered."))
                else:
                    initiative = services.update_initiative(
                        initiative=initiative,
                        actor=request.user,
                        classifications=form.classifications(),
                        **form.model_fields(),
                    )
                    messages.success(request, _("The changes are saved."))
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return redirect("initiatives:staff", slug=initiative.slug)
        return render(request, self.template_name, {"form": form, "initiative": initiative})


class StaffDetailView(PermissionRequiredMixin, TemplateView):
    """The civil servants' page: every field, contact details and the audit history."""

    permission_required = "initiatives.manage_initiatives"
    template_name = "initiatives/staff_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            initiative = selectors.initiative_detail(kwargs["slug"])
        except Initiative.DoesNotExist as exc:
            raise Http404 from exc
        context.update(
            initiative=initiative,
            schemes=_schemes_of(initiative),
            changes=selectors.history_of(initiative),
        )
        return context


class CloseInitiativeView(ServiceFormView):
    """A button: the initiative is marked as ended."""

    permission_required = "initiatives.manage_initiatives"
    success_message = gettext_lazy("The initiative is marked as ended.")

    def load(self):
        self.initiative = get_object_or_404(Initiative, slug=self.kwargs["slug"])

    def get_success_url(self):
        return reverse("initiatives:staff", kwargs={"slug": self.initiative.slug})

    def perform(self, form):
        services.close_initiative(initiative=self.initiative, actor=self.request.user)


class ImportView(PermissionRequiredMixin, View):
    permission_required = "initiatives.import_initiatives"
    template_name = "initiatives/import.html"

    def _render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "imports": selectors.imports()[:20],
                "guide": tabular.column_guide(),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, ImportUploadForm())

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload, _rows = services.upload_import(
                    actor=request.user, uploaded_file=form.cleaned_data["file"]
                )
            except tabular.FileProblem as problem:
                form.add_error("file", str(problem))
            else:
                return redirect("initiatives:import_preview", pk=upload.pk)
        return self._render(request, form)


class ImportTemplateView(PermissionRequiredMixin, View):
    """An empty import file to fill in: CSV (header row) or XLSX (with an explanation sheet)."""

    permission_required = "initiatives.import_initiatives"
    file_format = "csv"

    def get(self, request):
        if self.file_format == "xlsx":
            response = HttpResponse(
                tabular.template_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(tabular.template_csv(), content_type="text/csv; charset=utf-8")
        name = f"initiatieven-sjabloon.{self.file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ImportPreviewView(PermissionRequiredMixin, View):
    permission_required = "initiatives.import_initiatives"
    template_name = "initiatives/import_preview.html"

    def get(self, request, pk):
        upload = get_object_or_404(InitiativeImport, pk=pk)
        rows = services.rows_of(upload) if upload.status == upload.Status.PREVIEW else []
        return render(
            request,
            self.template_name,
            {
                "upload": upload,
                "bad_rows": [row for row in rows if row.errors],
                "valid_count": sum(1 for row in rows if not row.errors),
                "row_count": len(rows),
            },
        )

    def post(self, request, pk):
        upload = get_object_or_404(InitiativeImport, pk=pk)
        action = request.POST.get("action")
        if action == "cancel":
            services.cancel_import(upload=upload, actor=request.user)
            messages.info(request, _("The import was cancelled; nothing was imported."))
            return redirect("initiatives:import")
        try:
            created = services.run_import(
                upload=upload, actor=request.user, only_valid=action == "import_valid"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("initiatives:import_preview", pk=pk)
        messages.success(
            request,
            ngettext(
                "%(count)d initiative was imported.",
                "%(count)d initiatives were imported.",
                created,
            )
            % {"count": created},
        )
        return redirect("initiatives:register")


class AreaListView(PermissionRequiredMixin, View):
    permission_required = "initiatives.manage_areas"
    template_name = "initiatives/areas.html"

    def _render(self, request, form, area=None):
        areas = Area.objects.select_related("parent").order_by("name")
        return render(request, self.template_name, {"form": form, "areas": areas, "area": area})

    def get(self, request, pk=None):
        area = get_object_or_404(Area, pk=pk) if pk else None
        return self._render(request, AreaForm(instance=area), area)

    def post(self, request, pk=None):
        area = get_object_or_404(Area, pk=pk) if pk else None
        form = AreaForm(request.POST, instance=area)
        if form.is_valid():
            try:
                services.save_area(
                    actor=request.user,
                    area=Area.objects.get(pk=pk) if pk else None,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    parent=form.cleaned_data["parent"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The area is saved."))
                return redirect("initiatives:areas")
        return self._render(request, form, area)
