from django.core.management.base import BaseCommand, CommandError

from smartcommune.audit.verification import verify_chains


class Command(BaseCommand):
    help = "Recompute the audit hash chains and name the first broken entry of each broken chain."

    def handle(self, *args, **options):
        checked, breaks = verify_chains()
        for b in breaks:
            where = f"entry id {b.entry_id}" if b.entry_id is not None else "no entry"
            self.stderr.write(f"BROKEN chain {b.chain!r} at seq {b.seq} ({where}): {b.reason}")
        if breaks:
            first = breaks[0]
            raise CommandError(
                f"audit trail broken in {len(breaks)} chain(s), first {first.chain!r} at seq {first.seq} "
                f"(entry id {first.entry_id}); {checked} entries checked"
            )
        self.stdout.write(f"audit trail intact: {checked} entries checked")
