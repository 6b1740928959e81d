import pytest
from django.db import IntegrityError, transaction

from smartcommune.documents.checks import public_base_url_check
from smartcommune.documents.factories import make_issued_document
from smartcommune.documents.models import IssuedDocument


@pytest.mark.django_db
def test_the_hash_must_be_64_lowercase_hex_digits(org):
    document = make_issued_document(org.muong_dun)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk).update(sha256="NOT-A-HASH")


@pytest.mark.django_db
def test_a_document_cannot_replace_itself(org):
    document = make_issued_document(org.muong_dun)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk).update(superseded_by=document)


@pytest.mark.parametrize(
    ("url", "flagged"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://smartcommune.dienbien.gov.vn", True),
        ("https://sc.dienbien.gov.vn", False),
    ],
)
def test_deploy_check_flags_a_public_base_url_that_citizens_cannot_reach(settings, url, flagged):
    settings.SMARTCOMMUNE = {**settings.SMARTCOMMUNE, "PUBLIC_BASE_URL": url}
    assert [m.id for m in public_base_url_check(None)] == (["documents.I001"] if flagged else [])
