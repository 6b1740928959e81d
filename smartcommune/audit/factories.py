"""Test helpers for the audit trail: entries written the way services write them."""

from django.db import transaction

from .services import audit_record


def record_entries(
    n: int = 1, *, actor=None, action: str = "test.done", org_unit=None, target=None, data=None
):
    """Append `n` entries, each in its own transaction (as n service calls would)."""
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(
                audit_record(
                    actor=actor,
                    action=action,
                    target=target,
                    org_unit=org_unit,
                    data={"n": i} if data is None else data,
                )
            )
    return entries
