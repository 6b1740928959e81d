"""Recompute the hash chains and report the first entry where each breaks."""

from dataclasses import dataclass

from .hashing import GENESIS, hash_of
from .models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int
    entry_id: int | None
    reason: str


def verify_chains(batch_size: int = 2000) -> tuple[int, list[ChainBreak]]:
    """Return (entries checked, first break of each broken chain). Streams; memory stays flat."""
    checked = 0
    breaks: list[ChainBreak] = []
    for head in AuditChainHead.objects.order_by("key"):
        expected_prev, expected_seq, broken = GENESIS, 1, None
        entries = AuditEntry.objects.filter(chain=head.key).order_by("seq").iterator(chunk_size=batch_size)
        for entry in entries:
            checked += 1
            if entry.seq != expected_seq:
                broken = ChainBreak(head.key, expected_seq, entry.pk, "missing entry before this one")
            elif entry.prev_hash != expected_prev:
                broken = ChainBreak(head.key, entry.seq, entry.pk, "link to the previous entry is broken")
            elif hash_of(entry) != entry.hash:
                broken = ChainBreak(head.key, entry.seq, entry.pk, "entry content was changed")
            if broken:
                break
            expected_prev, expected_seq = entry.hash, entry.seq + 1
        if broken is None and (
            expected_seq - 1 != head.last_seq or expected_prev != (head.last_hash or GENESIS)
        ):
            broken = ChainBreak(head.key, expected_seq, None, "entries missing at the end of the chain")
        if broken:
            breaks.append(broken)
    return checked, breaks
