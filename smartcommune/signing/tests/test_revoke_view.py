"""Those who manage a unit's people revoke its certificates from the registry page; the CA's CRL is
published again at once, so a signature made with the key is reported revoked."""

from smartcommune.audit.models import AuditEntry
from smartcommune.signing.choices import CertificateStatus
from smartcommune.signing.models import RevocationList


def test_the_province_administrator_revokes_an_agency_certificate(sign_in, org, pki):
    admin = sign_in(org.province_admin)
    page = admin.get("/signatures/certificates/").content.decode()
    assert f"/signatures/certificates/{pki.agency.pk}/revoke/" in page
    crls_before = RevocationList.objects.filter(issuer=pki.issuing).count()

    response = admin.post(f"/signatures/certificates/{pki.agency.pk}/revoke/", {"reason": "key_compromise"})

    assert response.status_code == 302
    pki.agency.refresh_from_db()
    assert (pki.agency.status, pki.agency.revocation_reason) == (CertificateStatus.REVOKED, "key_compromise")
    assert RevocationList.objects.filter(issuer=pki.issuing).count() == crls_before + 1
    assert AuditEntry.objects.filter(action="certificate.revoked", actor=org.province_admin).count() == 1
    after = admin.get("/signatures/certificates/").content.decode()
    assert f"/signatures/certificates/{pki.agency.pk}/revoke/" not in after  # nothing left to revoke


def test_a_leader_who_only_views_people_cannot_revoke_and_bad_input_changes_nothing(sign_in, org, pki):
    leader = sign_in(org.leader)
    assert (
        f"/signatures/certificates/{pki.agency.pk}/revoke/"
        not in leader.get("/signatures/certificates/").content.decode()
    )
    assert (
        leader.post(f"/signatures/certificates/{pki.agency.pk}/revoke/", {"reason": "superseded"}).status_code
        == 404
    )

    admin = sign_in(org.province_admin)
    assert (
        admin.post(f"/signatures/certificates/{pki.agency.pk}/revoke/", {"reason": "<script>"}).status_code
        == 302
    )
    assert admin.post("/signatures/certificates/999999/revoke/", {"reason": "superseded"}).status_code == 404
    assert admin.get(f"/signatures/certificates/{pki.agency.pk}/revoke/").status_code == 405
    # CAs are revoked on the command line only: everything they issued would fall with them
    assert (
        f"/signatures/certificates/{pki.issuing.pk}/revoke/"
        not in admin.get("/signatures/certificates/").content.decode()
    )
    assert (
        admin.post(f"/signatures/certificates/{pki.issuing.pk}/revoke/", {"reason": "superseded"}).status_code
        == 404
    )
    pki.issuing.refresh_from_db()
    assert pki.issuing.status == CertificateStatus.ACTIVE
    pki.agency.refresh_from_db()
    assert pki.agency.status == CertificateStatus.ACTIVE
