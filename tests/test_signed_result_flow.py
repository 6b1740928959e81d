"""The one-stop flow with digital signatures: a receipt sealed by the agency at intake; the leader
approves, signs the e-result (TOTP confirmed), the agency seals it (a signing job, off the request
path), the signed file becomes the result, and the result is returned."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.audit.models import AuditEntry
from smartcommune.catalog.factories import make_procedure
from smartcommune.catalog.models import Procedure
from smartcommune.documents.choices import DocumentKind
from smartcommune.dossiers.choices import DossierStatus, FileKind
from smartcommune.dossiers.printing import dossier_document
from smartcommune.dossiers.services import processing as dp
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive
from smartcommune.dossiers.services.result_signing import (
    NoSigningCertificate,
    NotTheApprover,
    ResultNotSealed,
    SignatureNotConfirmed,
    dossier_result_sign,
)
from smartcommune.notifications.models import Message
from smartcommune.signing import selectors, verification
from smartcommune.signing.choices import JobStatus
from smartcommune.signing.factories import make_pki, sample_pdf
from smartcommune.signing.models import SigningJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _approved(org):
    procedure = make_procedure("9.900101")
    Procedure.objects.filter(pk=procedure.pk).update(result_kind="document")
    d = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=Procedure.objects.get(pk=procedure.pk),
        citizen=org.citizen.citizen,
        components=[ComponentIn(procedure.components.get(), originals=1)],
        cash_receipt_number="BL-KY",
    )
    d = dp.dossier_forward(dossier=d, actor=org.officer, version=d.version)
    d = dp.dossier_forward(dossier=d, actor=org.specialist, version=d.version)
    return dp.dossier_approve(dossier=d, actor=org.leader, version=d.version)


def _code(user) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="app", confirmed=True
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _result_pdf():
    return SimpleUploadedFile("ket-qua.pdf", sample_pdf()[0], content_type="application/pdf")


def test_receipt_is_sealed_by_the_agency_automatically(org):
    make_pki(org)
    d = _approved(org)

    receipt = dossier_document(actor=org.officer, dossier=d, kind=DocumentKind.RECEIPT)

    assert receipt.signed is True
    with receipt.file.open("rb") as fh:
        report = verification.verify_pdf(fh.read(), trust=selectors.trust_material())
    assert report.verdict == verification.Verdict.VALID
    assert report.signatures[0].signer == "Xã Mường Đun"


def test_without_an_agency_certificate_the_receipt_is_issued_unsigned(org):
    d = _approved(org)
    receipt = dossier_document(actor=org.officer, dossier=d, kind=DocumentKind.RECEIPT)
    assert receipt.signed is False


def test_approval_to_signed_e_result_and_return(org, django_capture_on_commit_callbacks):
    pki = make_pki(org)
    d = _approved(org)
    unsigned = sample_pdf()[0]

    with django_capture_on_commit_callbacks(execute=True):
        job = dossier_result_sign(
            dossier=d,
            actor=org.leader,
            version=d.version,
            result_file=_result_pdf(),
            otp_token=_code(org.leader),
        )

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.sha256_before != job.sha256_after and job.level == "B-B"
    d.refresh_from_db()
    result = d.files.get(kind=FileKind.RESULT)
    assert result.sha256 == job.sha256_after
    with result.file.open("rb") as fh:
        signed = fh.read()
    assert signed.startswith(unsigned)
    report = verification.verify_pdf(signed, trust=selectors.trust_material())
    assert report.verdict == verification.Verdict.VALID
    leader, agency = report.signatures
    assert leader.serial == pki.leader.serial and agency.serial == pki.agency.serial
    assert AuditEntry.objects.filter(action="dossier.result_signed").count() == 1

    # The signed e-result is the result document: recording needs no other file, then return.
    d = dp.dossier_record_result(dossier=d, actor=org.officer, version=d.version)
    d = dp.dossier_return_result(dossier=d, actor=org.officer, version=d.version, method="online")
    assert d.status == DossierStatus.RETURNED


def test_a_wrong_totp_code_signs_nothing(org):
    make_pki(org)
    d = _approved(org)
    version = d.version
    for code in ("000000", "", "abc"):
        with pytest.raises(SignatureNotConfirmed):
            dossier_result_sign(
                dossier=d, actor=org.leader, version=version, result_file=_result_pdf(), otp_token=code
            )
    assert not SigningJob.objects.exists()
    d.refresh_from_db()
    assert d.version == version and not d.files.filter(kind=FileKind.RESULT).exists()


def test_only_the_approver_signs(org):
    make_pki(org)
    d = _approved(org)
    with pytest.raises(NotTheApprover):
        dossier_result_sign(
            dossier=d,
            actor=org.specialist,
            version=d.version,
            result_file=_result_pdf(),
            otp_token=_code(org.specialist),
        )
    assert not SigningJob.objects.exists()


def test_without_a_certificate_the_leader_is_told(org):
    d = _approved(org)
    with pytest.raises(NoSigningCertificate):
        dossier_result_sign(
            dossier=d,
            actor=org.leader,
            version=d.version,
            result_file=_result_pdf(),
            otp_token=_code(org.leader),
        )


def test_a_failed_signing_keeps_the_unsigned_original_and_tells_the_leader(
    org, django_capture_on_commit_callbacks, settings
):
    make_pki(org)
    d = _approved(org)
    settings.SIGNING = {**settings.SIGNING, "TSA_URL": "http://127.0.0.1:9/tsa"}  # TSA down

    with django_capture_on_commit_callbacks(execute=True):
        job = dossier_result_sign(
            dossier=d,
            actor=org.leader,
            version=d.version,
            result_file=_result_pdf(),
            otp_token=_code(org.leader),
        )

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error
    with job.input.open("rb") as fh:
        assert fh.read() == sample_pdf()[0]
    assert not d.files.filter(kind=FileKind.RESULT).exists()
    message = Message.objects.get(recipient_user=org.leader, event="signing.failed")
    assert d.code in message.body


def test_the_leader_signs_from_the_dossier_page(org, sign_in, django_capture_on_commit_callbacks):
    make_pki(org)
    d = _approved(org)
    client = sign_in(org.leader)
    client.cookies["django_language"] = "en"

    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Sign the result digitally" in page

    bad = client.post(
        f"/dossiers/{d.code}/sign-result/",
        {
            "sign_result-version": d.version,
            "sign_result-result_file": _result_pdf(),
            "sign_result-otp_token": "000000",
        },
    )
    assert bad.status_code == 400 and "confirmation code is not valid" in bad.content.decode()
    assert not SigningJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            f"/dossiers/{d.code}/sign-result/",
            {
                "sign_result-version": d.version,
                "sign_result-result_file": _result_pdf(),
                "sign_result-otp_token": _code(org.leader),
            },
        )
    assert ok.status_code == 302
    assert SigningJob.objects.get().status == JobStatus.DONE
    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Sign the result digitally" not in page  # signed already: the form is gone


def test_other_officials_do_not_get_the_signing_form(org, sign_in):
    make_pki(org)
    d = _approved(org)
    client = sign_in(org.specialist)
    assert "sign-result" not in client.get(f"/dossiers/{d.code}/").content.decode()
    response = client.post(f"/dossiers/{d.code}/sign-result/", {})
    assert response.status_code == 403


def test_a_result_uploaded_at_recording_is_sealed_by_the_agency(org):
    pki = make_pki(org)
    d = _approved(org)

    d = dp.dossier_record_result(dossier=d, actor=org.officer, version=d.version, result_file=_result_pdf())

    with d.files.get(kind=FileKind.RESULT).file.open("rb") as fh:
        report = verification.verify_pdf(fh.read(), trust=selectors.trust_material())
    assert report.verdict == verification.Verdict.VALID
    assert [s.serial for s in report.signatures] == [pki.agency.serial]


def test_a_failed_seal_records_nothing(org, settings):
    make_pki(org)
    d = _approved(org)
    version = d.version
    settings.SIGNING = {**settings.SIGNING, "TSA_URL": "http://127.0.0.1:9/tsa"}

    with pytest.raises(ResultNotSealed):
        dp.dossier_record_result(dossier=d, actor=org.officer, version=version, result_file=_result_pdf())

    d.refresh_from_db()
    assert d.version == version and d.status == DossierStatus.PROCESSING
    assert not d.files.filter(kind=FileKind.RESULT).exists()
