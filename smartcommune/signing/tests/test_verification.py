import datetime as dt
import io
import time

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from pyhanko.pdf_utils.generic import NameObject, NumberObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from smartcommune.signing import engine, selectors, services, verification
from smartcommune.signing import pki as x509_tools
from smartcommune.signing.verification import MalformedPdf, Verdict

pytestmark = pytest.mark.django_db


def _verify(data):
    return verification.verify_pdf(data, trust=selectors.trust_material())


@pytest.fixture
def signed(pki, unsigned_pdf):
    return services.pdf_sign(unsigned_pdf, certificate=pki.agency).data


def test_an_intact_signed_file_is_valid(signed):
    report = _verify(signed)
    assert report.verdict == Verdict.VALID and report.ok
    assert report.signatures[0].cert_valid_at_signing and not report.signatures[0].revoked_at_signing


def test_an_unsigned_pdf_is_reported_unsigned(unsigned_pdf, pki):
    report = _verify(unsigned_pdf)
    assert report.verdict == Verdict.UNSIGNED and report.signatures == []


def test_a_byte_changed_inside_the_signed_range_is_modified(signed, unsigned_pdf):
    # Change one digit of a number inside the original (signed) part, same length.
    position = signed.index(b"/Length ") + len(b"/Length ")
    original = signed[position : position + 1]
    tampered = signed[:position] + (b"9" if original != b"9" else b"8") + signed[position + 1 :]

    report = _verify(tampered)

    assert report.verdict == Verdict.MODIFIED
    assert report.signatures[0].changed_after and not report.signatures[0].intact


def test_a_truncated_file_is_reported_truncated(signed):
    assert _verify(signed[: len(signed) - 2000]).verdict == Verdict.TRUNCATED


def test_bytes_appended_after_the_signature_are_reported(signed):
    report = _verify(signed + b"\n% added later\n1 0 obj (x) endobj\n")
    assert report.verdict == Verdict.APPENDED
    assert not report.signatures[-1].covers_entire_file


def test_an_incremental_update_after_the_signature_is_reported(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[NameObject("/Rotate")] = NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    report = _verify(out.getvalue())

    assert report.verdict == Verdict.APPENDED
    assert report.signatures[0].intact  # the signed revision itself is untouched


def test_a_signature_from_an_unknown_ca_is_untrusted(org, unsigned_pdf, pki):
    key = x509_tools.new_key()
    cert = x509_tools.build_certificate(
        subject=x509_tools.name(common_name="Kẻ giả mạo"),
        public_key=key.public_key(),
        issuer_cert=None,
        issuer_key=key,
        days=30,
    )
    material = engine.KeyMaterial(
        certificate=asn1_x509.Certificate.load(x509_tools.der(cert)),
        key_der=key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    forged = engine.sign_pdf(unsigned_pdf, material=material, options=engine.SignOptions()).data

    report = _verify(forged)

    assert report.verdict == Verdict.UNTRUSTED
    assert report.signatures[0].signer == "Kẻ giả mạo" and report.signatures[0].intact


def test_b_b_signature_of_a_since_revoked_certificate_fails(signed, pki):
    services.certificate_revoke(actor=None, certificate=pki.agency, reason="key_compromise")

    report = _verify(signed)

    assert report.verdict == Verdict.REVOKED
    assert report.signatures[0].revoked_at_signing and report.signatures[0].revoked_at is not None


def test_b_t_signature_made_before_revocation_stays_valid(pki, tsa, unsigned_pdf):
    signed = services.pdf_sign(unsigned_pdf, certificate=pki.leader).data
    services.certificate_revoke(actor=None, certificate=pki.leader, reason="affiliation_changed")
    # CRL times have whole seconds, and a revocation in the signing second counts against the
    # signature: move the revocation an hour later, as it would be in real life, and republish.
    type(pki.leader).objects.filter(pk=pki.leader.pk).update(
        revoked_at=timezone.now() + dt.timedelta(hours=1)
    )
    services.crl_publish(actor=None, issuer=pki.issuing)

    report = _verify(signed)

    assert report.verdict == Verdict.VALID
    facts = report.signatures[0]
    assert facts.revoked_at is not None and not facts.revoked_at_signing
    assert facts.timestamp_at < facts.revoked_at


def test_revocation_is_read_from_the_published_crl_not_the_row(signed, pki):
    # A revoked row without a published CRL (e.g. issuer key offline) does not change the verdict:
    # verification reads the CRL, as any outside verifier would.
    type(pki.agency).objects.filter(pk=pki.agency.pk).update(
        status="revoked", revoked_at=pki.agency.created_at
    )
    assert _verify(signed).verdict == Verdict.VALID


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"%PDF-1.7\n" + b"\x00" * 100, b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF"]
)
def test_malformed_uploads_raise_a_clear_error(data, pki):
    with pytest.raises(MalformedPdf) as err:
        _verify(data)
    assert err.value.code == "malformed_pdf"


def test_an_expired_certificate_keeps_b_t_signatures_valid_and_fails_b_b_ones(
    pki, org, tsa, unsigned_pdf, settings
):
    # A certificate valid for three more seconds: sign now (with and without a timestamp), then
    # check once it has expired. Real time passes; freezing the clock breaks path validation.
    short = services.certificate_issue(
        actor=None,
        issuer=pki.issuing,
        kind="official",
        org_unit=org.muong_dun,
        owner_user=org.specialist,
        days=3 / 86400,
    )
    with_ts = services.pdf_sign(unsigned_pdf, certificate=short).data
    settings.SIGNING = {**settings.SIGNING, "TSA_URL": ""}
    without_ts = services.pdf_sign(unsigned_pdf, certificate=short).data
    time.sleep(max(0.0, (short.not_after - timezone.now()).total_seconds()) + 1.2)

    stamped = _verify(with_ts)
    assert stamped.verdict == Verdict.VALID
    assert stamped.signatures[0].expired_now and stamped.signatures[0].trusted

    bare = _verify(without_ts)
    assert bare.verdict == Verdict.EXPIRED
    assert bare.signatures[0].expired_now and not bare.signatures[0].trusted
