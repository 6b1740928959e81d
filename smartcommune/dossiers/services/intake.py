"""Reception at the counter (tiếp nhận): a complete dossier gets its code, due date, fees and first
step; an incomplete or ineligible one gets a slip instead (Forms 02 and 03)."""

from dataclasses import dataclass, field

from django.db import transaction

from smartcommune.audit.services import audit_record
from smartcommune.catalog.fees import assess_fees
from smartcommune.catalog.selectors import process_steps
from smartcommune.core import clock
from smartcommune.core.errors import Conflict
from smartcommune.core.text import fold, normalize
from smartcommune.core.transactions import insert_all
from smartcommune.workdays import engine

from .. import deadlines, notices
from ..choices import Channel, DossierStatus, EventKind, FileKind, NoticeKind
from ..errors import DossierIncomplete, NoProcess
from ..models import Dossier, DossierComponent, DossierFile, DossierStep, FeeLine, Payment, ReceptionNotice
from . import codes
from .assignment import pick_assignee
from .common import record, stored_file


@dataclass
class ComponentIn:
    component: object  # catalog.Component
    originals: int = 0
    copies: int = 0
    files: list = field(default_factory=list)  # uploaded files (scans)

    @property
    def handed_in(self) -> bool:
        return self.originals + self.copies > 0 or bool(self.files)


@dataclass
class FeeIn:
    pages: int = 0
    copies: int = 1
    cases: int = 1
    exemption_code: str | None = None


def _applicant_snapshot(citizen, organisation) -> dict:
    if organisation is not None:
        return {
            "applicant_name": organisation.name,
            "applicant_id_number": organisation.tax_code or "",
            "applicant_phone": organisation.phone,
            "applicant_email": organisation.email,
            "applicant_address": organisation.address,
        }
    return {
        "applicant_name": citizen.full_name,
        "applicant_id_number": citizen.personal_id,
        "applicant_phone": citizen.phone,
        "applicant_email": citizen.email,
        "applicant_address": citizen.address,
    }


def missing_components(procedure, handed_in: list[ComponentIn]) -> list:
    given = {c.component.pk for c in handed_in if c.handed_in}
    return [c for c in procedure.components.all() if c.is_mandatory and c.pk not in given]


@transaction.atomic
def dossier_receive(
    *,
    actor,
    org_unit,
    procedure,
    citizen=None,
    organisation=None,
    components: list[ComponentIn],
    channel: int = Channel.IN_PERSON,
    needs_verification: bool = False,
    fee_in: FeeIn | None = None,
    cash_receipt_number: str = "",
    submitted_by_name: str = "",
    received_at=None,
    client_token: str | None = None,
) -> Dossier:
    """Receive a complete dossier: code, due date, fees, first step, files, event, audit.

    Caller has authorized `actor` to receive for `org_unit`. Raises DossierIncomplete when a
    mandatory component is missing (issue Form 02 instead), NoProcess, NoAssignee, InvalidInput
    (a file). Repeating a call with the same `client_token` returns the first dossier.
    """
    if client_token:
        existing = Dossier.objects.filter(client_token=client_token).first()
        if existing is not None:
            if existing.org_unit_id != org_unit.pk:
                raise Conflict(code="client_token_used")  # never hand back another unit's dossier
            return existing
    if missing_components(procedure, components):
        raise DossierIncomplete()
    steps = process_steps(procedure, org_unit)
    if not steps:
        raise NoProcess()

    received_at = received_at or clock.now()
    rules = deadlines.rules_for(org_unit)
    amount = deadlines.legal_amount(procedure, needs_verification)
    unit = deadlines.legal_unit(procedure, needs_verification)
    deemed, due = deadlines.dossier_due(
        rules, received_at=received_at, amount=amount, unit=unit, channel=channel
    )
    local_day = engine.to_local(received_at).date()

    fee_in = fee_in or FeeIn()
    assessment = assess_fees(
        procedure,
        on=local_day,
        channel="online" if channel == Channel.ONLINE else "counter",
        pages=fee_in.pages,
        copies=fee_in.copies,
        cases=fee_in.cases,
        exemption_code=fee_in.exemption_code,
    )
    paid = assessment.total == 0 or bool(cash_receipt_number.strip())
    dossier = Dossier.objects.create(
        code=codes.next_code(agency_code=org_unit.code, day=local_day),
        procedure=procedure,
        org_unit=org_unit,
        agency_code=org_unit.code,
        citizen=citizen,
        organisation=organisation,
        **_applicant_snapshot(citizen, organisation),
        submitted_by_name=normalize(submitted_by_name),
        channel=channel,
        status=DossierStatus.RECEIVED if paid else DossierStatus.AWAITING_PAYMENT,
        needs_verification=needs_verification,
        legal_amount=amount,
        legal_unit=unit,
        received_at=received_at,
        deemed_received_at=deemed,
        due_at=due,
        original_due_at=due,
        fee_total=assessment.total,
        fee_exempt_reason=assessment.exempt_reason or "",
        client_token=client_token or None,
        received_by=actor,
    )
    dossier.applicant_name_folded = fold(dossier.applicant_name)
    dossier.ledger_number = int(dossier.code.rsplit("-", 1)[1])

    FeeLine.objects.bulk_create(
        [
            FeeLine(
                dossier=dossier,
                fee_rule_id=line.rule_id,
                description=line.description,
                quantity=line.quantity,
                unit_amount=line.unit_amount,
                amount=line.amount,
            )
            for line in assessment.lines
        ]
    )
    if assessment.total and cash_receipt_number.strip():
        Payment.objects.create(
            dossier=dossier,
            method=Payment.Method.CASH,
            amount=assessment.total,
            reference=cash_receipt_number.strip(),
            paid_at=received_at,
            recorded_by=actor,
        )

    _store_components(dossier, [c for c in components if c.handed_in], actor=actor)

    first = steps[0]
    step_unit = first.route_to or org_unit
    step = DossierStep.objects.create(
        dossier=dossier,
        order=first.order,
        name=first.name,
        role_code=first.role.code,
        org_unit=step_unit,
        assignee=pick_assignee(role_code=first.role.code, unit=step_unit, prefer=actor),
        duration_hours=first.duration_hours,
        started_at=received_at,
        due_at=deadlines.step_due(rules, deemed, first.duration_hours),
    )
    dossier.current_step, dossier.current_assignee = step, step.assignee
    record(
        dossier,
        actor=actor,
        kind=EventKind.RECEIVED,
        action="received",
        step=step,
        data={"fee_total": assessment.total, "channel": channel},
        fields=("current_step", "current_assignee", "applicant_name_folded", "ledger_number"),
    )
    notices.received(dossier)
    return dossier


def _store_components(dossier: Dossier, given: list[ComponentIn], *, actor) -> None:
    """The components handed in and their scans, each kind of row in one INSERT."""
    rows = [
        DossierComponent(
            dossier=dossier,
            component=c.component,
            name=c.component.name,
            originals=c.originals,
            copies=c.copies,
        )
        for c in given
    ]
    insert_all(rows)  # with their ids: the scans point to them
    DossierFile.objects.bulk_create(
        stored_file(
            dossier=dossier,
            upload=upload,
            kind=FileKind.COMPONENT,
            actor=actor,
            component=row,
            accepted=c.component.accepted_types or None,
        )
        for c, row in zip(given, rows, strict=True)
        for upload in c.files
    )


@transaction.atomic
def reception_notice_issue(
    *,
    actor,
    kind: str,
    org_unit,
    procedure,
    applicant_name: str,
    reason: str,
    items: str = "",
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
) -> ReceptionNotice:
    """Record the slip given instead of receiving: Form 02 (what is missing) or Form 03 (refused)."""
    if kind not in NoticeKind.values:
        raise ValueError(kind)
    notice = ReceptionNotice.objects.create(
        kind=kind,
        org_unit=org_unit,
        procedure=procedure,
        applicant_name=normalize(applicant_name),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_address=normalize(applicant_address),
        items=items.strip(),
        reason=reason.strip(),
        issued_at=clock.now(),
        issued_by=actor,
    )
    audit_record(actor=actor, action=f"receptionnotice.{kind}_issued", target=notice, org_unit=org_unit)
    return notice
