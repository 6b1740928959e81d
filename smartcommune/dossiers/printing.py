"""The one-stop office's printed forms for a dossier, issued through the documents service.

Each form is issued lazily: the first request renders, stores and records it; later requests hand
out the stored PDF, so what is printed again is byte for byte what was issued (and what its QR
code verifies). The control slip and the ledger follow the dossiers: a newer version is issued
(superseding the old) when a dossier changed after the stored one was issued.

The forms are Vietnamese legal documents: their values are written in Vietnamese, not gettext.
The ledger also exports as a workbook (.xlsx), whose headers follow the interface language.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pypdf import PdfReader, PdfWriter

from smartcommune.catalog.choices import TimeLimitUnit
from smartcommune.directory.choices import Position
from smartcommune.documents.choices import DocumentKind
from smartcommune.documents.models import IssuedDocument
from smartcommune.documents.services import document_issue
from smartcommune.signing.choices import Appearance
from smartcommune.signing.selectors import agency_certificate_for
from smartcommune.signing.services import DocumentSigner
from smartcommune.workdays.engine import to_local

from . import notices
from .choices import Channel, NoticeKind, ReturnMethod
from .deadlines import step_outcome
from .models import Apology, Dossier, ReceptionNotice

DOSSIER = "dossiers.dossier"
NOTICE = "dossiers.receptionnotice"
LEDGER = "dossiers.ledger"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_RETURN_METHODS = {
    ReturnMethod.COUNTER: "Trực tiếp tại Bộ phận Một cửa",
    ReturnMethod.POST: "Dịch vụ bưu chính công ích",
    ReturnMethod.ONLINE: "Trực tuyến",
}


def _in_sentence(unit_name: str) -> str:
    for word in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if unit_name.startswith(word):
            return word.lower() + unit_name[len(word) :]
    return unit_name


def _legal_time(dossier: Dossier) -> str:
    if dossier.legal_unit == TimeLimitUnit.SAME_DAY:
        return "Trong ngày (ngày làm việc tiếp theo nếu nhận sau 15 giờ)"
    unit = "giờ làm việc" if dossier.legal_unit == TimeLimitUnit.WORKING_HOURS else "ngày làm việc"
    return f"{dossier.legal_amount:02d} {unit}"


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _applicant(dossier) -> dict:
    return {
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


# --- contexts ------------------------------------------------------------------------------------


def receipt_context(dossier: Dossier) -> dict:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    components = []
    for c in dossier.components.all():
        if c.originals:
            components.append({"name": c.name, "form": "Bản chính", "count": c.originals})
        if c.copies:
            components.append({"name": c.name, "form": "Bản sao", "count": c.copies})
    place = {
        Channel.POST: "qua dịch vụ bưu chính công ích",
        Channel.ONLINE: "(nhận trực tiếp) hoặc nhận kết quả điện tử trên Cổng dịch vụ công",
    }.get(dossier.channel, "(nhận trực tiếp)")
    return {
        "dossier_code": dossier.code,
        "applicant": _applicant(dossier),
        "authorised": {"name": dossier.submitted_by_name} if dossier.submitted_by_name else None,
        "procedure_name": dossier.procedure.name,
        "components": components,
        "sets": 1,
        "legal_time": _legal_time(dossier),
        "received_at": dossier.received_at,
        "return_at": dossier.due_at,
        "return_place": f"Bộ phận Một cửa {_in_sentence(dossier.org_unit.name)} {place}",
        "fees": [{"name": f.description, "amount": f.amount} for f in dossier.fee_lines.all()],
        "fee_total": dossier.fee_total,
        "ledger_book": f"{dossier.received_at:%Y}",
        "ledger_number": str(dossier.ledger_number or ""),
        # Submitted online: the portal received it (the account that sent it is the applicant's).
        "receiver_name": "Tiếp nhận trực tuyến"
        if dossier.channel == Channel.ONLINE
        else _person(dossier.received_by),
        # A second QR code opens the public lookup pre-filled with the code (the first verifies the slip).
        "lookup_url": notices.lookup_url(dossier.code),
    }


def notice_context(notice: ReceptionNotice) -> dict:
    """Form 02 (what to add) or Form 03 (refusal), given instead of receiving."""
    applicant = {
        "name": notice.applicant_name,
        "id_number": notice.applicant_id_number,
        "address": notice.applicant_address,
        "phone": notice.applicant_phone,
        "email": "",
    }
    lines = [line.strip() for line in notice.reason.splitlines() if line.strip()]
    if notice.kind == NoticeKind.SUPPLEMENT:
        return {
            "applicant": applicant,
            "procedure_name": notice.procedure.name,
            "items": [line.strip() for line in notice.items.splitlines() if line.strip()],
            "reason": " ".join(lines),
            "contact": {"name": _person(notice.issued_by), "phone": notice.org_unit.phone or "—"},
            "guide_name": _person(notice.issued_by),
        }
    return {
        "applicant": applicant,
        "procedure_name": notice.procedure.name,
        "reasons": lines,
        "receiver_name": _person(notice.issued_by),
    }


def _signer(user) -> dict:
    position = getattr(getattr(user, "official", None), "position", "")
    if position == Position.VICE_CHAIRMAN:
        return {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": _person(user)}
    return {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": _person(user)}


def apology_context(dossier: Dossier, apology: Apology) -> dict:
    return {
        "committee_issues": True,
        "issuer_name": f"Ủy ban nhân dân {_in_sentence(dossier.org_unit.name)}",
        "addressee": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "received_at": dossier.received_at,
        "procedure_name": dossier.procedure.name,
        "dossier_code": dossier.code,
        "original_return_at": apology.previous_due_at,
        "reason": apology.reason,
        "new_return_at": apology.new_due_at,
        "signer": _signer(apology.issued_by),
    }


def control_slip_context(dossier: Dossier) -> dict:
    """One row per hand-over between the steps; the result is the giving step's timeliness."""
    steps = list(dossier.steps.all())
    handovers = []
    for before, after in pairwise(steps):
        result = (
            step_outcome(finished_at=before.finished_at, due_at=before.due_at) if before.finished_at else ""
        )
        handovers.append(
            {
                "from_unit": before.name,
                "from_person": _person(before.assignee),
                "to_unit": after.name,
                "to_person": _person(after.assignee),
                "at": after.started_at,
                "result": result,
                "note": before.outcome_note,
            }
        )
    return {
        "dossier_code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "lead_unit": dossier.org_unit.name,
        "received_at": dossier.received_at,
        "return_at": dossier.due_at,
        "handovers": handovers,
    }


def ledger_context(rows, *, start: date, end: date) -> dict:
    entries, fields = [], []
    for d in rows:
        if d.procedure.field.name not in fields:
            fields.append(d.procedure.field.name)
        entries.append(
            {
                "dossier_code": d.code,
                "procedure_name": d.procedure.name,
                "applicant_name": d.applicant_name,
                "applicant_contact": "; ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
                "lead_unit": d.org_unit.name,
                "received_at": d.received_at,
                "return_at": d.due_at,
                "returned_at": d.returned_at,
                "return_method": _RETURN_METHODS.get(d.return_method, ""),
            }
        )
    return {
        "field_name": "; ".join(fields) or "Tất cả lĩnh vực",
        "period": f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
        "ledger_book": f"{start:%Y}",
        "rows": entries,
    }


# --- issuing lazily ------------------------------------------------------------------------------


def _current(subject_type: str, subject_id, kind: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.for_subject(subject_type, subject_id)
        .filter(kind=kind)
        .current()
        .order_by("-issued_at", "-pk")
        .first()
    )


def _stale(document: IssuedDocument | None, changed_at: datetime | None) -> bool:
    return document is None or (changed_at is not None and changed_at > document.issued_at)


def dossier_document(*, actor, dossier: Dossier, kind: str) -> IssuedDocument:
    """The receipt, apology or control slip of `dossier`: the stored one, else issued now.

    Caller has authorized `actor` to see the dossier. The dossier row is locked while a document
    is issued, so two first requests at once issue it once. Raises Apology.DoesNotExist for an
    apology letter that was never given.
    """
    follows_changes = kind == DocumentKind.CONTROL_SLIP
    document = _current(DOSSIER, dossier.pk, kind)
    if document is not None and not (follows_changes and _stale(document, dossier.updated_at)):
        return document
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        document = _current(DOSSIER, dossier.pk, kind)
        if document is not None and not (follows_changes and _stale(document, locked.updated_at)):
            return document
        if kind == DocumentKind.RECEIPT:
            template, title, context = (
                "documents/receipt.html",
                "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                receipt_context(dossier),
            )
        elif kind == DocumentKind.APOLOGY:
            apology = Apology.objects.select_related("issued_by__official").get(dossier=dossier)
            template, title = "documents/apology.html", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
            context = apology_context(dossier, apology)
        else:
            template, title = "documents/control_slip.html", "Phiếu kiểm soát quá trình giải quyết hồ sơ"
            context = control_slip_context(dossier)
        return document_issue(
            actor=actor,
            kind=kind,
            template_name=template,
            context=context,
            org_unit=dossier.org_unit,
            title=title,
            subject=dossier,
            supersedes=document,
            postprocessors=_agency_seal(dossier.org_unit) if kind == DocumentKind.RECEIPT else (),
        )


def _agency_seal(unit) -> list:
    """Receipts carry the agency's digital signature (its seal over the receiver's block) when the
    unit has an agency certificate; a signing failure issues the receipt unsigned rather than
    keeping the applicant waiting at the counter."""
    certificate = agency_certificate_for(unit)
    if certificate is None:
        return []
    return [DocumentSigner(certificate, appearance=Appearance.SEAL, anchor="sig-receiver", required=False)]


def notice_document(*, actor, notice: ReceptionNotice) -> IssuedDocument:
    """Form 02 or Form 03 of a reception notice: the stored one, else issued now."""
    kind = DocumentKind.SUPPLEMENT_REQUEST if notice.kind == NoticeKind.SUPPLEMENT else DocumentKind.REFUSAL
    document = _current(NOTICE, notice.pk, kind)
    if document is not None:
        return document
    with transaction.atomic():
        ReceptionNotice.objects.select_for_update().get(pk=notice.pk)
        document = _current(NOTICE, notice.pk, kind)
        if document is not None:
            return document
        if kind == DocumentKind.SUPPLEMENT_REQUEST:
            template, title = "documents/supplement_request.html", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        else:
            template, title = "documents/refusal.html", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
        return document_issue(
            actor=actor,
            kind=kind,
            template_name=template,
            context=notice_context(notice),
            org_unit=notice.org_unit,
            title=title,
            subject=notice,
        )


@dataclass(frozen=True)
class LedgerExtract:
    """The subject of a ledger extract: a unit and a period, not one row. It answers what the
    documents service reads of a subject (`_meta.label_lower`, `pk`)."""

    pk: str
    _meta = SimpleNamespace(label_lower=LEDGER)


def ledger_document(*, actor, unit, rows, start: date, end: date) -> IssuedDocument:
    """The ledger extract of `unit` for a period: the stored one while no dossier in it changed."""
    rows = list(rows)
    subject_id = f"{unit.pk}:{start:%Y%m%d}:{end:%Y%m%d}"
    changed_at = Dossier.objects.filter(pk__in=[d.pk for d in rows]).aggregate(last=Max("updated_at"))["last"]
    document = _current(LEDGER, subject_id, DocumentKind.LEDGER)
    if not _stale(document, changed_at) and document is not None:
        return document
    return document_issue(
        actor=actor,
        kind=DocumentKind.LEDGER,
        template_name="documents/ledger.html",
        context=ledger_context(rows, start=start, end=end),
        org_unit=unit,
        title="Sổ theo dõi hồ sơ",
        subject=LedgerExtract(subject_id),
        supersedes=document,
    )


def combined_pdf(documents) -> bytes:
    """Several issued PDFs as one file, in order (bulk printing of receipts)."""
    writer = PdfWriter()
    for document in documents:
        with document.file.open("rb") as fh:
            writer.append(PdfReader(io.BytesIO(fh.read())))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- the ledger as a workbook (its headers follow the interface language) -------------------------


def _xlsx_cell(sheet, value, number_format: str | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text from people is never a formula
    if number_format:
        cell.number_format = number_format
    return cell


def _local_naive(moment):
    # Excel has no time zones: local wall-clock time.
    return to_local(moment).replace(tzinfo=None) if moment else None


def ledger_workbook(rows, *, title: str) -> bytes:
    """The ledger with the columns of the standard form (DOMAIN.md §1.3)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Dossier ledger")[:31])
    sheet.append([_xlsx_cell(sheet, title)])
    sheet.append(
        [
            _("No."),
            _("Dossier code"),
            _("Procedure"),
            _("Applicant"),
            _("Address, phone"),
            _("Lead agency"),
            pgettext("when", "Received"),
            _("Appointment"),
            _("Returned"),
            _("Return method"),
            _("Signature"),
        ]
    )
    stamp = "dd/mm/yyyy hh:mm"
    for number, d in enumerate(rows, 1):
        contact = "; ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
        sheet.append(
            [
                _xlsx_cell(sheet, number),
                _xlsx_cell(sheet, d.code),
                _xlsx_cell(sheet, d.procedure.name),
                _xlsx_cell(sheet, d.applicant_name),
                _xlsx_cell(sheet, contact),
                _xlsx_cell(sheet, d.org_unit.name),
                _xlsx_cell(sheet, _local_naive(d.received_at), stamp),
                _xlsx_cell(sheet, _local_naive(d.due_at), stamp),
                _xlsx_cell(sheet, _local_naive(d.returned_at), stamp),
                _xlsx_cell(sheet, d.get_return_method_display() if d.return_method else ""),
                _xlsx_cell(sheet, ""),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
