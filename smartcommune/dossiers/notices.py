"""What the applicant and the officials are told, and when: each call is made inside the action's
transaction, and notifications sends e-mail and SMS only after it commits."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from smartcommune.notifications.services import Recipient, notify

from .models import Dossier


def _applicant(dossier: Dossier) -> list[Recipient]:
    if dossier.citizen_id:
        return [Recipient.of_citizen(dossier.citizen)]
    org = dossier.organisation
    return [Recipient(email=org.email, phone=org.phone, name=org.name)] if org else []


def lookup_url(code: str) -> str:
    """The portal's public lookup page, pre-filled with the dossier code (receipt QR, messages)."""
    base = settings.SMARTCOMMUNE["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}{reverse('portal:lookup')}?{urlencode({'code': code})}"


def _common(dossier: Dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "office": dossier.org_unit.name,
        "lookup_url": lookup_url(dossier.code),
    }


def _send(dossier: Dossier, event: str, recipients: list[Recipient], channels=None, **context) -> None:
    if recipients:
        extra = {"channels": channels} if channels else {}
        notify(
            event=event,
            recipients=recipients,
            context={**_common(dossier), **context},
            related=dossier,
            org_unit=dossier.org_unit,
            **extra,
        )


def received(dossier: Dossier) -> None:
    _send(
        dossier,
        "dossier.received",
        _applicant(dossier),
        due_at=dossier.due_at,
        received_at=dossier.received_at,
    )


def _how_to_submit(dossier: Dossier) -> str:
    """At the office, or online on the portal when the applicant has an account."""
    if dossier.citizen_id and dossier.citizen.user_id:
        base = settings.SMARTCOMMUNE["PUBLIC_BASE_URL"].rstrip("/")
        page = reverse("portal:my_dossier", kwargs={"code": dossier.code})
        return f"{dossier.org_unit.name}, hoặc trực tuyến: {base}{page}"
    return dossier.org_unit.name


def supplement_requested(dossier: Dossier, *, items: str, reason: str) -> None:
    _send(
        dossier,
        "dossier.supplement_requested",
        _applicant(dossier),
        items=items.splitlines() or [items],
        reason=reason,
        how_to_submit=_how_to_submit(dossier),
    )


def apology(dossier: Dossier, *, reason: str, old_due_at, new_due_at) -> None:
    _send(
        dossier,
        "dossier.apology",
        _applicant(dossier),
        reason=reason,
        old_due_at=old_due_at,
        new_due_at=new_due_at,
    )


def result_ready(dossier: Dossier) -> None:
    _send(dossier, "dossier.result_ready", _applicant(dossier), how_to_collect=dossier.org_unit.name)


def refused(dossier: Dossier, *, reason: str) -> None:
    _send(dossier, "dossier.refused", _applicant(dossier), reasons=[reason])


def due_soon(dossier: Dossier) -> None:
    """Alert the assignee one working day before the due time (DOMAIN.md §1.2, late handling)."""
    if dossier.current_assignee is not None:
        _send(
            dossier,
            "dossier.due_soon",
            [Recipient.of_user(dossier.current_assignee)],
            due_at=dossier.due_at,
            channels=("in_app", "email"),
        )
