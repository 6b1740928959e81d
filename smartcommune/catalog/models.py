from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ApplicantType, FeeKind, OnlineLevel, ProcedureLevel, ResultKind, TimeLimitUnit

HOURS_PER_WORKING_DAY = 8  # provincial internal processes plan in 8-hour days (DOMAIN.md §1.6)


class Field(models.Model):
    """A field of administrative procedures (lĩnh vực), e.g. civil status (hộ tịch), certification."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) as published in the national database.

    Legally variable parts (time limit, fees, forms) are data with a legal basis and an effective
    period; a procedure is deactivated, never deleted, because dossiers point at it.
    """

    code = models.CharField(_("national code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=400)
    name_folded = models.CharField(max_length=400, editable=False, db_index=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("field")
    )
    level = models.CharField(
        _("level"), max_length=10, choices=ProcedureLevel.choices, default=ProcedureLevel.COMMUNE
    )
    applicant_types = models.JSONField(_("applicant types"), default=list)
    life_events = models.JSONField(_("life events"), default=list, blank=True)
    time_limit_amount = models.PositiveIntegerField(_("legal time limit"), default=0)
    time_limit_unit = models.CharField(_("time limit unit"), max_length=15, choices=TimeLimitUnit.choices)
    verification_extension_days = models.PositiveSmallIntegerField(
        _("extra working days when verification is needed"), default=0
    )
    online_level = models.CharField(_("online level"), max_length=10, choices=OnlineLevel.choices)
    result_kind = models.CharField(_("result"), max_length=10, choices=ResultKind.choices)
    result_name = models.CharField(_("result document"), max_length=300, blank=True)
    result_template = models.CharField(_("result template"), max_length=100, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    fee_note = models.CharField(_("fee note"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_unit="same_day") | Q(time_limit_amount__gt=0),
                name="procedure_time_limit_positive",
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def legal_limit_hours(self) -> int:
        """The legal limit in working hours, for checking an internal process against it."""
        if self.time_limit_unit == TimeLimitUnit.WORKING_DAYS:
            return self.time_limit_amount * HOURS_PER_WORKING_DAY
        if self.time_limit_unit == TimeLimitUnit.WORKING_HOURS:
            return self.time_limit_amount
        return HOURS_PER_WORKING_DAY

    def clean(self):
        unknown = set(self.applicant_types or []) - set(ApplicantType.values)
        if unknown or not self.applicant_types:
            raise ValidationError({"applicant_types": _("Choose citizen, organisation or both.")})
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end must not come before the start.")})


class Component(models.Model):
    """A dossier component (thành phần hồ sơ) the applicant hands in."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    condition = models.CharField(_("when required"), max_length=300, blank=True)
    reusable = models.BooleanField(_("may be reused from the citizen's repository"), default=False)
    accepted_types = models.JSONField(_("accepted file types"), default=list, blank=True)
    form_code = models.CharField(_("form"), max_length=50, blank=True)
    blank_form = models.FileField(_("blank form"), upload_to="catalog/forms/", blank=True)

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["procedure", "order", "pk"]

    def __str__(self):
        return self.name


class FeeRule(models.Model):
    """How a fee or charge (phí, lệ phí) is computed, with its legal reference and effective period.

    FIXED: `amount` per dossier (`amount_online` when submitted online, if set). PER_CASE: `amount`
    per case or copy. PER_PAGE: `amount` a page for the first `tier_pages` pages, `next_amount` a page
    after, at most `cap` per copy (certified copies, Circular 226/2016/TT-BTC). Money is integer VND.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fee_rules")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    amount = models.PositiveIntegerField(_("amount (VND)"))
    amount_online = models.PositiveIntegerField(_("amount online (VND)"), null=True, blank=True)
    tier_pages = models.PositiveSmallIntegerField(_("pages at the first rate"), default=0)
    next_amount = models.PositiveIntegerField(_("amount a page after them (VND)"), default=0)
    cap = models.PositiveIntegerField(_("cap per copy (VND)"), null=True, blank=True)
    legal_ref = models.CharField(_("legal reference"), max_length=300)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        ordering = ["procedure", "pk"]

    def __str__(self):
        return self.name


class FeeExemption(models.Model):
    """A ground on which the fee is waived (miễn phí, lệ phí), chosen at intake with its reason."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fee_exemptions")
    code = models.SlugField(_("code"), max_length=50)
    reason = models.CharField(_("reason"), max_length=300)
    legal_ref = models.CharField(_("legal reference"), max_length=300)

    class Meta:
        verbose_name = _("fee exemption")
        verbose_name_plural = _("fee exemptions")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "code"], name="fee_exemption_code_unique")
        ]

    def __str__(self):
        return self.reason


class ProcessTemplate(models.Model):
    """The internal process (quy trình nội bộ) of a procedure, for one commune or, with no unit,
    the province-wide default. Its steps' durations must fit the legal time limit."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="processes")
    org_unit = models.ForeignKey(
        "directory.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit (empty: province default)"),
    )
    legal_ref = models.CharField(_("decision approving it"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("internal process")
        verbose_name_plural = _("internal processes")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "org_unit"], name="process_procedure_unit_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(org_unit__isnull=True),
                name="process_one_default_per_procedure",
            ),
        ]

    def __str__(self):
        return f"{self.procedure.code} @ {self.org_unit or '—'}"


class ProcessStep(models.Model):
    """One step of an internal process: who does it and how long it may take (0.5 h slots)."""

    process = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=200)
    role = models.ForeignKey(
        "directory.Role", on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    duration_hours = models.DecimalField(_("working hours"), max_digits=6, decimal_places=1)
    route_to = models.ForeignKey(
        "directory.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("done by another unit (inter-connected)"),
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "order"]
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="process_step_order_unique")]

    def __str__(self):
        return f"{self.order}. {self.name}"
