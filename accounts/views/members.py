"""Members: one's own profile, the staff's member list, verifying in person and revoking."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import errors_to_form, paginate

from .. import selectors, services
from ..filters import MemberFilter
from ..forms import RevokeVerificationForm, VerifyMemberForm
from ..models import MemberVerification, User


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verification"] = selectors.active_verification(self.request.user)
        return context


class MemberListView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.list_members"
    template_name = "accounts/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = MemberFilter(self.request.GET, queryset=selectors.members_for_staff())
        context["page"] = page = paginate(self.request, filterset.qs, 50)
        for member in page:  # their groups are loaded with them: no query
            member.staff_account = services.is_staff_account(member)
        # verifying is a civil servant's (an administrator sees the list, not the ways to change it)
        context["may_verify"] = self.request.user.has_perm("accounts.verify_member")
        context["search"] = filterset.form.cleaned_data.get("q", "")
        context["status"] = filterset.form.cleaned_data.get("status", "")
        return context


class VerifyMemberView(PermissionRequiredMixin, View):
    permission_required = "accounts.verify_member"
    template_name = "accounts/verify_member.html"

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(User, pk=kwargs["pk"], is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "member": self.member,
                "verification": selectors.active_verification(self.member),
                # the service refuses it (accounts.services.is_staff_account): no form to fill
                "staff_account": services.is_staff_account(self.member),
            },
        )

    def get(self, request, pk):
        return self._render(VerifyMemberForm())

    def post(self, request, pk):
        form = VerifyMemberForm(request.POST)
        if form.is_valid():
            moved = selectors.active_verification(self.member) is not None
            try:
                services.verify_member(
                    user=self.member,
                    area=form.cleaned_data["area"],
                    note=form.cleaned_data["note"],
                    date_of_birth=form.cleaned_data["date_of_birth"],
                    actor=request.user,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                done = (
                    _("The area of %(user)s is now %(area)s.")
                    if moved
                    else _("%(user)s is now a verified community member of %(area)s.")
                )
                messages.success(
                    request, done % {"user": self.member, "area": form.cleaned_data["area"]}
                )
                return redirect("accounts:members")
        return self._render(form)


class RevokeVerificationView(PermissionRequiredMixin, View):
    permission_required = "accounts.verify_member"
    template_name = "accounts/revoke_verification.html"

    def dispatch(self, request, *args, **kwargs):
        self.verification = get_object_or_404(
            MemberVerification.objects.select_related("user", "area"),
            pk=kwargs["pk"],
            revoked_at__isnull=True,
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(
            request,
            self.template_name,
            {"form": RevokeVerificationForm(), "verification": self.verification},
        )

    def post(self, request, pk):
        form = RevokeVerificationForm(request.POST)
        if form.is_valid():
            try:
                services.revoke_verification(
                    verification=self.verification,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The verification was revoked."))
                return redirect("accounts:members")
        return render(
            request, self.template_name, {"form": form, "verification": self.verification}
        )
