"""What accounts tells the layers above it, inside the transaction of the change.

`accounts` is the lowest layer, so it cannot call `notifications.emit` itself; notifications
listens (`notifications.receivers`) and writes its event in the same transaction.
"""

from django.dispatch import Signal

# A batch of verification codes waits for a second civil servant's approval (batch=, actor=).
code_batch_needs_approval = Signal()

# A second civil servant approved a large batch; its issuer may print it (batch=, actor=).
code_batch_approved = Signal()

# The codes of a batch were made and shown to its issuer, once (batch=, actor=).
code_batch_printed = Signal()

# An authenticator app was set up for an account, replacing any other (user=, moment=): the
# person hears it by e-mail too, so that one set up by someone who knew only the password (a new
# staff account, or after a lost phone) does not go unnoticed (security review 2026-12-06, S5).
authenticator_set = Signal()
