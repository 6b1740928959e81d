from django.core.management.base import BaseCommand, CommandError

from smartcommune.audit.verification import verify_chains


class Command(BaseCommand):
    help = "Recompute the audit hash chains and name the first broken entry of each broken chain."

    def handle(self, *args, **options):
        checked, breaks = verify_chains()
        for b in breaks:
            where = f"entry id {b.entry_id}" if b.entry_id else "end of chain"
            self.stderr.write(f"BROKEN chain {b.chain!r} at seq {b.seq} ({where}): {b.reason}")
        if breaks:
            raise CommandError(f"audit trail broken in {len(breaks)} chain(s); {checked} entries checked")
        self.stdout.write(f"audit trail intact: {checked} entries checked")
