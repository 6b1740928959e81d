"""The periodic alert for dossiers due within one working day."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .. import deadlines, notices
from ..choices import DossierStatus, DueState
from ..models import Dossier


def dossier_alert_due_soon(*, now: datetime | None = None, batch: int = 500) -> int:
    """Alert the assignee of each open dossier that became due soon (once per due moment)."""
    now = now or timezone.now()
    candidates = (
        Dossier.objects.open()
        .exclude(status=DossierStatus.SUPPLEMENT_REQUESTED)
        .filter(current_assignee__isnull=False, due_at__gt=now, due_alert_sent_at__isnull=True)
        .select_related("org_unit", "procedure", "current_assignee")
        .order_by("due_at")[:batch]
    )
    alerted = 0
    for dossier in candidates:
        rules = deadlines.rules_for(dossier.org_unit)
        state = deadlines.due_state(
            rules, status=dossier.status, due_at=dossier.due_at, finished_at=None, now=now
        )
        if state != DueState.DUE_SOON:
            break  # ordered by due time: the rest are further away
        with transaction.atomic():
            # Only the first run that claims the dossier sends the alert.
            if Dossier.objects.filter(pk=dossier.pk, due_alert_sent_at__isnull=True).update(
                due_alert_sent_at=now
            ):
                notices.due_soon(dossier)
                alerted += 1
    return alerted
