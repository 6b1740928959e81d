"""Test factories. `make_issued_document` stores small stand-in bytes without rendering (fast);
tests of the rendering itself go through `services.document_issue`."""

import hashlib

from django.core.files.base import ContentFile

from .choices import DocumentKind
from .models import IssuedDocument

FAKE_PDF = b"%PDF-1.7\n% stand-in for a rendered document\n%%EOF\n"


def make_issued_document(org_unit, *, content: bytes = FAKE_PDF, **fields) -> IssuedDocument:
    fields = {
        "kind": DocumentKind.RECEIPT,
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "number": "15/TTPVHCC",
        **fields,
    }
    document = IssuedDocument(
        org_unit=org_unit, sha256=hashlib.sha256(content).hexdigest(), size=len(content), **fields
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    return document
