"""Words of third-party apps that ship no Dutch catalogue, translated in ours.

Django merges every catalogue by message id, so translating these here also translates them
where the app itself shows them (django-simple-history's history type: "Created" in the contract
history and in the admin). Listing them in our source keeps `makemessages` from dropping them.
"""

from django.utils.translation import gettext_lazy as _

SIMPLE_HISTORY_TYPES = (_("Created"), _("Changed"), _("Deleted"))
