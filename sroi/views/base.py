"""What the sroi pages share: page sizes, a contract by its number, and the form view that shows
a service's refusal."""

from django.http import Http404

from common import views as common_views

from .. import selectors
from ..models import Contract

CONTRACT_PAGE_SIZE = 50
TRANSACTION_PAGE_SIZE = 50
ALLOCATION_PAGE_SIZE = 25
REALISATION_PAGE_SIZE = 50
BEHIND_PAGE_SIZE = 50  # contracts behind schedule a page (sroi:behind)


def contract_or_404(pk) -> Contract:
    """The contract with its figures (`selectors.contract_detail`), or the page does not exist."""
    try:
        return selectors.contract_detail(pk)
    except Contract.DoesNotExist as exc:
        raise Http404 from exc


class ServiceFormView(common_views.ServiceFormView):
    template_name = "sroi/form.html"
