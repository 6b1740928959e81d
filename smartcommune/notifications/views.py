"""The signed-in user's in-app messages: a list, and marking one or all read.

Every user has an inbox; another user's message answers 404.
"""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .policies import access_message

PAGE_SIZE = 25


def _back_to_list(request):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(reverse("notifications:list"))


@require_GET
def message_list(request):
    page = Paginator(selectors.message_inbox(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.message_unread_count(user=request.user)
    return render(request, "notifications/message_list.html", {"page": page, "unread_count": unread})


@require_POST
def message_read(request, public_id):
    message = access_message(user=request.user, public_id=public_id)
    message = services.message_mark_read(user=request.user, message=message)
    if request.htmx and not request.htmx.boosted:
        return render(request, "notifications/_message_row.html", {"message": message})
    return _back_to_list(request)


@require_POST
def message_read_all(request):
    count = services.message_mark_all_read(user=request.user)
    if count:
        flash.success(
            request,
            ngettext("%(count)d message marked as read.", "%(count)d messages marked as read.", count)
            % {"count": count},
        )
    return _back_to_list(request)
