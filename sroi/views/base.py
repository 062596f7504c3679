"""What the sroi pages share: page sizes and the form view that shows a service's refusal."""

from common import views as common_views

CONTRACT_PAGE_SIZE = 50


TRANSACTION_PAGE_SIZE = 50


ALLOCATION_PAGE_SIZE = 25


REALISATION_PAGE_SIZE = 50


class ServiceFormView(common_views.ServiceFormView):
    template_name = "sroi/form.html"
