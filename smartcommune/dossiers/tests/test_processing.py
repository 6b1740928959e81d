from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartcommune.core.errors import InvalidInput
from smartcommune.dossiers import deadlines
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.errors import (
    ActionNotAllowed,
    ApologyAlreadyIssued,
    DossierConflict,
    NotApproved,
)
from smartcommune.dossiers.models import Dossier, SupplementRequest
from smartcommune.dossiers.services import processing as p
from smartcommune.dossiers.services.alerts import dossier_alert_due_soon
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive
from smartcommune.notifications.models import Message
from smartcommune.workdays import engine

from .conftest import vn

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def dossier(org, catalog, people):
    return dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=catalog.marital,
        citizen=people.citizen,
        components=[ComponentIn(catalog.declaration, originals=1)],
        cash_receipt_number="BL-1",
    )


def fresh(d):
    return Dossier.objects.get(pk=d.pk)


def test_the_whole_way_from_reception_to_confirmed_receipt(org, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    assert d.status == DossierStatus.PROCESSING and d.current_assignee == org.specialist
    d = p.dossier_forward(dossier=d, actor=org.specialist, version=d.version, note="Đủ điều kiện")
    assert d.current_assignee == org.leader
    d = p.dossier_approve(dossier=d, actor=org.leader, version=d.version)
    assert d.approved_by == org.leader and d.current_assignee == org.officer  # back to the counter
    result = SimpleUploadedFile("ket-qua.pdf", PDF)
    d = p.dossier_record_result(dossier=d, actor=org.officer, version=d.version, result_file=result)
    assert d.status == DossierStatus.PROCESSED and d.processed_at is not None
    d = p.dossier_return_result(dossier=d, actor=org.officer, version=d.version, method="counter")
    assert d.status == DossierStatus.RETURNED
    d = p.dossier_confirm_receipt(dossier=d, actor=org.officer, version=d.version)
    assert d.receipt_confirmed_at is not None
    assert [e.kind for e in fresh(d).events.all()] == [
        "received",
        "forwarded",
        "forwarded",
        "approved",
        "result_recorded",
        "returned",
        "receipt_confirmed",
    ]
    assert all(s.finished_at for s in fresh(d).steps.all()[:4])


def test_a_stale_version_is_a_conflict_and_changes_nothing(org, dossier):
    stale = dossier.version
    p.dossier_forward(dossier=dossier, actor=org.officer, version=stale)
    before = fresh(dossier)
    with pytest.raises(DossierConflict):
        p.dossier_forward(dossier=dossier, actor=org.officer, version=stale)
    after = fresh(dossier)
    assert (after.version, after.current_step_id, after.events.count()) == (
        before.version,
        before.current_step_id,
        before.events.count(),
    )


def test_result_needs_approval_and_a_document(org, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    with pytest.raises(NotApproved):
        p.dossier_record_result(dossier=d, actor=org.specialist, version=d.version, result_file=None)
    d = p.dossier_approve(dossier=d, actor=org.leader, version=d.version)
    with pytest.raises(InvalidInput):
        p.dossier_record_result(dossier=d, actor=org.leader, version=d.version, result_file=None)


def test_send_back_goes_to_whoever_did_the_previous_step(org, dossier, people):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    d = p.dossier_forward(dossier=d, actor=d.current_assignee, version=d.version)
    first_specialist = fresh(d).steps.order_by("started_at")[1].assignee
    with pytest.raises(InvalidInput):
        p.dossier_send_back(dossier=d, actor=org.leader, version=d.version, reason="  ")
    d = p.dossier_send_back(dossier=d, actor=org.leader, version=d.version, reason="Thiếu thông tin")
    assert d.current_assignee == first_specialist
    assert d.current_step.name == "Thẩm định"


def test_supplement_pauses_the_clock_and_a_second_request_is_flagged(org, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    due_before = d.due_at
    d = p.dossier_request_supplement(
        dossier=d,
        actor=d.current_assignee,
        version=d.version,
        items="Bản sao giấy ly hôn",
        reason="Cần chứng minh tình trạng hôn nhân",
    )
    assert d.status == DossierStatus.SUPPLEMENT_REQUESTED
    request = SupplementRequest.objects.get(dossier=d)
    SupplementRequest.objects.filter(pk=request.pk).update(
        requested_at=request.requested_at - timedelta(days=2)
    )
    d = p.dossier_supplement(dossier=d, actor=org.officer, version=d.version)
    assert d.status == DossierStatus.PROCESSING
    rules = deadlines.rules_for(d.org_unit)
    paused = engine.working_time_between(
        rules,
        fresh(d).supplement_requests.get().requested_at,
        fresh(d).supplement_requests.get().completed_at,
    )
    assert paused > timedelta(0)
    assert engine.working_time_between(rules, due_before, d.due_at) == paused

    d = p.dossier_request_supplement(
        dossier=d, actor=d.current_assignee, version=d.version, items="Ảnh chụp rõ hơn", reason="Ảnh mờ"
    )
    assert SupplementRequest.objects.filter(dossier=d, is_repeat=True).count() == 1


def test_refusal_and_withdrawal_stop_the_dossier_with_reasons(org, catalog, people, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    d = p.dossier_refuse(dossier=d, actor=d.current_assignee, version=d.version, reason="Không đủ điều kiện")
    assert d.status == DossierStatus.STOPPED and d.stop_reason == "Không đủ điều kiện"
    with pytest.raises(ActionNotAllowed):
        p.dossier_forward(dossier=d, actor=org.officer, version=d.version)

    other = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=catalog.marital,
        citizen=people.citizen,
        components=[ComponentIn(catalog.declaration, originals=1)],
        cash_receipt_number="BL-2",
    )
    other = p.dossier_withdraw(
        dossier=other, actor=org.officer, version=other.version, reason="Công dân xin rút"
    )
    assert other.status == DossierStatus.WITHDRAWN and other.stopped_at is not None


def test_apology_once_with_a_later_working_moment(org, dossier):
    new_due = (
        vn(2026, 12, 30, 9, 0) if dossier.due_at < vn(2026, 12, 30) else dossier.due_at + timedelta(days=7)
    )
    rules = deadlines.rules_for(dossier.org_unit)
    new_due = engine.next_working_moment(rules, max(new_due, dossier.due_at + timedelta(days=2)))
    with pytest.raises(InvalidInput):
        p.dossier_apologize(
            dossier=dossier,
            actor=org.leader,
            version=dossier.version,
            reason="Chậm xác minh",
            new_due_at=dossier.due_at - timedelta(hours=1),
        )
    apology = p.dossier_apologize(
        dossier=dossier, actor=org.leader, version=dossier.version, reason="Chậm xác minh", new_due_at=new_due
    )
    assert fresh(dossier).due_at == new_due and apology.previous_due_at == dossier.due_at
    with pytest.raises(ApologyAlreadyIssued):
        p.dossier_apologize(
            dossier=dossier,
            actor=org.leader,
            version=None,
            reason="Lần hai",
            new_due_at=new_due + timedelta(days=7),
        )


def test_unpaid_dossier_must_be_paid_before_it_moves(org, catalog, people):
    d = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=catalog.marital,
        citizen=people.citizen,
        components=[ComponentIn(catalog.declaration, originals=1)],
    )
    assert d.status == DossierStatus.AWAITING_PAYMENT
    with pytest.raises(ActionNotAllowed):
        p.dossier_forward(dossier=d, actor=org.officer, version=d.version)
    d = p.dossier_pay(dossier=d, actor=org.officer, version=d.version, receipt_number="BL-77")
    assert d.status == DossierStatus.RECEIVED and d.payments.get().amount == 5000
    assert timezone.now() - d.payments.get().paid_at < timedelta(minutes=1)


def test_applicant_is_told_of_receipt_supplement_and_result(
    org, catalog, people, django_capture_on_commit_callbacks, mailoutbox
):
    people.citizen.email = "lo.thi.anh@example.vn"
    people.citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        d = dossier_receive(
            actor=org.officer,
            org_unit=org.muong_dun,
            procedure=catalog.marital,
            citizen=people.citizen,
            components=[ComponentIn(catalog.declaration, originals=1)],
            cash_receipt_number="BL-N1",
        )
    assert Message.objects.filter(event="dossier.received", related_id=str(d.pk)).exists()
    assert any(d.code in m.body for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        d = p.dossier_forward(dossier=d, actor=org.officer, version=d.version)
        p.dossier_request_supplement(
            dossier=d,
            actor=d.current_assignee,
            version=d.version,
            items="Bản sao giấy ly hôn",
            reason="Thiếu giấy tờ",
        )
    assert Message.objects.filter(event="dossier.supplement_requested").exists()


def test_assignee_is_alerted_once_when_the_dossier_is_due_soon(org, dossier):
    rules = deadlines.rules_for(dossier.org_unit)
    # An office moment shortly before the due moment (going forward from an hour before could land
    # on the due moment itself when it opens a working day, as it does for dossiers received at night).
    almost = dossier.due_at - timedelta(hours=1)
    while not engine.is_working_moment(rules, almost):
        almost -= timedelta(minutes=30)
    assert dossier_alert_due_soon(now=dossier.received_at) == 0
    assert dossier_alert_due_soon(now=almost) == 1
    assert dossier_alert_due_soon(now=almost) == 0
    message = Message.objects.get(event="dossier.due_soon", channel="in_app")
    assert message.recipient_user == dossier.current_assignee
