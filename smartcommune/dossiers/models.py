import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartcommune.core import clock
from smartcommune.core.choices import ChoiceLabels

from .choices import OPEN_STATUSES, Channel, DossierStatus, EventKind, FileKind, NoticeKind, ReturnMethod


class DailySequence(models.Model):
    """The counter behind dossier codes: one row per agency and reception day, locked by intake.

    Codes never repeat and never skip: the number is taken inside the intake transaction, so a
    rolled-back intake gives its number back (Circular 01/2018 art. 19, Circular 03/2025 art. 13).
    """

    agency_code = models.CharField(max_length=20)
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="daily_sequence_unique")]

    def __str__(self):
        return f"{self.agency_code} {self.day:%y%m%d} #{self.last_value}"


class DossierQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now):
        return self.open().filter(due_at__lt=now).exclude(status=DossierStatus.SUPPLEMENT_REQUESTED)

    def in_units(self, unit_ids):
        return self.filter(org_unit_id__in=unit_ids)


class Dossier(ChoiceLabels, models.Model):
    """An administrative-procedure dossier (hồ sơ TTHC) from reception to the returned result.

    Status codes and channels are the national portal's (1–10, 1–3). `due_at` is computed by the
    workdays engine from the legal limit, extended by every supplement pause. `version` grows with
    every change: an action sent with an older version is a conflict, never half-applied.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    org_unit = models.ForeignKey(
        "directory.OrgUnit",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("receiving unit"),
    )
    agency_code = models.CharField(max_length=20)
    citizen = models.ForeignKey(
        "directory.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    applicant_name = models.CharField(_("applicant"), max_length=250)
    applicant_name_folded = models.CharField(max_length=250, editable=False, db_index=True)
    applicant_id_number = models.CharField(
        _("identification number"), max_length=14, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    submitted_by_name = models.CharField(_("submitted on behalf by"), max_length=150, blank=True)
    channel = models.PositiveSmallIntegerField(
        _("channel"), choices=Channel.choices, default=Channel.IN_PERSON
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=DossierStatus.choices, db_index=True)
    needs_verification = models.BooleanField(_("verification needed"), default=False)
    legal_amount = models.PositiveIntegerField(_("legal time limit"))
    legal_unit = models.CharField(_("time limit unit"), max_length=15)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    deemed_received_at = models.DateTimeField(_("counted from"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    original_due_at = models.DateTimeField(_("first appointment"))
    current_step = models.ForeignKey(
        "DossierStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fee_total = models.PositiveIntegerField(_("fees (VND)"), default=0)
    fee_exempt_reason = models.CharField(_("fee exemption"), max_length=300, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_method = models.CharField(
        _("return method"), max_length=10, choices=ReturnMethod.choices, blank=True
    )
    receipt_confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stop_reason = models.TextField(_("reason"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    due_alert_sent_at = models.DateTimeField(null=True, blank=True)
    ledger_number = models.PositiveIntegerField(_("ledger number"), null=True, blank=True)
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["org_unit", "status", "due_at"], name="dossier_unit_status_due_idx"),
            models.Index(fields=["current_assignee", "status", "due_at"], name="dossier_assignee_due_idx"),
            # The unit's list, newest first (bench: page 40 of a busy commune 1.4 s -> 1.5 ms).
            models.Index(fields=["org_unit", "-received_at", "-id"], name="dossier_unit_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen__isnull=False) | Q(organisation__isnull=False),
                name="dossier_has_applicant",
            )
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def finished_at(self):
        """The end time of the on-time test: processed, else returned, else stopped (766 formula 2.1)."""
        return self.processed_at or self.returned_at or self.stopped_at


class DossierStep(ChoiceLabels, models.Model):
    """One pass of the dossier through a step of the internal process (a row of the control slip)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    role_code = models.CharField(max_length=50)
    org_unit = models.ForeignKey("directory.OrgUnit", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    duration_hours = models.DecimalField(max_digits=6, decimal_places=1)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "pk"]
        indexes = [models.Index(fields=["assignee", "finished_at"], name="dossier_step_assignee_idx")]

    def __str__(self):
        return f"{self.dossier_id}:{self.order} {self.name}"


class DossierComponent(models.Model):
    """What the applicant handed in for one component of the procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey("catalog.Component", null=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=500)
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "pk"]

    def __str__(self):
        return self.name


class DossierFile(ChoiceLabels, models.Model):
    """A stored file of a dossier: a scanned component, a supplement, or the result. Never served
    from a public URL; the SHA-256 is taken when it is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(DossierComponent, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # clock.now: the demo's replayed past dates its files too (core.clock); otherwise the time of storing.
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["dossier", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class DossierEvent(ChoiceLabels, models.Model):
    """What happened to the dossier, in order: the processing log and the control slip's source."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.PositiveSmallIntegerField(null=True)
    to_status = models.PositiveSmallIntegerField(null=True)
    step = models.ForeignKey(DossierStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]

    def __str__(self):
        return f"{self.dossier_id} {self.kind}"


class SupplementRequest(models.Model):
    """A request for supplements during processing (yêu cầu bổ sung): the clock pauses from
    `requested_at` until `completed_at`. A second request is allowed but flagged (766 counts it late)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.TextField(_("what to add or correct"))
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    is_repeat = models.BooleanField(default=False)

    class Meta:
        ordering = ["dossier", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(completed_at__isnull=True), name="one_open_supplement_request"
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} @ {self.requested_at:%Y-%m-%d}"


class Apology(models.Model):
    """The apology and re-appointment letter (phiếu xin lỗi và hẹn lại): at most once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    reason = models.TextField(_("reason for the delay"))
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField(_("new appointment"))
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.dossier_id} → {self.new_due_at:%Y-%m-%d}"


class FeeLine(models.Model):
    """One line of the fees assessed on the dossier at intake (integer VND)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fee_lines")
    fee_rule = models.ForeignKey("catalog.FeeRule", null=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    unit_amount = models.PositiveIntegerField()
    amount = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.description}: {self.amount}"


class Payment(models.Model):
    """Money received for a dossier's fees: cash at the counter now, online gateways later.

    Idempotent by (method, reference): a replayed confirmation changes nothing.
    """

    class Method(models.TextChoices):
        CASH = "cash", _("Cash at the counter")
        ONLINE = "online", _("Online")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=Method.choices)
    amount = models.PositiveIntegerField()
    reference = models.CharField(_("receipt number"), max_length=60)
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["method", "reference"], name="payment_reference_unique")
        ]

    def __str__(self):
        return f"{self.reference}: {self.amount}"


class ReceptionNotice(models.Model):
    """A slip given at the counter instead of receiving the dossier: Form 02 (incomplete, what to
    add) or Form 03 (refused, with reasons). No dossier code is taken."""

    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    org_unit = models.ForeignKey("directory.OrgUnit", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField(max_length=250)
    applicant_id_number = models.CharField(max_length=14, blank=True)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_address = models.CharField(max_length=300, blank=True)
    items = models.TextField(blank=True)
    reason = models.TextField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.kind} {self.applicant_name}"


class LookupAttempt(models.Model):
    """One try at the public lookup (tra cứu hồ sơ): counted to rate-limit enumeration.

    `client_key` is a SHA-256 of the visitor's address (no raw IP kept); `code` what was typed,
    cut to the code's length. Rows older than the longest window may be purged at any time.
    """

    client_key = models.CharField(max_length=64)
    code = models.CharField(max_length=40)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["client_key", "at"], name="lookup_client_at_idx"),
            models.Index(fields=["code", "at"], name="lookup_code_at_idx"),
        ]

    def __str__(self):
        return f"{self.code} @ {self.at:%Y-%m-%d %H:%M}"


class OnBehalf(models.TextChoices):
    RELATIVE = "relative", _("A relative")
    COMMUNITY_TEAM = "community", _("A community digital-technology team member")


class ConsentMethod(models.TextChoices):
    SIGNED_PAPER = "signed_paper", _("The applicant signed a consent or authorisation paper")
    IN_PERSON = "in_person", _("The applicant agreed in person, beside me")
    PHONE = "phone", _("The applicant agreed by phone")


class OnlineDraft(models.Model):
    """A citizen's online submission not yet sent (hồ sơ lưu nháp): the chosen office, notes and
    the files uploaded so far. Submitting it receives a dossier; the draft's id is the client token,
    so a repeated submit (double tap, retry) finds the dossier of the first one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(
        "directory.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="online_draft"
    )
    # On behalf of someone else (a relative, a community digital-technology team member): the
    # applicant, how the helper is related, and how the applicant's consent was given.
    applicant = models.ForeignKey(
        "directory.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(max_length=20, blank=True)
    consent_method = models.CharField(max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return str(self.public_id)

    @property
    def client_token(self) -> str:
        return f"draft-{self.public_id}"


class DraftFile(models.Model):
    """A file uploaded into a draft for one component, checked and hashed when stored."""

    draft = models.ForeignKey(OnlineDraft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalog.Component", on_delete=models.PROTECT, related_name="+")
    # Picked from the citizen's repository (an earlier dossier's file) instead of uploaded.
    reused_from = models.ForeignKey(
        DossierFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Rating(models.Model):
    """The applicant's satisfaction with the service (đánh giá mức độ hài lòng), once per dossier,
    after the result: feeds the Decision 766 satisfaction indicators."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    satisfied = models.BooleanField(_("satisfied"))
    reason = models.TextField(_("reason"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.dossier_id}: {'+' if self.satisfied else '-'}"


class Feedback(models.Model):
    """Feedback or a complaint about a dossier (phản ánh, kiến nghị), sent to the commune leader."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback (phản ánh)")
        COMPLAINT = "complaint", _("Complaint or request (kiến nghị)")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("what happened"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "sent_at"]

    def __str__(self):
        return f"{self.dossier_id} {self.kind}"


class UploadSession(models.Model):
    """A large file sent in pieces into a draft, so that a dropped connection loses only the piece
    in flight: the client asks how much arrived and goes on from there. Finished sessions become a
    DraftFile (checked and hashed like any upload) and their pieces are deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(OnlineDraft, on_delete=models.CASCADE, related_name="upload_sessions")
    component = models.ForeignKey("catalog.Component", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    received = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} {self.received}/{self.size}"


class UploadChunk(models.Model):
    """One piece of an upload session, at its byte offset."""

    session = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="chunks")
    offset = models.PositiveBigIntegerField()
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="uploads/%Y/%m/")

    class Meta:
        ordering = ["session", "offset"]
        constraints = [
            models.UniqueConstraint(fields=["session", "offset"], name="upload_chunk_offset_unique")
        ]

    def __str__(self):
        return f"{self.session_id}@{self.offset}"
