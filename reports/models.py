from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerProbe(models.Model):
    """Proof that the Celery worker runs: a probe task writes the process and host it ran in.

    The integration suite sends one through the real broker and checks that it ran in another
    process than the test's; operators can do the same with `manage.py probe_worker`.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    ran_at = models.DateTimeField(_("ran at"), null=True, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker probe")
        verbose_name_plural = _("worker probes")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.token
