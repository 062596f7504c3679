"""Voting pages: the ballot, the trustees' key shares, the public bulletin of a counted poll
(and, before the count, where and when it comes)."""

import csv
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from common.pages import render_page
from common.paging import Rows
from common.views import errors_to_form, paginate

from .. import bulletin as counting
from .. import rules as governance_rules
from .. import sealing, selectors, services
from ..forms import BallotForm, ShareForm
from ..models import Choice, Proposal
from .base import (
    ProposalMixin,
)


def _refusal(user, proposal: Proposal) -> str:
    """Why `user` cannot vote on `proposal` now, in words: the voting service's reason when the
    window is shut (closed, or not open yet), else that they are not on the roll."""
    if not governance_rules.voting_is_open.test(user, proposal):
        refusal = services.window_refusal(proposal)
        if refusal is not None:
            return " ".join(refusal.messages)
    return _("You are not on the roll of this vote, so you cannot vote on it.")


class BallotView(ProposalMixin, PermissionRequiredMixin, View):
    """The ballot page. A refusal is a page that says why, and changes nothing."""

    permission_required = "governance.see_proposal"
    template_name = "governance/ballot.html"

    def load_proposal(self, pk):
        # The ballot shows the title and the closing time: not the comments, attachments or
        # areas. With it, in the same query, this voter's roll entry, check-in and
        # participation and the poll's key: the rule and the service answer from them.
        return selectors.proposal_for_vote(pk, self.request.user)

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
        choice = BallotForm.plain_choice(request.POST)
        if choice is None:  # not a plain for, against or abstain: the form says why
            form = BallotForm(request.POST)
            if not form.is_valid():
                return self._render(form, status=400)
            choice = form.cleaned_data["choice"]
        try:
            code = services.cast_vote(proposal=self.proposal, choice=choice, actor=request.user)
        except ValidationError as error:
            return self._render(None, refusal=" ".join(error.messages), status=409)
        if self.proposal.is_poll:
            # The receipt is shown once, here; it does not repeat the choice, and the code is
            # stored nowhere. The page around the code is the same for every voter of one kind
            # on this proposal: that page is kept, the code put into it (common/pages.py).
            response = render_page(
                request,
                "governance/receipt.html",
                fixed={
                    "proposal_title": self.proposal.title,
                    "proposal_pk": self.proposal.pk,
                    "hides_choices": self.proposal.bulletin_hides_choices,
                    "closes_at": self.proposal.closes_at,
                    "key_mark": self.proposal.poll_key.mark,
                },
                holes={"code": code},
            )
            response["Cache-Control"] = "no-store"
            return response
        else:
            messages.success(
                request,
                _("Your vote (%(choice)s) is recorded. You can change it until voting closes.")
                % {"choice": Choice(choice).label.lower()},
            )
        return redirect(self.proposal)


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

    def handle_no_permission(self):
        # A trustee who follows "your key is needed" too early or too late is told why, on the
        # proposal's page, not shown a refusal about roles they do have.
        proposal, user = self.proposal, self.request.user
        if user.is_authenticated and governance_rules.is_trustee.test(user, proposal):
            if proposal.status in (Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION,
                                   Proposal.Status.VOTING):  # fmt: skip
                messages.info(
                    self.request, _("Voting has not closed yet. Your key is needed after that.")
                )
                return redirect(proposal)
            if proposal.is_decided:
                messages.info(
                    self.request, _("The votes are counted already. Your key is not needed now.")
                )
                return redirect(proposal)
        return super().handle_no_permission()

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
            errors_to_form(form, error)
            return self._render(form, status=400)
        if entered >= needed:
            messages.success(request, _("Enough keys are in. The votes are being counted."))
            return redirect(self.proposal)
        messages.success(request, _("Your key is accepted."))
        return redirect("governance:enter_share", pk=self.proposal.pk)


BULLETIN_PAGE_SIZE = 50
TRACKING_CODE = re.compile(r"[0-9A-Z-]{1,20}")


def tracking_code_asked(form) -> str:
    """The tracking code searched for (the search form's `code`), as codes are printed:
    capitals, without spaces around it, with its dashes (typed without them, they are put
    back); "" for nothing or for text no code can be (no query is made for it)."""
    asked = form.get("code", "").strip().upper()
    if len(asked) == sealing.CODE_LENGTH and asked.isalnum():
        asked = "-".join(asked[i : i + 4] for i in range(0, sealing.CODE_LENGTH, 4))
    return asked if TRACKING_CODE.fullmatch(asked) else ""


class BulletinView(ProposalMixin, PermissionRequiredMixin, View):
    """The public list of tracking codes of a counted poll, as a page, CSV or JSON.

    The page shows 50 codes a page, or the one code searched for; its recount is of every
    ballot, counted by the database. The downloads hold every ballot. The search is a POST: a
    code in the address would be written, beside the voter's address or account, in the
    request log, gunicorn's access log and any proxy's, and the bulletin tells its choice."""

    permission_required = "governance.see_bulletin"
    fmt = "html"
    load_proposal = staticmethod(selectors.proposal_for_bulletin)

    def handle_no_permission(self):
        # Before the count the page's address (on every receipt and printed slip) says when the
        # list comes, to everyone: there is no list yet, the codes are inside the sealed ballots.
        request = self.request
        if (
            self.fmt == "html"
            and request.method == "GET"
            and request.user.has_perm("governance.await_bulletin", self.proposal)
        ):
            return render(request, "governance/bulletin_pending.html", {"proposal": self.proposal})
        return super().handle_no_permission()

    def get(self, request, pk):
        if self.fmt == "html":
            return self.page(request, None)
        data = selectors.bulletin(self.proposal)
        if self.fmt == "json":
            response = JsonResponse(data, json_dumps_params={"indent": 1})
            response["Content-Disposition"] = f'attachment; filename="stembiljetten-{pk}.json"'
            return response
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="stembiljetten-{pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(["code", "choice"])
        for ballot in data["ballots"]:
            writer.writerow([ballot["code"], ballot["choice"] or ""])
        return response

    def post(self, request, pk):
        if self.fmt != "html":
            return HttpResponseNotAllowed(["GET"])
        return self.page(request, request.POST)

    def page(self, request, form):
        """The page; `form` is the search's (POST), None for the list (GET, whatever its
        query string says)."""
        data = selectors.bulletin_summary(self.proposal)
        totals = selectors.ballot_totals(self.proposal)
        form = form or {}
        searched = bool(form.get("code", "").strip())
        code = tracking_code_asked(form)
        ballots = selectors.bulletin_ballots(self.proposal)
        if searched:
            # the code asked for (a COUNT of at most a row or two); text no code can be: none
            ballots = Rows(ballots.filter(tracking_code=code) if code else ballots.none())
        else:
            ballots = Rows(ballots, count=totals.rows)
        context = {
            "proposal": self.proposal,
            "data": data,
            "Choice": Choice,
            "recount": counting.recount_totals(data, codes=totals.codes, choices=totals.choices),
            "page": paginate(request, ballots, BULLETIN_PAGE_SIZE),
            "searched": searched,
            "code": form.get("code", "")[:40],
            "has_voted": governance_rules.has_cast_secret_ballot.test(request.user, self.proposal),
            "key_mark": sealing.key_mark(data["key_sha256"]) if data["key_sha256"] else "",
        }
        return render(request, "governance/bulletin.html", context)
