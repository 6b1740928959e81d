"""`manage.py catalog_import PATH`: import a catalog workbook, all or nothing (audited as "system")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from smartcommune.catalog.errors import CatalogFileUnreadable, CatalogInvalid
from smartcommune.catalog.services import catalog_import_xlsx


class Command(BaseCommand):
    help = "Import a procedure catalog workbook in the export's layout. Nothing changes if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx workbook to import")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with file.open("rb") as handle:
                result = catalog_import_xlsx(actor=None, file=handle)
        except CatalogFileUnreadable as exc:
            raise CommandError(str(exc.detail)) from exc
        except CatalogInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{error.sheet} row {error.row} [{error.column}]: {error.message}")
            raise CommandError(f"{len(exc.errors)} error(s); nothing was changed.") from exc
        self.stdout.write(
            f"Procedures: {result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
            f"processes changed: {result.processes_changed}; fields changed: {result.fields_changed}."
        )
