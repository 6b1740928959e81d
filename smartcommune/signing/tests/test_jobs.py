import pytest

from smartcommune.audit.models import AuditEntry
from smartcommune.core.errors import InvalidInput
from smartcommune.signing import selectors, services, verification
from smartcommune.signing.choices import Appearance, JobStatus
from smartcommune.signing.models import SigningJob
from smartcommune.signing.services import CertificateUnusable
from smartcommune.signing.tasks import signing_job_run_task

pytestmark = pytest.mark.django_db


def _steps(pki):
    return [
        {"certificate": pki.leader.pk, "appearance": Appearance.SIGNER, "box": None},
        {"certificate": pki.agency.pk, "appearance": Appearance.SEAL, "box": None},
    ]


def test_job_records_hashes_before_and_after_and_runs_once(pki, org, unsigned_pdf):
    job = services.signing_job_create(
        actor=org.leader, pdf=unsigned_pdf, org_unit=org.muong_dun, steps=_steps(pki)
    )
    assert job.status == JobStatus.PENDING and len(job.sha256_before) == 64

    assert signing_job_run_task.delay(job_id=job.pk).get() == JobStatus.DONE
    job.refresh_from_db()
    with job.output.open("rb") as fh:
        signed = fh.read()
    assert job.sha256_after and job.sha256_after != job.sha256_before
    assert len(verification.verify_pdf(signed, trust=selectors.trust_material()).signatures) == 2
    finished = job.finished_at

    again = services.signing_job_run(job_id=job.pk)  # idempotent: a finished job is left alone
    assert again.finished_at == finished
    assert AuditEntry.objects.filter(action="signingjob.done").count() == 1


def test_a_changed_input_file_fails_the_job_and_keeps_it(pki, org, unsigned_pdf):
    job = services.signing_job_create(
        actor=org.leader, pdf=unsigned_pdf, org_unit=org.muong_dun, steps=_steps(pki)
    )
    with job.input.open("wb") as fh:
        fh.write(unsigned_pdf + b"% tampered in storage\n")

    job = services.signing_job_run(job_id=job.pk)

    assert job.status == JobStatus.FAILED and not job.output and not job.sha256_after
    assert AuditEntry.objects.filter(action="signingjob.failed").count() == 1


def test_a_certificate_revoked_between_request_and_run_fails_the_job(pki, org, unsigned_pdf):
    job = services.signing_job_create(
        actor=org.leader, pdf=unsigned_pdf, org_unit=org.muong_dun, steps=_steps(pki)
    )
    services.certificate_revoke(actor=None, certificate=pki.agency)

    job = services.signing_job_run(job_id=job.pk)

    assert job.status == JobStatus.FAILED
    with job.input.open("rb") as fh:
        assert fh.read() == unsigned_pdf


def test_job_creation_refuses_unusable_certificates_and_bad_steps(pki, org, unsigned_pdf):
    services.certificate_revoke(actor=None, certificate=pki.leader)
    with pytest.raises(CertificateUnusable):
        services.signing_job_create(actor=None, pdf=unsigned_pdf, org_unit=org.muong_dun, steps=_steps(pki))
    with pytest.raises(InvalidInput):
        services.signing_job_create(actor=None, pdf=unsigned_pdf, org_unit=org.muong_dun, steps=[])
    with pytest.raises(InvalidInput):
        services.signing_job_create(
            actor=None,
            pdf=unsigned_pdf,
            org_unit=org.muong_dun,
            steps=[{"certificate": pki.agency.pk, "appearance": "hologram"}],
        )
    assert not SigningJob.objects.exists()
