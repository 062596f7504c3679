"""Printed papers of Community Homes: the poll cards of a whole roll (made by the worker, with
progress and a download), ballot papers for a location and the results sheet of a ballot box.
Personal data: never cached."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from governance import officing
from governance.models import Proposal
from governance.models.officing import PollCardRun
from governance.officing.cards import latest_run, request_poll_cards
from governance.officing.printing import ballot_papers_pdf, notice_pdf, results_sheet_pdf
from governance.officing.views import StationMixin


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # names of residents: never in a cache
    return response


class PollCardsView(PermissionRequiredMixin, View):
    """A civil servant has the worker make a poll card for every resident on the frozen roll;
    the page shows the progress (refreshed by htmx while the worker is busy) and the download."""

    permission_required = "governance.print_poll_cards"
    template_name = "governance/poll_cards.html"

    def dispatch(self, request, *args, **kwargs):
        self.proposal = get_object_or_404(Proposal, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.proposal

    def get(self, request, pk):
        context = {"proposal": self.proposal, "run": latest_run(self.proposal)}
        if request.GET.get("deel") == "voortgang":
            return render(request, "governance/partials/poll_cards_progress.html", context)
        return render(request, self.template_name, context)

    def post(self, request, pk):
        try:
            request_poll_cards(proposal=self.proposal, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The poll cards are being made. This page shows how far."))
        return redirect("governance:poll_cards", pk=pk)


class PollCardsDownloadView(PollCardsView):
    """The ZIP of a finished poll cards run (personal data: never cached)."""

    def get(self, request, pk, run):
        found = get_object_or_404(
            PollCardRun, pk=run, proposal=self.proposal, status=PollCardRun.Status.DONE
        )
        response = FileResponse(
            found.file.open("rb"),
            as_attachment=True,
            filename=f"stemkaarten-{pk}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request, pk, run):
        raise Http404


class StationPrintView(StationMixin, PermissionRequiredMixin, View):
    """Ballot papers or the notice for the board of a location, or the results sheet of a
    ballot box's count for signing."""

    kind = "ballots"

    def get_permission_required(self):
        if self.kind in ("ballots", "notice"):
            return ("governance.print_ballot_papers",)
        return ("governance.print_results_sheet",)

    def get(self, request, pk, slug):
        proposal, location = self.station.proposal, self.station.location
        if self.kind == "notice":
            return _pdf_response(notice_pdf(proposal, location), f"bekendmaking-{pk}-{slug}.pdf")
        if self.kind == "ballots":
            try:
                copies = min(max(int(request.GET.get("aantal", "10")), 1), 500)
            except ValueError:
                copies = 10
            data = ballot_papers_pdf(proposal, location, copies)
            return _pdf_response(data, f"stembiljetten-{pk}-{slug}.pdf")
        shift = request.GET.get("dienst", "")
        batch = next(
            (b for b in officing.batches(proposal, location) if str(b.shift.pk) == shift), None
        )
        if batch is None or batch.count is None:
            raise Http404
        return _pdf_response(
            results_sheet_pdf(batch.count), f"proces-verbaal-{pk}-{slug}-{shift}.pdf"
        )
