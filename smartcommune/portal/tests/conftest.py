from types import SimpleNamespace

import pytest

from smartcommune.catalog.factories import make_field, make_procedure
from smartcommune.core.text import fold
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200  # the first bytes of a phone photo
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def portal(org):
    """A birth registration (online, with a fee), a certification, and one dossier of the citizen."""
    birth = make_procedure(
        "1.001193",
        "Đăng ký khai sinh",
        field=make_field("ho-tich", "Hộ tịch"),
        fee=None,
        life_events=["birth"],
    )
    certify = make_procedure(
        "2.000815", "Chứng thực bản sao từ bản chính", field=make_field("chung-thuc", "Chứng thực"), fee=8000
    )
    citizen = org.citizen.citizen
    citizen.phone = "0912345678"
    citizen.save(update_fields=["phone"])
    dossier = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=birth,
        citizen=citizen,
        components=[ComponentIn(component=c, originals=1) for c in birth.components.all()],
    )
    return SimpleNamespace(birth=birth, certify=certify, dossier=dossier, citizen=citizen, fold=fold)
