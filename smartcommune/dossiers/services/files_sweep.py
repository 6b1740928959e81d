"""Removing stored files that no dossier row names.

A file is written to storage inside the transaction that records it; when that transaction rolls
back (a refused upload later in the same dossier, a crash, a conflict), the row is gone but the
bytes stay. Nothing refers to them, so they are deleted once they are old enough that no
transaction writing them can still be open.
"""

import logging
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from ..models import DossierFile

log = logging.getLogger(__name__)

GRACE = timedelta(hours=24)  # far longer than any request or task that writes a file
ROOT = "dossiers"
MONTHS_BACK = 2  # orphans appear as files are written: the recent months' folders are enough
_BATCH = 500


def _recent_folders(now: datetime) -> list[str]:
    folders, year, month = [], now.year, now.month
    for _ in range(MONTHS_BACK):
        folders.append(f"{ROOT}/{year:04d}/{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return folders


def _files_in(folder: str) -> list[str]:
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files]


def dossier_files_sweep(*, now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete the files under the recent months' dossier folders that no DossierFile names and that
    are older than GRACE; return their names."""
    now = now or timezone.now()
    swept = []
    for folder in _recent_folders(now):
        names = _files_in(folder)
        for start in range(0, len(names), _BATCH):
            batch = names[start : start + _BATCH]
            known = set(DossierFile.objects.filter(file__in=batch).values_list("file", flat=True))
            for name in batch:
                if name in known or now - default_storage.get_modified_time(name) < GRACE:
                    continue
                if not dry_run:
                    default_storage.delete(name)
                swept.append(name)
    if swept:
        log.warning("%s %d orphan dossier file(s)", "would remove" if dry_run else "removed", len(swept))
    return swept
