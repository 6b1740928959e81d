"""`manage.py catalog_export PATH`: write the whole procedure catalog to an .xlsx workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand

from smartcommune.catalog.excel import catalog_export_xlsx


class Command(BaseCommand):
    help = "Write the procedure catalog (procedures, components, fees, exemptions, process steps) to .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the workbook, e.g. catalog.xlsx")

    def handle(self, *args, path, **options):
        data = catalog_export_xlsx()
        Path(path).write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data):,} bytes).")
