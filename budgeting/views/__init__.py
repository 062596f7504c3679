"""Pages of budget rounds (`rounds`) and the Community Home's paper ballots (`paper`)."""

from .paper import PaperBallotPrintView, PaperBallotView, PaperTableView
from .rounds import (
    OUTCOME_PAGE_SIZE,
    PLAN_PAGE_SIZE,
    STEPS,
    BallotView,
    DownloadView,
    PlanReviewView,
    PlanSubmitView,
    RoundDetailView,
    RoundFormView,
    RoundListView,
    StepView,
)

__all__ = [
    "OUTCOME_PAGE_SIZE",
    "PLAN_PAGE_SIZE",
    "STEPS",
    "BallotView",
    "DownloadView",
    "PaperBallotPrintView",
    "PaperBallotView",
    "PaperTableView",
    "PlanReviewView",
    "PlanSubmitView",
    "RoundDetailView",
    "RoundFormView",
    "RoundListView",
    "StepView",
]
