"""The audit trail screens: a scoped, filterable list, one entry's detail, and an .xlsx export.

Read-only. Whoever holds no `audit.view` anywhere gets 404, as does an entry outside their scope.
"""

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .exports import XLSX_CONTENT_TYPE, auditentry_workbook
from .forms import AuditFilterForm
from .masking import mask_personal_ids
from .selectors import auditentry_detail, auditentry_list, can_view_audit, personal_data_access_list

PAGE_SIZE = 50


def _filter_form(request) -> AuditFilterForm:
    if not can_view_audit(request.user):
        raise Http404
    return AuditFilterForm(request.GET, user=request.user)


def _render_list(request, form: AuditFilterForm, page=None, status: int = 200):
    return render(request, "audit/auditentry_list.html", {"form": form, "page": page}, status=status)


@require_GET
def entry_list(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _render_list(request, form)
    entries = auditentry_list(user=request.user, filters=form.to_filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_list(request, form, page)


@require_GET
def entry_detail(request, pk: int):
    entry = auditentry_detail(user=request.user, pk=pk)
    data_json = json.dumps(entry.data, indent=2, ensure_ascii=False, sort_keys=True)
    return render(
        request,
        "audit/auditentry_detail.html",
        {"entry": entry, "data_json": mask_personal_ids(data_json)},
    )


@require_GET
def entry_export(request):
    form = _filter_form(request)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    entries = auditentry_list(user=request.user, filters=form.to_filters())
    response = HttpResponse(auditentry_workbook(entries), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response


@require_GET
def access_list(request):
    """Who opened which record holding personal data, and when (searchable by record or official)."""
    if not can_view_audit(request.user):
        raise Http404
    q = request.GET.get("q", "")[:100]
    page = Paginator(personal_data_access_list(user=request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/personaldataaccess_list.html", {"page": page, "q": q})
