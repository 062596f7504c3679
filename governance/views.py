import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from security.uploads import download_response
from sroi.formatting import format_money

from . import bulletin as counting
from . import officing, selectors, services
from . import rules as governance_rules
from .forms import BallotForm, CommentForm, OpenVotingForm, ProposalForm, ShareForm, WithdrawForm
from .models import Attachment, Choice, Decision, Proposal

PAGE_SIZE = 25


def _warn_about_shortfall(request, proposal: Proposal) -> None:
    shortfall = selectors.allocation_shortfall(proposal)
    if shortfall is not None:
        available, amount = shortfall
        messages.warning(
            request,
            _(
                "%(fund)s has %(available)s available now, less than the %(amount)s of this "
                "proposal. It can only be carried out when the fund has enough money."
            )
            % {
                "fund": proposal.fund,
                "available": format_money(available),
                "amount": format_money(amount),
            },
        )


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ProposalMixin:
    """Loads the proposal named in the URL before the permission check (rules ask about it)."""

    closes_due = True
    # What the view shows of the proposal: its whole page by default.
    load_proposal = staticmethod(selectors.proposal_detail)

    def dispatch(self, request, *args, **kwargs):
        try:
            self.proposal = self.load_proposal(kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        if self.closes_due and rules_is_due(self.proposal):
            # No beat under `make run`: a page that shows a due vote closes it (idempotent).
            services.close_if_due(self.proposal)
            self.proposal = self.load_proposal(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.proposal


def rules_is_due(proposal: Proposal) -> bool:
    return governance_rules.is_due.test(None, proposal)


class ProposalListView(TemplateView):
    """Public: proposals under discussion and in the vote, and decisions with their tallies."""

    template_name = "governance/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # No beat under `make run`: the list closes the votes it would show as due.
        services.close_due_proposals()
        queryset = selectors.proposals_for_list(
            include_drafts=user.has_perm("governance.view_drafts")
        )
        status = self.request.GET.get("status", "")
        if status in Proposal.Status.values:
            queryset = queryset.filter(status=status)
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page=page,
            status=status,
            statuses=Proposal.Status.choices,
            can_prepare=user.has_perm("governance.prepare_proposal"),
            can_view_bodies=user.has_perm("governance.view_bodies"),
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
            all_open=selectors.open_votes().count() if user.is_authenticated else None,
        )
        return context


class ProposalDetailView(ProposalMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "governance.view_proposal"
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
            shortfall=(
                selectors.allocation_shortfall(proposal) if can["execute_decision"] else None
            ),
        )
        return context


def _refusal(user, proposal: Proposal) -> str:
    """Why `user` cannot vote on `proposal` now, in words."""
    if not governance_rules.voting_is_open.test(user, proposal):
        if proposal.status == Proposal.Status.VOTING and proposal.opens_at:
            return _("Voting on this proposal has closed.")
        return _("Voting on this proposal is not open.")
    return _("You are not on the roll of this vote, so you cannot vote on it.")


class BallotView(ProposalMixin, PermissionRequiredMixin, View):
    """The ballot page. A refusal is a page that says why, and changes nothing."""

    permission_required = "governance.view_proposal"
    template_name = "governance/ballot.html"
    # The ballot shows the title and the closing time: not the comments, attachments or areas.
    load_proposal = staticmethod(selectors.proposal_for_ballot)

    def _render(self, form, *, refusal: str = "", status: int = 200):
        proposal = self.proposal
        return render(
            self.request,
            self.template_name,
            {
                "proposal": proposal,
                "form": form,
                "refusal": refusal,
                "own_vote": None if refusal else selectors.own_vote(proposal, self.request.user),
            },
            status=status,
        )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def _can_vote(self) -> bool:
        return self.request.user.has_perm("governance.vote_proposal", self.proposal)

    def get(self, request, pk):
        if not self._can_vote():
            return self._render(None, refusal=_refusal(request.user, self.proposal), status=403)
        own = selectors.own_vote(self.proposal, request.user)
        return self._render(BallotForm(initial={"choice": own.choice} if own else None))

    def post(self, request, pk):
        if not self._can_vote():
            return self._render(None, refusal=_refusal(request.user, self.proposal), status=403)
        form = BallotForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            code = services.cast_vote(
                proposal=self.proposal, choice=form.cleaned_data["choice"], actor=request.user
            )
        except ValidationError as error:
            return self._render(None, refusal=" ".join(error.messages), status=409)
        if self.proposal.is_poll:
            # The receipt is shown once, here; it does not repeat the choice and is not kept.
            response = render(
                request, "governance/receipt.html", {"proposal": self.proposal, "code": code}
            )
            response["Cache-Control"] = "no-store"
            return response
        else:
            messages.success(
                request,
                _("Your vote (%(choice)s) is recorded. You can change it until voting closes.")
                % {"choice": Choice(form.cleaned_data["choice"]).label.lower()},
            )
        return redirect(self.proposal)


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
                self.proposal = selectors.proposal_detail(kwargs["pk"])
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
            if self.proposal is None:
                proposal = services.create_proposal(actor=request.user, **form.proposal_fields())
            else:
                proposal = services.update_proposal(
                    proposal=self.proposal, actor=request.user, **form.proposal_fields()
                )
            if form.cleaned_data["attachment"]:
                services.add_attachment(
                    proposal=proposal,
                    title=form.cleaned_data["attachment_title"],
                    file=form.cleaned_data["attachment"],
                    actor=request.user,
                )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self._render(form, status=400)
        messages.success(request, _("The proposal is saved."))
        _warn_about_shortfall(request, proposal)
        return redirect(proposal)


class TransitionView(ProposalMixin, PermissionRequiredMixin, View):
    """A life-cycle step; with a form (`form_class`) it has a confirmation page."""

    form_class = None
    template_name = "governance/transition.html"
    title = ""
    success = ""

    def perform(self, form) -> None:
        raise NotImplementedError

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "proposal": self.proposal, "title": self.title},
            status=status,
        )

    def get(self, request, pk):
        if self.form_class is None:
            return self.http_method_not_allowed(request)
        return self._render(self.form_class())

    def post(self, request, pk):
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self._render(form, status=400)
        try:
            self.perform(form)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(self.proposal)
            _errors_to_form(form, error)
            return self._render(form, status=400)
        messages.success(request, self.success)
        return redirect(self.proposal)


class StartDiscussionView(TransitionView):
    permission_required = "governance.start_discussion"

    def perform(self, form) -> None:
        services.start_discussion(proposal=self.proposal, actor=self.request.user)
        self.success = _("The proposal is published for discussion.")


class OpenVotingView(TransitionView):
    permission_required = "governance.open_voting"
    form_class = OpenVotingForm

    @property
    def title(self):
        return _("Open voting")

    def perform(self, form) -> None:
        proposal = services.open_voting(
            proposal=self.proposal,
            closes_at=form.cleaned_data["closes_at"],
            actor=self.request.user,
        )
        self.success = _("Voting is open.")
        if proposal.is_poll:
            self.success += " " + _(
                "The votes are locked. Each trustee can now see their key once on this page."
            )


class WithdrawView(TransitionView):
    permission_required = "governance.withdraw_proposal"
    form_class = WithdrawForm

    @property
    def title(self):
        return _("Withdraw the proposal")

    def perform(self, form) -> None:
        services.withdraw_proposal(
            proposal=self.proposal, reason=form.cleaned_data["reason"], actor=self.request.user
        )
        self.success = _("The proposal is withdrawn.")


class ExecuteView(TransitionView):
    permission_required = "governance.execute_decision"

    def perform(self, form) -> None:
        decision = services.execute_decision(
            decision=self.proposal.decision, actor=self.request.user
        )
        if decision.allocation is None:
            self.success = _("The decision is marked as carried out.")
        else:
            self.success = _(
                "The decision is carried out: %(amount)s of %(fund)s is allocated to "
                "%(initiative)s under %(reference)s."
            ) % {
                "amount": format_money(decision.allocation.amount),
                "fund": decision.allocation.fund,
                "initiative": decision.allocation.initiative,
                "reference": decision.reference,
            }


def decision_view(request, pk: int):
    """A decision's address (the ledger links to it by id): its proposal's page."""
    decision = get_object_or_404(Decision.objects.select_related("proposal"), pk=pk)
    return redirect(decision.proposal)


class BodyListView(PermissionRequiredMixin, TemplateView):
    """Bodies with their seats today and whether they meet the composition rule."""

    permission_required = "governance.view_bodies"
    template_name = "governance/bodies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            bodies=selectors.bodies_with_composition(),
            can_manage=self.request.user.has_perm("governance.manage_bodies"),
        )
        return context


class AttachmentView(View):
    """An attachment, served to whoever may see its proposal (media is not public in production)."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.select_related("proposal"), pk=pk)
        if not request.user.has_perm("governance.view_proposal", attachment.proposal):
            raise PermissionDenied
        return download_response(
            attachment.file, filename=attachment.original_name or attachment.title
        )


class CloseVotingView(TransitionView):
    """A civil servant closes a vote whose window has ended (beat or a page may be first)."""

    permission_required = "governance.close_voting"
    closes_due = False  # the civil servant's own action, recorded with their name

    def perform(self, form) -> None:
        decision = services.close_voting(proposal=self.proposal, actor=self.request.user)
        self.success = (
            _("Voting is closed. The result is published.")
            if decision is not None
            else _("Voting is closed. The trustees can now unlock the ballots.")
        )


class PickUpShareView(ProposalMixin, PermissionRequiredMixin, View):
    """A trustee sees their share of the poll's key, once, to write down or print."""

    permission_required = "governance.pick_up_share"
    template_name = "governance/share.html"

    def get(self, request, pk):
        return render(request, self.template_name, {"proposal": self.proposal, "share": None})

    def post(self, request, pk):
        try:
            share = services.pick_up_share(proposal=self.proposal, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.proposal)
        response = render(request, self.template_name, {"proposal": self.proposal, "share": share})
        response["Cache-Control"] = "no-store"
        return response


class EnterShareView(ProposalMixin, PermissionRequiredMixin, View):
    """Trustees enter their keys after closing; the page says how many are still needed."""

    permission_required = "governance.enter_share"
    template_name = "governance/unlock.html"

    def _render(self, form, status=200):
        entered, needed, trustees = selectors.key_progress(self.proposal)
        return render(
            self.request,
            self.template_name,
            {
                "proposal": self.proposal,
                "form": form,
                "entered": entered,
                "needed": needed,
                "trustees": trustees,
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(ShareForm())

    def post(self, request, pk):
        form = ShareForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            entered, needed = services.enter_share(
                proposal=self.proposal, share=form.cleaned_data["share"], actor=request.user
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self._render(form, status=400)
        if entered >= needed:
            messages.success(request, _("Enough keys are in. The votes are being counted."))
            return redirect(self.proposal)
        messages.success(request, _("Your key is accepted."))
        return redirect("governance:enter_share", pk=self.proposal.pk)


class BulletinView(ProposalMixin, PermissionRequiredMixin, View):
    """The public list of tracking codes of a counted poll, as a page, CSV or JSON."""

    permission_required = "governance.view_bulletin"
    fmt = "html"

    def get(self, request, pk):
        data = selectors.bulletin(self.proposal)
        if self.fmt == "json":
            response = JsonResponse(data, json_dumps_params={"indent": 1})
            response["Content-Disposition"] = f'attachment; filename="stembiljetten-{pk}.json"'
            return response
        if self.fmt == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="stembiljetten-{pk}.csv"'
            writer = csv.writer(response)
            writer.writerow(["code", "choice"])
            for ballot in data["ballots"]:
                writer.writerow([ballot["code"], ballot["choice"] or ""])
            return response
        return render(
            request,
            "governance/bulletin.html",
            {
                "proposal": self.proposal,
                "data": data,
                "recount": counting.recount(data),
                "has_voted": governance_rules.has_cast_secret_ballot.test(
                    request.user, self.proposal
                ),
            },
        )
