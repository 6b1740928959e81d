"""Read-only list of messages for system administrators (delivery troubleshooting).

Addresses are masked in the list; the detail page shows the full message.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from smartcommune.directory import permissions as perms
from smartcommune.directory.policies import has_perm, is_superuser

from .models import Message


def _is_system_admin(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and (is_superuser(user) or has_perm(user, perms.SYSTEM_ADMIN))


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "event", "masked_recipient", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "event", "language"]
    search_fields = ["event", "related_type", "related_id"]
    list_select_related = ["org_unit"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    readonly_fields = [
        "public_id",
        "channel",
        "recipient_user",
        "recipient_address",
        "event",
        "language",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "provider_message_id",
        "created_at",
        "sent_at",
        "read_at",
        "next_retry_at",
        "related_type",
        "related_id",
        "org_unit",
    ]
    fields = readonly_fields

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj):
        return obj.masked_address or (_("user #%(id)s") % {"id": obj.recipient_user_id})

    def has_module_permission(self, request):
        return _is_system_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_system_admin(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
