"""API schemas of the one-stop shop: a dossier in (counter intake), a dossier out, the list filters,
and one body per action. Every action body carries the `version` the caller last saw."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

TEXT_MAX = 4000


class ComponentGivenIn(Schema):
    component_id: int = Field(description="Id of the catalog component (see the procedure in the catalog)")
    originals: int = Field(0, ge=0, le=99, description="Originals handed in")
    copies: int = Field(0, ge=0, le=99, description="Copies handed in")


class FeeInputsIn(Schema):
    pages: int = Field(0, ge=0, le=100_000, description="Pages of the original (per-page fees)")
    copies: int = Field(1, ge=0, le=100_000, description="Copies (per-page fees)")
    cases: int = Field(1, ge=0, le=100_000, description="Cases (per-case fees)")
    exemption_code: str | None = Field(
        None, max_length=50, description="Code of one of the procedure's exemptions"
    )


class DossierIn(Schema):
    """A dossier received at the counter. Scans are not part of this JSON call: they are added at
    the counter screen (or later as supplements). Sending the same `client_token` again returns the
    dossier created the first time."""

    procedure_code: str = Field(max_length=20, description="National code of the procedure, e.g. 1.004873")
    unit_code: str = Field(max_length=20, description="Electronic identifier of the receiving unit")
    personal_id: str = Field(
        pattern=r"^[0-9]{12}$",
        description="Applicant's 12-digit personal identification number (a citizen already recorded in the province)",
    )
    channel: Literal[1, 3] = Field(
        1, description="1 in person, 3 by post (online dossiers come from the portal)"
    )
    needs_verification: bool = False
    submitted_by_name: str = Field("", max_length=150, description="Who handed it in for the applicant")
    components: list[ComponentGivenIn] = Field(default_factory=list, max_length=100)
    fees: FeeInputsIn = Field(default_factory=FeeInputsIn)
    cash_receipt_number: str = Field(
        "", max_length=60, description="Given: the fee is paid now. Empty: status 6"
    )
    client_token: str | None = Field(
        None, max_length=64, description="Any unique string (a UUID) per submission"
    )


class DossierFilterSchema(Schema):
    q: str = Field(
        "", max_length=100, description="Dossier code, applicant's name (accents optional) or ID number"
    )
    procedure: str | None = Field(None, max_length=20, description="National code of the procedure")
    status: int | None = Field(None, ge=1, le=10, description="Status code 1–10 (national portal)")
    channel: int | None = Field(None, ge=1, le=3, description="1 in person, 2 online, 3 by post")
    due_state: Literal["", "open", "overdue", "paused"] = ""
    received_from: date | None = None
    received_to: date | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class FeeLineOut(Schema):
    description: str
    quantity: int
    unit_amount: int
    amount: int


class PaymentOut(Schema):
    method: str
    amount: int
    reference: str
    paid_at: datetime


class ComponentOut(Schema):
    component_id: int | None
    name: str
    originals: int
    copies: int


class FileOut(Schema):
    public_id: str
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    download_url: str


class StepOut(Schema):
    order: int
    name: str
    assignee: str | None
    started_at: datetime
    due_at: datetime
    finished_at: datetime | None
    outcome: str = Field(description="early, on_time or late once handed on; empty while in progress")


class DossierListItemOut(Schema):
    code: str
    version: int
    procedure_code: str
    procedure_name: str
    applicant_name: str
    status: int
    status_label: str
    channel: int
    received_at: datetime
    due_at: datetime
    due_state: str = Field(
        description="in_time, due_soon, overdue, paused; early, on_time, late once finished"
    )
    current_assignee: str | None


class DossierPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[DossierListItemOut]


class DossierOut(DossierListItemOut):
    public_id: str
    unit_code: str
    unit_name: str
    applicant_id_number: str = Field(description="Masked unless you may view citizens' records")
    submitted_by_name: str
    needs_verification: bool
    legal_amount: int
    legal_unit: str
    original_due_at: datetime
    current_step: str | None
    fee_total: int
    fee_exempt_reason: str
    fee_lines: list[FeeLineOut]
    payments: list[PaymentOut]
    paid: bool
    approved_at: datetime | None
    processed_at: datetime | None
    returned_at: datetime | None
    return_method: str
    receipt_confirmed_at: datetime | None
    stopped_at: datetime | None
    stop_reason: str
    components: list[ComponentOut]
    files: list[FileOut]
    steps: list[StepOut]
    available_actions: list[str] = Field(
        description="Actions your role may take in the current status (the service still checks the rest)"
    )


class VersionIn(Schema):
    version: int = Field(ge=1, description="The dossier's version you last saw: an older one answers 409")


class ForwardIn(VersionIn):
    note: str = Field("", max_length=TEXT_MAX)
    assignee: str | None = Field(
        None, max_length=150, description="Username of an official holding the next step's role"
    )


class ReasonIn(VersionIn):
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


class SupplementRequestIn(VersionIn):
    items: str = Field(min_length=1, max_length=TEXT_MAX, description="What to add or correct, one a line")
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


class NoteIn(VersionIn):
    note: str = Field("", max_length=TEXT_MAX)


class ReturnResultIn(VersionIn):
    method: Literal["counter", "post", "online"]


class ApologyIn(VersionIn):
    reason: str = Field(min_length=1, max_length=TEXT_MAX)
    new_due_at: datetime = Field(
        description="The new appointment; without an offset it is Vietnam's local time"
    )


class PayIn(VersionIn):
    receipt_number: str = Field(min_length=1, max_length=60)
