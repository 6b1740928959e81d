"""Files left in storage by a rolled-back transaction are removed; files a dossier names never are."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartcommune.core.errors import InvalidInput
from smartcommune.dossiers.models import Dossier, DossierFile
from smartcommune.dossiers.services.files_sweep import dossier_files_sweep
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive
from smartcommune.dossiers.tasks import dossier_files_sweep_task

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _age(name: str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(default_storage.path(name), (then, then))


def _folder() -> str:
    return timezone.now().strftime("dossiers/%Y/%m")


def test_an_old_orphan_goes_and_a_dossiers_file_and_a_fresh_orphan_stay(org, catalog, people):
    dossier = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=catalog.marital,
        citizen=people.citizen,
        components=[ComponentIn(catalog.declaration, originals=1, files=[SimpleUploadedFile("a.pdf", PDF)])],
        cash_receipt_number="BL-1",
    )
    kept = DossierFile.objects.get(dossier=dossier).file.name
    orphan = default_storage.save(f"{_folder()}/left-behind.pdf", SimpleUploadedFile("x.pdf", PDF))
    fresh = default_storage.save(f"{_folder()}/being-written.pdf", SimpleUploadedFile("y.pdf", PDF))
    _age(kept, 48)
    _age(orphan, 25)

    assert dossier_files_sweep(dry_run=True) == [orphan] and default_storage.exists(orphan)
    assert dossier_files_sweep_task() == 1

    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept) and default_storage.exists(fresh)
    assert Dossier.objects.get().files.get().file.open().read() == PDF


def test_a_rolled_back_intake_leaves_a_file_that_the_sweep_removes(org, catalog, people):
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00 not a document")
    good = SimpleUploadedFile("to-khai.pdf", PDF)
    with pytest.raises(InvalidInput):
        dossier_receive(
            actor=org.officer,
            org_unit=org.muong_dun,
            procedure=catalog.marital,
            citizen=people.citizen,
            components=[ComponentIn(catalog.declaration, originals=1, files=[good, bad])],
            cash_receipt_number="BL-2",
        )
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    _dirs, left = default_storage.listdir(_folder())
    assert len(left) == 1  # the good scan was written before the bad one was refused
    _age(f"{_folder()}/{left[0]}", 30)

    assert dossier_files_sweep(now=timezone.now() + timedelta(minutes=1)) == [f"{_folder()}/{left[0]}"]
    assert default_storage.listdir(_folder()) == ([], [])


def test_an_empty_or_missing_media_folder_is_not_an_error(db):
    assert dossier_files_sweep() == []
