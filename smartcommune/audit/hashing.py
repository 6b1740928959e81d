"""The canonical form an audit entry is hashed in. Changing it invalidates every stored chain."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def canonical_payload(
    *,
    chain: str,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    org_unit_id: int | None,
    request_id: str,
    ip: str | None,
    data: dict,
    prev_hash: str,
) -> bytes:
    body = {
        "chain": chain,
        "seq": seq,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "org_unit_id": org_unit_id,
        "request_id": request_id,
        "ip": ip,
        "data": data,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(**fields) -> str:
    return hashlib.sha256(canonical_payload(**fields)).hexdigest()


def hash_of(entry) -> str:
    """Recompute the hash of a stored AuditEntry from its fields."""
    return entry_hash(
        chain=entry.chain,
        seq=entry.seq,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        target_label=entry.target_label,
        org_unit_id=entry.org_unit_id,
        request_id=entry.request_id,
        ip=entry.ip,
        data=entry.data,
        prev_hash=entry.prev_hash,
    )
