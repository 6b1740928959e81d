"""Catalog admin for province administrators (`catalog.manage` on the province).

Every save and delete is written to the audit trail in the admin's own transaction, with the
changed fields and a snapshot of the procedure (or process) after the change. A procedure's
"History" button opens the audit trail filtered to it. Procedures are deactivated, never deleted:
dossiers point at them. Process steps are checked against the legal time limit before saving.
"""

from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from smartcommune.audit.services import audit_record
from smartcommune.core.text import fold
from smartcommune.directory import permissions as perms
from smartcommune.directory.policies import orgunit_qs_for, unit_scope_q

from .choices import ApplicantType
from .models import Component, FeeExemption, FeeRule, Field, Procedure, ProcessStep, ProcessTemplate
from .policies import can_manage_any_process, can_manage_catalog, can_manage_process
from .selectors import procedure_spec, process_spec
from .services import catalog_province
from .specs import spec_dict
from .validation import step_problems


class _CatalogAdmin(admin.ModelAdmin):
    """Open to staff who manage the province catalog."""

    def has_module_permission(self, request):
        return request.user.is_staff and can_manage_catalog(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class _CatalogInline:
    """Inlines follow the catalog's own rule, not Django's per-model permissions."""

    def _allowed(self, request, obj=None) -> bool:
        return request.user.is_staff and can_manage_catalog(request.user)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


def _formset_changes(formsets) -> dict:
    """What the inlines changed: per model, the rows added, changed (with fields) and deleted."""
    changes = {}
    for formset in formsets:
        name = formset.model._meta.model_name
        entry = {
            "added": len(formset.new_objects),
            "changed": [{"id": obj.pk, "fields": sorted(fields)} for obj, fields in formset.changed_objects],
            "deleted": [obj.pk for obj in formset.deleted_objects],
        }
        if entry["added"] or entry["changed"] or entry["deleted"]:
            changes[name] = entry
    return changes


class _ListField(forms.CharField):
    """A JSON list edited as comma-separated words."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else (value or "")

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [
            part.strip().lower().lstrip(".") for part in text.replace(";", ",").split(",") if part.strip()
        ]


BLANK_FORM_TYPES = ("pdf", "doc", "docx", "odt")
BLANK_FORM_MAX_BYTES = 5 * 1024 * 1024


class ComponentForm(forms.ModelForm):
    accepted_types = _ListField(
        label=_("accepted file types"), required=False, help_text=_("For example: pdf, jpg, png")
    )

    class Meta:
        model = Component
        fields = ["order", "name", "originals", "copies", "is_mandatory", "condition", "reusable",
                  "accepted_types", "form_code", "blank_form"]  # fmt: skip

    def clean_blank_form(self):
        file = self.cleaned_data.get("blank_form")
        if file and hasattr(file, "size"):
            if PurePath(file.name).suffix.lower().lstrip(".") not in BLANK_FORM_TYPES:
                raise ValidationError(
                    _("A blank form must be one of: %(types)s.") % {"types": ", ".join(BLANK_FORM_TYPES)}
                )
            if file.size > BLANK_FORM_MAX_BYTES:
                raise ValidationError(_("A blank form may be at most 5 MB."))
        return file

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("condition") and cleaned.get("is_mandatory"):
            self.add_error(
                "is_mandatory", _("A component required only in some cases must not be marked mandatory.")
            )
        return cleaned


class ComponentInline(_CatalogInline, admin.TabularInline):
    model = Component
    form = ComponentForm
    extra = 0
    fields = ["order", "name", "originals", "copies", "is_mandatory", "condition", "reusable", "accepted_types",
              "form_code", "blank_form"]  # fmt: skip


class FeeRuleForm(forms.ModelForm):
    class Meta:
        model = FeeRule
        fields = ["name", "kind", "amount", "amount_online", "tier_pages", "next_amount", "cap", "legal_ref",
                  "effective_from", "effective_to"]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end must not come before the start."))
        if cleaned.get("kind") != "per_page" and (
            cleaned.get("tier_pages") or cleaned.get("next_amount") or cleaned.get("cap") is not None
        ):
            self.add_error("kind", _("Pages, the rate after them and the cap apply only to per-page fees."))
        if cleaned.get("kind") == "per_page" and cleaned.get("amount_online") is not None:
            self.add_error("amount_online", _("A per-page fee has no separate online amount."))
        return cleaned


class FeeRuleInline(_CatalogInline, admin.TabularInline):
    model = FeeRule
    form = FeeRuleForm
    extra = 0


class FeeExemptionInline(_CatalogInline, admin.TabularInline):
    model = FeeExemption
    extra = 0


class ProcedureForm(forms.ModelForm):
    applicant_types = forms.MultipleChoiceField(
        label=_("applicant types"), choices=ApplicantType.choices, widget=forms.CheckboxSelectMultiple
    )
    life_events = _ListField(
        label=_("life events"), required=False, help_text=_("For example: birth, marriage")
    )

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "level", "applicant_types", "life_events", "time_limit_amount",
                  "time_limit_unit", "verification_extension_days", "online_level", "result_kind", "result_name",
                  "result_template", "legal_basis", "fee_note", "effective_from", "effective_to",
                  "is_active"]  # fmt: skip


@admin.register(Procedure)
class ProcedureAdmin(_CatalogAdmin):
    form = ProcedureForm
    list_display = [
        "code",
        "name",
        "field",
        "time_limit_amount",
        "time_limit_unit",
        "online_level",
        "is_active",
    ]
    list_filter = ["field", "level", "online_level", "time_limit_unit", "is_active"]
    search_fields = ["code", "name", "name_folded"]
    list_select_related = ["field"]
    ordering = ["code"]
    inlines = [ComponentInline, FeeRuleInline, FeeExemptionInline]

    def get_search_results(self, request, queryset, search_term):
        queryset, dup = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset |= self.get_queryset(request).filter(name_folded__contains=fold(search_term))
        return queryset, dup

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: dossiers point at procedures

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def history_view(self, request, object_id, extra_context=None):
        """The procedure's history is its audit trail."""
        query = urlencode({"target_type": Procedure._meta.label_lower, "target_id": object_id})
        return redirect(f"{reverse('audit:list')}?{query}")

    def save_model(self, request, obj, form, change):
        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        procedure = (
            Procedure.objects.select_related("field")
            .prefetch_related("components", "fee_rules", "fee_exemptions")
            .get(pk=form.instance.pk)
        )
        audit_record(
            actor=request.user,
            action=f"procedure.{'updated' if change else 'created'}",
            target=procedure,
            org_unit=catalog_province(),
            data={
                "fields": sorted(form.changed_data),
                "inlines": _formset_changes(formsets),
                "snapshot": spec_dict(procedure_spec(procedure)),
            },
        )


@admin.register(Field)
class FieldAdmin(_CatalogAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False  # procedures point at fields (PROTECT)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"field.{'updated' if change else 'created'}",
            target=obj,
            org_unit=catalog_province(),
            data={"fields": sorted(form.changed_data)},
        )


class ProcessStepFormSet(forms.BaseInlineFormSet):
    """The steps that remain must fit the procedure's legal limit (see catalog.validation)."""

    def clean(self):
        super().clean()
        procedure = getattr(self.instance, "procedure", None) if self.instance.procedure_id else None
        if procedure is None or any(self.errors):
            return
        steps = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows = [_StepRow(data.get("order"), data.get("duration_hours")) for data in steps]
        problems = step_problems(rows, limit=procedure.legal_limit_hours)
        if problems:
            raise ValidationError([p.message for p in problems])


class _StepRow:
    def __init__(self, order, hours):
        self.order = order
        try:
            self.duration_hours = Decimal(hours) if hours is not None else None
        except (InvalidOperation, TypeError, ValueError):
            self.duration_hours = None


class ProcessStepInline(_CatalogInline, admin.TabularInline):
    model = ProcessStep
    formset = ProcessStepFormSet
    extra = 0
    min_num = 1
    fields = ["order", "name", "role", "duration_hours", "route_to"]
    autocomplete_fields = ["route_to"]  # OrgUnitAdmin (directory) provides the search

    def _allowed(self, request, obj=None) -> bool:
        # obj is the process: its unit decides (None while adding; the parent checks the unit on save).
        unit = obj.org_unit if obj is not None else None
        if obj is None:
            return request.user.is_staff and can_manage_any_process(request.user)
        return request.user.is_staff and can_manage_process(request.user, unit)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    """Province managers edit every process; a commune's managers only their own commune's."""

    list_display = ["procedure", "org_unit", "legal_ref"]
    list_select_related = ["procedure", "org_unit"]
    list_filter = [("org_unit", admin.EmptyFieldListFilter)]
    search_fields = ["procedure__code", "procedure__name", "procedure__name_folded", "org_unit__name"]
    inlines = [ProcessStepInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = unit_scope_q(request.user, perms.CATALOG_MANAGE, field="org_unit")
        if can_manage_catalog(request.user):
            scope |= Q(org_unit__isnull=True)
        return qs.filter(scope)

    def has_module_permission(self, request):
        return request.user.is_staff and can_manage_any_process(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return request.user.is_staff and can_manage_process(request.user, obj.org_unit)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "org_unit":
            kwargs["queryset"] = orgunit_qs_for(user=request.user, action=perms.CATALOG_MANAGE).order_by(
                "path"
            )
            kwargs["required"] = not can_manage_catalog(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not can_manage_process(request.user, obj.org_unit):
            raise PermissionError("no catalog.manage on this unit")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        process = (
            ProcessTemplate.objects.select_related("procedure", "org_unit")
            .prefetch_related("steps__role", "steps__route_to")
            .get(pk=form.instance.pk)
        )
        audit_record(
            actor=request.user,
            action=f"processtemplate.{'updated' if change else 'created'}",
            target=process,
            org_unit=process.org_unit or catalog_province(),
            data={
                "fields": sorted(form.changed_data),
                "inlines": _formset_changes(formsets),
                "snapshot": spec_dict(process_spec(process)),
            },
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action="processtemplate.deleted",
            target=obj,
            org_unit=obj.org_unit or catalog_province(),
            data={"snapshot": spec_dict(process_spec(obj))},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
