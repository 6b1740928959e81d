import datetime as dt

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from django.utils import timezone

from smartcommune.audit.models import AuditEntry
from smartcommune.core.errors import InvalidInput
from smartcommune.notifications.models import Message
from smartcommune.signing import pki as x509_tools
from smartcommune.signing import selectors, services
from smartcommune.signing.choices import CertificateKind, CertificateStatus, KeyStorage
from smartcommune.signing.models import Certificate, RevocationList

pytestmark = pytest.mark.django_db


def test_ca_create_makes_root_and_issuing_ca_with_sealed_keys_and_empty_crls(org):
    root, issuing = services.ca_create(actor=org.province_admin, province=org.province)

    root_cert = x509.load_der_x509_certificate(bytes(root.der))
    issuing_cert = x509.load_der_x509_certificate(bytes(issuing.der))
    assert root_cert.issuer == root_cert.subject
    assert issuing_cert.issuer == root_cert.subject
    assert root_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert issuing.issuer == root and root.kind == CertificateKind.ROOT_CA
    assert root.key_storage == KeyStorage.SOFTWARE == issuing.key_storage
    assert RevocationList.objects.filter(issuer__in=[root, issuing], number=1).count() == 2
    assert AuditEntry.objects.filter(action="certificate.ca_created").count() == 2


def test_ca_create_refuses_a_second_active_root(org):
    services.ca_create(actor=None, province=org.province)
    with pytest.raises(services.CaExists):
        services.ca_create(actor=None, province=org.province)
    assert Certificate.objects.filter(kind=CertificateKind.ROOT_CA).count() == 1


def test_official_certificate_names_the_official_and_agency_keeps_diacritics(pki, org):
    cert = x509.load_der_x509_certificate(bytes(pki.leader.der))
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn == org.leader.get_full_name()
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Xã Mường Đun"
    assert cert.subject.get_attributes_for_oid(NameOID.STATE_OR_PROVINCE_NAME)[0].value == org.province.name
    assert pki.leader.owner_user == org.leader
    assert pki.agency.kind == CertificateKind.AGENCY and pki.agency.owner_user is None


def test_private_keys_are_encrypted_at_rest_and_bound_to_their_certificate(pki, settings):
    sealed = bytes(pki.leader.key_sealed)
    plain = services.key_material(pki.leader).key_der
    assert plain not in sealed and plain[:40] not in sealed
    secret = settings.SIGNING["KEY_SECRET"]
    with pytest.raises(InvalidTag):  # moved to another certificate's row
        x509_tools.unseal_key_der(sealed, secret=secret, cert_fingerprint=pki.agency.fingerprint)
    with pytest.raises(InvalidTag):
        x509_tools.unseal_key_der(sealed, secret="another secret", cert_fingerprint=pki.leader.fingerprint)


def test_revoke_publishes_a_new_crl_listing_the_serial(pki, org):
    before = selectors.newest_crl_number(pki.issuing)

    services.certificate_revoke(actor=org.province_admin, certificate=pki.leader, reason="key_compromise")

    pki.leader.refresh_from_db()
    assert pki.leader.status == CertificateStatus.REVOKED and pki.leader.revoked_at is not None
    newest = RevocationList.objects.get(issuer=pki.issuing, number=before + 1)
    crl = x509.load_der_x509_crl(bytes(newest.der))
    assert crl.is_signature_valid(x509.load_der_x509_certificate(bytes(pki.issuing.der)).public_key())
    entry = crl.get_revoked_certificate_by_serial_number(int(pki.leader.serial, 16))
    assert entry is not None
    assert abs(entry.revocation_date_utc - pki.leader.revoked_at) < dt.timedelta(seconds=1)
    assert crl.get_revoked_certificate_by_serial_number(int(pki.agency.serial, 16)) is None
    assert AuditEntry.objects.filter(action="certificate.revoked").count() == 1


def test_revoke_is_idempotent_and_rejects_unknown_reasons(pki):
    services.certificate_revoke(actor=None, certificate=pki.leader)
    number = selectors.newest_crl_number(pki.issuing)
    services.certificate_revoke(actor=None, certificate=pki.leader)
    assert selectors.newest_crl_number(pki.issuing) == number
    with pytest.raises(InvalidInput):
        services.certificate_revoke(actor=None, certificate=pki.agency, reason="bored")
    pki.agency.refresh_from_db()
    assert pki.agency.status == CertificateStatus.ACTIVE


def test_revoked_or_expired_certificates_cannot_sign(pki):
    services.certificate_revoke(actor=None, certificate=pki.leader)
    pki.leader.refresh_from_db()
    with pytest.raises(services.CertificateUnusable):
        services.key_material(pki.leader)
    with pytest.raises(services.CertificateUnusable):
        services.key_material(pki.agency, now=pki.agency.not_after + dt.timedelta(seconds=1))


def test_import_pkcs12_registers_chain_and_seals_key(org):
    # An outside CA (standing in for the national specialised CA) with its own root.
    root_key, user_key = x509_tools.new_key(), x509_tools.new_key()
    root = x509_tools.build_certificate(
        subject=x509_tools.name(common_name="Ban Cơ yếu Chính phủ (thử)"),
        public_key=root_key.public_key(),
        issuer_cert=None,
        issuer_key=root_key,
        days=3650,
        ca=True,
    )
    user = x509_tools.build_certificate(
        subject=x509_tools.name(common_name="Giàng A Dế", organisation="Xã Mường Đun"),
        public_key=user_key.public_key(),
        issuer_cert=root,
        issuer_key=root_key,
        days=365,
    )
    blob = pkcs12.serialize_key_and_certificates(
        b"p", user_key, user, [root], BestAvailableEncryption(b"mat-khau")
    )

    with pytest.raises(InvalidInput) as err:
        services.certificate_import(
            actor=None,
            org_unit=org.muong_dun,
            kind="official",
            owner_user=org.leader,
            pkcs12_data=blob,
            password="sai",
        )
    assert err.value.code == "pkcs12_invalid"
    assert not Certificate.objects.exists()

    cert = services.certificate_import(
        actor=None,
        org_unit=org.muong_dun,
        kind="official",
        owner_user=org.leader,
        pkcs12_data=blob,
        password="mat-khau",
    )
    assert cert.key_storage == KeyStorage.SOFTWARE
    assert cert.issuer.kind == CertificateKind.ROOT_CA and cert.issuer.key_storage == KeyStorage.NONE
    assert services.key_material(cert).key_der == user_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    trust = selectors.trust_material()
    assert len(trust.roots) == 1


def test_expiry_warning_goes_once_to_the_owner_30_days_ahead(pki, org):
    now = timezone.now()
    Certificate.objects.filter(pk=pki.leader.pk).update(not_after=now + dt.timedelta(days=29))
    Certificate.objects.filter(pk=pki.agency.pk).update(not_after=now + dt.timedelta(days=31))

    assert services.certificate_warn_expiring(now=now) == 1
    assert services.certificate_warn_expiring(now=now) == 0

    messages = Message.objects.filter(recipient_user=org.leader, event="signing.certificate_expiring")
    assert messages.filter(channel="in_app").count() == 1
    assert pki.leader.serial in messages.get(channel="in_app").body


def test_agency_certificate_expiry_warns_the_agency_signers(pki, org):
    now = timezone.now()
    Certificate.objects.filter(pk=pki.agency.pk).update(not_after=now + dt.timedelta(days=10))

    assert services.certificate_warn_expiring(now=now) == 1

    recipients = set(
        Message.objects.filter(event="signing.certificate_expiring", channel="in_app").values_list(
            "recipient_user", flat=True
        )
    )
    assert recipients == {org.leader.pk}
