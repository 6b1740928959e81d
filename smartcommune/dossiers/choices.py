from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.IntegerChoices):
    """The national portal's sync codes (TrangThaiHoSo, DOMAIN.md §1.7): a sync is a mapping."""

    NEW_ONLINE = 1, _("Submitted online")
    RECEIVED = 2, _("Received")
    NOT_RECEIVED = 3, _("Not received")
    PROCESSING = 4, _("Being processed")
    SUPPLEMENT_REQUESTED = 5, _("Waiting for supplements")
    AWAITING_PAYMENT = 6, _("Waiting for fee payment")
    WITHDRAWN = 7, _("Withdrawn by the applicant")
    STOPPED = 8, _("Stopped")
    PROCESSED = 9, _("Processed")
    RETURNED = 10, _("Result returned")


OPEN_STATUSES = frozenset(
    {
        DossierStatus.NEW_ONLINE,
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.AWAITING_PAYMENT,
    }
)
# The statuses whose time ends the on-time test, best first (DOMAIN.md §1.4, 766 formula 2.1).
FINISHED_STATUSES = frozenset(
    {
        DossierStatus.PROCESSED,
        DossierStatus.RETURNED,
        DossierStatus.STOPPED,
        DossierStatus.NOT_RECEIVED,
        DossierStatus.WITHDRAWN,
    }
)


class Channel(models.IntegerChoices):
    """KenhThucHien: how the dossier came in."""

    IN_PERSON = 1, _("In person")
    ONLINE = 2, _("Online")
    POST = 3, _("By post")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class DueState(models.TextChoices):
    """Open dossiers: in time / due soon / overdue. Finished: early / on time / late (§1.7)."""

    IN_TIME = "in_time", _("In time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Clock paused")
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    FEE_ASSESSED = "fee_assessed", _("Fee assessed")
    PAID = "paid", _("Fee paid")
    FORWARDED = "forwarded", _("Forwarded")
    SENT_BACK = "sent_back", _("Sent back")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENTED = "supplemented", _("Supplemented")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    RESULT_RECORDED = "result_recorded", _("Result recorded")
    RETURNED = "returned", _("Result returned")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed by the applicant")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APOLOGY_ISSUED = "apology_issued", _("Apology and new date issued")
    FILE_ADDED = "file_added", _("File added")


class FileKind(models.TextChoices):
    COMPONENT = "component", _("Submitted component")
    SUPPLEMENT = "supplement", _("Supplement")
    RESULT = "result", _("Result")
    OTHER = "other", _("Other")


class NoticeKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Supplement request at reception (Form 02)")
    REFUSAL = "refusal", _("Refusal of reception (Form 03)")
