"""Django admin for province administrators, scoped to the units they are granted.

Every save and delete is written to the audit trail in the admin's own transaction.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from smartcommune.audit.services import audit_record
from smartcommune.core.text import fold

from . import permissions as perms
from .models import ApiToken, Citizen, Membership, Official, Organisation, OrgUnit, Role, RoleGrant, User
from .policies import has_perm, is_superuser, orgunit_qs_for, unit_scope_q
from .services import api_token_revoke, orgunit_create, orgunit_update


class ScopedAdmin(admin.ModelAdmin):
    """Rows are limited to the units where the admin holds `view_perm`; edits need `manage_perm`
    on the row's unit. `unit_field` is the path from the model to its OrgUnit ("" for OrgUnit)."""

    unit_field = "org_unit"
    view_perm = perms.UNIT_VIEW
    manage_perm = perms.UNIT_MANAGE
    unit_fk_names = ("org_unit", "home_unit")

    def _unit_of(self, obj):
        if obj is None:
            return None
        for part in self.unit_field.split("__") if self.unit_field else []:
            obj = getattr(obj, part, None)
        return obj

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(unit_scope_q(request.user, self.view_perm, self.unit_field))
        )

    def has_module_permission(self, request):
        return request.user.is_staff and has_perm(request.user, self.view_perm)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def _can_manage(self, request, obj):
        unit = self._unit_of(obj)
        if obj is not None and unit is None:
            return is_superuser(request.user)
        return request.user.is_staff and has_perm(request.user, self.manage_perm, unit)

    def has_add_permission(self, request):
        return self._can_manage(request, None)

    def has_change_permission(self, request, obj=None):
        return self._can_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._can_manage(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.unit_fk_names:
            kwargs["queryset"] = orgunit_qs_for(user=request.user, action=self.manage_perm).order_by("path")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'updated' if change else 'created'}",
            target=obj,
            org_unit=self._unit_of(obj),
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.deleted",
            target=obj,
            org_unit=self._unit_of(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class OrgUnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("Parent unit"))

    class Meta:
        model = OrgUnit
        fields = ["parent", "code", "name", "kind", "address", "phone", "email", "is_active"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    unit_field = ""
    form = OrgUnitForm
    list_display = ["indented_name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_folded", "code"]
    ordering = ["path"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return "— " * (obj.depth - 1) + obj.name

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["parent"].queryset = orgunit_qs_for(user=request.user, action=perms.UNIT_MANAGE)
        if obj is not None:
            form.base_fields["parent"].disabled = True
            form.base_fields["code"].disabled = True
        return form

    def get_search_results(self, request, queryset, search_term):
        queryset, dup = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset |= self.get_queryset(request).filter(name_folded__contains=fold(search_term))
        return queryset, dup

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            orgunit_update(
                actor=request.user,
                unit=obj,
                **{k: data[k] for k in ("name", "address", "phone", "email", "is_active")},
            )
        else:
            parent = data.get("parent")
            if parent is None and not is_superuser(request.user):
                raise PermissionError("only system administrators add provinces")
            unit = orgunit_create(
                actor=request.user,
                parent=parent,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                address=data.get("address", ""),
            )
            obj.pk = unit.pk

    def delete_model(self, request, obj):
        # Units are deactivated, never deleted: dossiers and the audit trail point at them.
        orgunit_update(actor=request.user, unit=obj, is_active=False)

    def has_delete_permission(self, request, obj=None):
        return False


class _PeopleInlineMixin:
    """Inlines follow the people rights of the page they sit on, not Django's model permissions."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and has_perm(request.user, perms.PEOPLE_VIEW)

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and has_perm(request.user, perms.PEOPLE_MANAGE)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "org_unit":
            kwargs["queryset"] = orgunit_qs_for(user=request.user, action=perms.PEOPLE_MANAGE).order_by(
                "path"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(_PeopleInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org_unit"]


class OfficialInline(_PeopleInlineMixin, admin.StackedInline):
    model = Official
    extra = 0
    can_delete = False


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    unit_field = "official__memberships__org_unit"
    view_perm = perms.PEOPLE_VIEW
    manage_perm = perms.PEOPLE_MANAGE
    list_display = ["username", "full_name", "kind", "is_active", "is_staff"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    inlines = [OfficialInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone", "kind")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "kind", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def _unit_of(self, obj):
        membership = (
            obj.official.memberships.filter(is_primary=True).first() if hasattr(obj, "official") else None
        )
        return membership.org_unit if membership else None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and is_superuser(request.user):
            fieldsets = (*fieldsets, (_("Superuser"), {"fields": ("is_superuser",)}))
        return fieldsets


@admin.register(Official)
class OfficialAdmin(ScopedAdmin):
    unit_field = "memberships__org_unit"
    view_perm = perms.PEOPLE_VIEW
    manage_perm = perms.PEOPLE_MANAGE
    list_display = ["user", "position", "title"]
    list_filter = ["position"]
    search_fields = ["user__username", "user__full_name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def _unit_of(self, obj):
        membership = obj.memberships.filter(is_primary=True).first() if obj and obj.pk else None
        return membership.org_unit if membership else None


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "is_system"]
    readonly_fields = ["is_system"]

    def has_module_permission(self, request):
        return request.user.is_staff and has_perm(request.user, perms.GRANT_MANAGE)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request.user) or has_perm(request.user, perms.SYSTEM_ADMIN)

    def has_add_permission(self, request):
        return self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request) and not (obj and obj.is_system)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            return forms.MultipleChoiceField(
                choices=[(code, p.label) for code, p in perms.PERMISSIONS.items()],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=db_field.verbose_name,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"role.{'updated' if change else 'created'}",
            target=obj,
            data={"permissions": obj.permissions},
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    view_perm = perms.GRANT_MANAGE
    manage_perm = perms.GRANT_MANAGE
    list_display = ["user", "role", "org_unit", "include_subtree", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "org_unit__name"]
    autocomplete_fields = ["user", "org_unit"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Citizen)
class CitizenAdmin(ScopedAdmin):
    unit_field = "home_unit"
    view_perm = perms.CITIZEN_VIEW
    manage_perm = perms.CITIZEN_MANAGE
    list_display = ["full_name", "masked_id", "date_of_birth", "home_unit", "identity_verified"]
    search_fields = ["full_name", "full_name_folded", "personal_id", "phone"]
    list_select_related = ["home_unit"]
    autocomplete_fields = ["home_unit"]
    readonly_fields = ["public_id", "user", "identity_verified"]
    exclude = ["full_name_folded"]

    @admin.display(description=_("personal identification number"))
    def masked_id(self, obj):
        return obj.masked_personal_id

    def save_model(self, request, obj, form, change):
        obj.full_name_folded = fold(obj.full_name)
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    unit_field = "home_unit"
    view_perm = perms.CITIZEN_VIEW
    manage_perm = perms.CITIZEN_MANAGE
    list_display = ["name", "kind", "tax_code", "home_unit"]
    search_fields = ["name", "name_folded", "tax_code"]
    exclude = ["name_folded"]
    autocomplete_fields = ["home_unit", "representative"]

    def save_model(self, request, obj, form, change):
        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    unit_field = "user__official__memberships__org_unit"
    view_perm = perms.PEOPLE_MANAGE
    manage_perm = perms.PEOPLE_MANAGE
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "created_by", "expires_at", "last_used_at"]
    exclude = ["token_hash"]
    actions = ["revoke_tokens"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request):
        return False  # tokens are created by their owner, who sees the secret once

    def has_change_permission(self, request, obj=None):
        return False  # revoking is the only change, through the action below

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)

    def has_revoke_permission(self, request):
        return self._can_manage(request, None)

    def _unit_of(self, obj):
        membership = (
            Membership.objects.filter(official__user=obj.user, is_primary=True).first() if obj else None
        )
        return membership.org_unit if membership else None


admin.site.site_header = _("SmartCommune administration")
admin.site.site_title = _("SmartCommune")
admin.site.index_title = _("Province administration")
