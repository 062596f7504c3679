"""Proposal pages: the list, the open votes, a proposal, its form, comments, attachments, bodies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import errors_to_form, paginate
from security.uploads import download_response

from .. import officing, selectors, services, vote_lists
from .. import rules as governance_rules
from ..filters import ProposalFilter
from ..forms import CommentForm, ProposalForm
from ..models import Attachment, Decision, Proposal
from .base import PAGE_SIZE, ProposalMixin, _warn_about_shortfall, shortfall_text


class ProposalListView(TemplateView):
    """Public: proposals under discussion and in the vote, and decisions with their tallies."""

    template_name = "governance/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # No beat under `make run`: the list closes the votes it would show as due.
        services.close_due_proposals()
        queryset = selectors.proposals_for_list(
            include_drafts=user.has_perm("governance.see_drafts")
        )
        filterset = ProposalFilter(self.request.GET, queryset=queryset)
        page = paginate(self.request, filterset.qs, PAGE_SIZE)
        context.update(
            page=page,
            status=filterset.form.cleaned_data.get("status", ""),
            statuses=Proposal.Status.choices,
            can_prepare=user.has_perm("governance.prepare_proposal"),
            can_view_bodies=user.has_perm("governance.see_body_list"),
        )
        return context


class OpenVotesView(TemplateView):
    """Public: the votes open now; for a signed-in person the ones they can still cast."""

    template_name = "governance/open_votes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            votes=list(selectors.open_votes(user)),
            voted=list(selectors.voted_open_polls(user)),
            vote_parts=vote_lists.rendered(self.request),  # budget rounds open for voting
            all_open=selectors.open_votes().count() if user.is_authenticated else None,
            voting=Proposal.Status.VOTING,
        )
        return context


class ProposalDetailView(ProposalMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "governance.see_proposal"
    template_name = "governance/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal, user = self.proposal, self.request.user
        comments = selectors.comment_page(proposal, self.request.GET.get("reacties"))
        can = {
            name: user.has_perm(f"governance.{name}", proposal)
            for name in (
                "vote_proposal",
                "comment_proposal",
                "advise_proposal",
                "edit_proposal",
                "start_discussion",
                "open_voting",
                "withdraw_proposal",
                "execute_decision",
                "close_voting",
                "pick_up_share",
                "enter_share",
                "view_bulletin",
            )
        }
        context.update(
            proposal=proposal,
            can=can,
            advice=selectors.advice_of(proposal),
            comments=comments["comments"],
            comment_pages=comments,
            comment_form=CommentForm(),
            community_homes=officing.public_view(proposal, user) if proposal.is_poll else None,
            decision=getattr(proposal, "decision", None) if proposal.is_decided else None,
            roll_call=(
                selectors.roll_call(proposal)
                if proposal.is_decided and not proposal.is_poll
                else None
            ),
            own_vote=selectors.own_vote(proposal, user) if proposal.voting_is_open() else None,
            has_voted=(
                governance_rules.has_cast_secret_ballot.test(user, proposal)
                if proposal.is_poll and proposal.status != Proposal.Status.DISCUSSION
                else False
            ),
            key_progress=(
                selectors.key_progress(proposal)
                if proposal.status == Proposal.Status.COUNTING
                else None
            ),
            rule=proposal.rule_snapshot,
            frozen=proposal.composition_snapshot,
            voting_may_open_at=(
                selectors.voting_may_open_at(proposal)
                if proposal.status == Proposal.Status.DISCUSSION
                else None
            ),
            can_view_allocation=user.has_perm("sroi.record_money"),
            shortfall=self._shortfall(proposal) if can["execute_decision"] else None,
        )
        return context

    @staticmethod
    def _shortfall(proposal: Proposal) -> str | None:
        """Why the fund cannot pay this allocation now, for whoever carries it out."""
        shortfall = selectors.allocation_shortfall(proposal)
        return None if shortfall is None else shortfall_text(proposal, shortfall)


class CommentView(ProposalMixin, PermissionRequiredMixin, View):
    permission_required = "governance.comment_proposal"
    advice = False

    def post(self, request, pk):
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write your contribution first."))
            return redirect(self.proposal)
        post = services.post_advice if self.advice else services.post_comment
        try:
            post(proposal=self.proposal, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your advice is published.") if self.advice else _("Your comment is published."),
            )
        return redirect(f"{self.proposal.get_absolute_url()}#discussie")


class AdviceView(CommentView):
    permission_required = "governance.advise_proposal"
    advice = True


class ProposalFormView(PermissionRequiredMixin, View):
    """Create (civil servants) or edit a proposal in draft or under discussion."""

    template_name = "governance/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.proposal = None
        if "pk" in kwargs:
            try:
                self.proposal = selectors.proposal_for_form(kwargs["pk"])
            except Proposal.DoesNotExist as exc:
                raise Http404 from exc
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        return ["governance.edit_proposal" if self.proposal else "governance.prepare_proposal"]

    def get_permission_object(self):
        return self.proposal

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "proposal": self.proposal},
            status=status,
        )

    def get(self, request, pk=None):
        initial = ProposalForm.initial_for(self.proposal) if self.proposal else None
        return self._render(ProposalForm(initial=initial))

    def post(self, request, pk=None):
        form = ProposalForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            proposal = services.save_proposal(
                proposal=self.proposal,
                actor=request.user,
                attachment=form.cleaned_data["attachment"],
                attachment_title=form.cleaned_data["attachment_title"],
                **form.proposal_fields(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
            return self._render(form, status=400)
        messages.success(request, _("The proposal is saved."))
        _warn_about_shortfall(request, proposal)
        return redirect(proposal)


def decision_view(request, pk: int):
    """A decision's address (the ledger links to it by id): its proposal's page."""
    decision = get_object_or_404(Decision.objects.select_related("proposal"), pk=pk)
    return redirect(decision.proposal)


class BodyListView(PermissionRequiredMixin, TemplateView):
    """Bodies with their seats today and whether they meet the composition rule, for everyone:
    the members are named only as a public roll-call names them (`selectors.public_members`).
    Staff also get the links to each body's page and the decision rules."""

    permission_required = "governance.see_body_list"
    template_name = "governance/bodies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = selectors.public_members()
        context.update(
            bodies=[
                (body, composition, members.get(body.pk, []))
                for body, composition in selectors.bodies_with_composition()
            ],
            can_see_details=self.request.user.has_perm("governance.see_bodies"),
            can_manage=self.request.user.has_perm("governance.manage_bodies"),
        )
        return context


class AttachmentView(View):
    """An attachment, served to whoever may see its proposal (media is not public in production)."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.select_related("proposal"), pk=pk)
        if not request.user.has_perm("governance.see_proposal", attachment.proposal):
            raise PermissionDenied
        return download_response(
            attachment.file, filename=attachment.original_name or attachment.title
        )
