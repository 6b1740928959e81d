"""Recompute the hash chains and report the first entry where each breaks."""

from dataclasses import dataclass

from .hashing import GENESIS, hash_of
from .models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainBreak:
    """Where a chain first breaks: `seq` is the position in the chain at which the break shows,
    `entry_id` the entry found there (None when the entry expected there is missing)."""

    chain: str
    seq: int
    entry_id: int | None
    reason: str


def _verify_chain(head: AuditChainHead | None, key: str, batch_size: int) -> tuple[int, ChainBreak | None]:
    checked = 0
    expected_prev, expected_seq, last_id = GENESIS, 1, None
    entries = AuditEntry.objects.filter(chain=key).order_by("seq").iterator(chunk_size=batch_size)
    for entry in entries:
        checked += 1
        if head is None:
            # Every writer creates the head first: entries without one were written around audit_record.
            return checked, ChainBreak(key, entry.seq, entry.pk, "chain has no head")
        if entry.seq != expected_seq:
            reason = f"entry missing before this one (found seq {entry.seq})"
            return checked, ChainBreak(key, expected_seq, entry.pk, reason)
        if entry.prev_hash != expected_prev:
            return checked, ChainBreak(key, entry.seq, entry.pk, "link to the previous entry is broken")
        if hash_of(entry) != entry.hash:
            return checked, ChainBreak(key, entry.seq, entry.pk, "entry content was changed")
        expected_prev, expected_seq, last_id = entry.hash, entry.seq + 1, entry.pk
    if head is None:
        return checked, None
    last_seq = expected_seq - 1
    if last_seq < head.last_seq:
        return checked, ChainBreak(key, expected_seq, None, "entries missing at the end of the chain")
    if last_seq > head.last_seq:
        return checked, ChainBreak(key, head.last_seq + 1, last_id, "entries beyond the chain head")
    if expected_prev != (head.last_hash or GENESIS):
        return checked, ChainBreak(key, last_seq, last_id, "last entry does not match the chain head")
    return checked, None


def verify_chains(batch_size: int = 2000) -> tuple[int, list[ChainBreak]]:
    """Return (entries checked, first break of each broken chain). Streams; memory stays flat.

    Checks every chain that has a head and every chain name found on an entry, so that entries
    moved to a chain of their own are not skipped.
    """
    heads = {head.key: head for head in AuditChainHead.objects.all()}
    keys = set(heads) | set(AuditEntry.objects.order_by().values_list("chain", flat=True).distinct())
    checked = 0
    breaks: list[ChainBreak] = []
    for key in sorted(keys):
        count, broken = _verify_chain(heads.get(key), key, batch_size)
        checked += count
        if broken:
            breaks.append(broken)
    return checked, breaks
