"""A person's notices and preferences, one-click unsubscribing, and the printed letters."""

from django.contrib import messages as flash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from rules.contrib.views import PermissionRequiredMixin

from common.views import is_own_path, paginate

from . import messages, selectors, services
from .forms import PreferenceForm
from .models import LetterBatch


class NoticeListView(LoginRequiredMixin, View):
    def get(self, request):
        page = paginate(request, selectors.notices_for(request.user), 25)
        for notice in page:
            notice.subject, notice.text = messages.render(notice.event.kind, notice.event.data)
        return render(request, "notifications/list.html", {"page": page})

    def post(self, request):
        services.mark_read(user=request.user)
        return redirect("notifications:list")


class NoticeOpenView(LoginRequiredMixin, View):
    """A notice's link: marks that notice read and goes where it points. Someone else's notice
    is not found (404), and a link that leaves this site goes to the messages instead."""

    def get(self, request, pk):
        notice = get_object_or_404(selectors.notices_for(request.user), pk=pk)
        services.mark_read(user=request.user, ids=[notice.pk])
        if not is_own_path(request, notice.event.url):
            return redirect("notifications:list")
        return redirect(notice.event.url)


class PreferenceView(LoginRequiredMixin, View):
    def get(self, request):
        form = PreferenceForm(instance=selectors.preference_of(request.user))
        return render(request, "notifications/preferences.html", {"form": form})

    def post(self, request):
        form = PreferenceForm(request.POST, instance=selectors.preference_of(request.user))
        if not form.is_valid():
            return render(request, "notifications/preferences.html", {"form": form}, status=400)
        services.update_preferences(user=request.user, actor=request.user, **form.cleaned_data)
        flash.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058 one-click: the mail client POSTs
class UnsubscribeView(View):
    """One click stops all e-mail except what a person must get. The link is the proof."""

    def get(self, request, token):
        if not selectors.Preference.objects.filter(unsubscribe_token=token).exists():
            raise Http404
        return render(request, "notifications/unsubscribe.html", {"done": False})

    def post(self, request, token):
        if services.unsubscribe(token=token) is None:
            raise Http404
        return render(request, "notifications/unsubscribe.html", {"done": True})


class LetterBatchListView(PermissionRequiredMixin, View):
    permission_required = "notifications.see_letters"

    def get(self, request):
        page = paginate(request, selectors.letter_batches(), 25)
        return render(request, "notifications/letters_list.html", {"page": page})


class LetterBatchPdfView(PermissionRequiredMixin, View):
    permission_required = "notifications.see_letters"

    def get(self, request, pk):
        batch = get_object_or_404(LetterBatch, pk=pk)
        if not batch.pdf:
            raise Http404
        response = FileResponse(
            batch.pdf.open("rb"),
            as_attachment=True,
            filename=f"brieven-{batch.week:%Y-%m-%d}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
