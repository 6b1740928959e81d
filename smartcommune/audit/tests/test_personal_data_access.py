"""Every time an official is shown a dossier (page, file, printed form, API), it is recorded; the
records are readable by the unit's auditors only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.audit.models import PersonalDataAccess
from smartcommune.audit.services import personal_data_access_record
from smartcommune.catalog.factories import make_procedure
from smartcommune.directory.factories import CitizenFactory
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def dossier(org):
    procedure = make_procedure(code="1.000900", fee=None)
    applicant = CitizenFactory(home_unit=org.ban_a, personal_id="011190001234")
    return dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=procedure,
        citizen=applicant,
        components=[
            ComponentIn(
                procedure.components.get(), originals=1, files=[SimpleUploadedFile("to-khai.pdf", PDF)]
            )
        ],
    )


def _views():
    return list(
        PersonalDataAccess.objects.order_by("id").values_list("actor__username", "what", "subject_label")
    )


def test_the_page_a_file_a_printed_form_and_the_api_each_record_a_view(sign_in, org, dossier):
    client = sign_in(org.officer)
    stored = dossier.files.get()

    assert client.get(f"/dossiers/{dossier.code}/").status_code == 200
    assert client.get(f"/dossiers/{dossier.code}/files/{stored.public_id}/").status_code == 200
    assert client.get(f"/dossiers/{dossier.code}/receipt.pdf").status_code == 200
    assert client.get(f"/api/v1/dossiers/{dossier.code}").status_code == 200

    assert _views() == [
        ("motcua", "dossier.page", dossier.code),
        ("motcua", "dossier.file", f"{dossier.code} · to-khai.pdf"),
        ("motcua", "dossier.receipt", dossier.code),
        ("motcua", "api.dossier", dossier.code),
    ]
    first = PersonalDataAccess.objects.earliest("id")
    assert first.org_unit == org.muong_dun and first.subject_id == str(dossier.pk) and first.ip == "127.0.0.1"


def test_nothing_is_recorded_when_the_dossier_is_out_of_scope(sign_in, org, dossier):
    client = sign_in(org.other_officer)
    assert client.get(f"/dossiers/{dossier.code}/").status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}").status_code == 404
    assert _views() == []


def test_auditors_of_the_commune_read_the_views_others_do_not(
    sign_in, org, dossier, django_assert_max_num_queries
):
    for _ in range(30):
        personal_data_access_record(
            actor=org.officer,
            what="dossier.page",
            subject=dossier,
            org_unit=org.muong_dun,
            label=dossier.code,
        )
    leader = sign_in(org.leader)
    leader.cookies["django_language"] = "en"

    with django_assert_max_num_queries(12):
        page = leader.get("/audit/access/", {"q": dossier.code[-8:]})

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(dossier.code) >= 30 and "Views of personal data" in html
    assert "011190001234" not in html  # the applicant's number is never part of the record
    assert "No view is recorded." in leader.get("/audit/access/", {"q": "000.02.00.H18"}).content.decode()

    assert sign_in(org.other_leader).get("/audit/access/").content.decode().count(dossier.code) == 0
    assert sign_in(org.officer).get("/audit/access/").status_code == 404
