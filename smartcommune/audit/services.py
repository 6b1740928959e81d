import ipaddress
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from smartcommune.core import context
from smartcommune.core.queries import PreparedInsert

from .hashing import GENESIS, entry_hash
from .masking import mask_personal_ids
from .models import AuditChainHead, AuditEntry, PersonalDataAccess

PROVINCE_CHAIN = "province"


def _chain_key(org_unit) -> str:
    # Org units name their chain (their commune's); everything else goes to the province chain.
    return getattr(org_unit, "audit_chain_key", None) or PROVINCE_CHAIN


def _label(obj, max_length: int = 300) -> str:
    # A citizen's account is named by their personal identification number when it has no full name.
    return mask_personal_ids(str(obj))[:max_length] if obj is not None else ""


def _ip(value: str | None) -> str | None:
    """The address in the text form the database gives back (Django's and PostgreSQL's inet: IPv6
    compressed, IPv4-mapped as ::ffff:a.b.c.d), so that the stored entry hashes as it was hashed.
    Anything unparsable (a hostile X-Forwarded-For) is dropped rather than failing the change."""
    if not value:
        return None
    try:
        # A zone index ("fe80::1%eth0") is local to the server and not storable in inet.
        address = ipaddress.ip_address(value.strip().split("%")[0])
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _locked_head(chain: str) -> AuditChainHead:
    """The chain's head row, locked until commit. One query once the chain exists; its first
    writer creates it (get_or_create copes with two first writers at once)."""
    head = AuditChainHead.objects.select_for_update().filter(key=chain).first()
    if head is None:
        AuditChainHead.objects.get_or_create(key=chain)
        head = AuditChainHead.objects.select_for_update().get(key=chain)
    return head


def audit_record(
    *,
    actor,
    action: str,
    target=None,
    org_unit=None,
    data: dict | None = None,
) -> AuditEntry:
    """Append an entry to the audit trail, inside the caller's transaction.

    `action` is `<entity>.<past participle>` ("dossier.forwarded"). Must be called by the service
    that makes the change, in the same transaction, so that the change and its record commit or
    roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must run inside the service's transaction")
    chain = _chain_key(org_unit)
    head = _locked_head(chain)
    ctx = context.current()
    # Round-trip through JSON so that what is hashed is exactly what the database gives back.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    actor_obj = actor if getattr(actor, "pk", None) else None
    fields = {
        "chain": chain,
        "seq": head.last_seq + 1,
        "created_at": timezone.now(),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_label": _label(actor_obj, 200) if actor_obj else "system",
        "action": action,
        "target_type": target._meta.label_lower if target is not None and hasattr(target, "_meta") else "",
        "target_id": str(target.pk) if target is not None and getattr(target, "pk", None) is not None else "",
        "target_label": _label(target),
        "org_unit_id": org_unit.pk if org_unit is not None else None,
        "request_id": ctx.request_id,
        "ip": _ip(ctx.ip),
        "data": clean_data,
        "prev_hash": head.last_hash or GENESIS,
    }
    digest = entry_hash(**fields)
    entry = AuditEntry.objects.create(hash=digest, **fields)
    head.last_seq = entry.seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


_INSERT_ACCESS = PreparedInsert(PersonalDataAccess)


def personal_data_access_record(*, actor, what: str, subject, org_unit, label: str = "") -> None:
    """Record that `actor` (an official) opened `subject`, a record holding someone's personal data
    kept by `org_unit`. One insert compiled once, no chain lock: pages call it on every view."""
    ctx = context.current()
    _INSERT_ACCESS(
        PersonalDataAccess(
            actor=actor,
            actor_label=_label(actor, 200),
            what=what,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            subject_label=mask_personal_ids(label or str(subject))[:300],
            org_unit=org_unit,
            request_id=ctx.request_id,
            ip=_ip(ctx.ip),
        )
    )
