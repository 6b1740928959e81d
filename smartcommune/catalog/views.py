"""Catalog screens: the procedure list and detail for every official; export and import for
those who manage the catalog. Whoever may not open a screen gets 404."""

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from smartcommune.core.errors import NotFound
from smartcommune.directory.selectors import primary_unit

from . import selectors, services
from .errors import CatalogFileUnreadable, CatalogInvalid
from .excel import XLSX_CONTENT_TYPE, catalog_export_xlsx
from .fees import in_force
from .forms import CatalogImportForm, ProcedureFilterForm
from .models import Component
from .policies import can_manage_catalog, can_view_catalog

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@require_GET
def procedure_list(request):
    _require(can_view_catalog(request.user))
    form = ProcedureFilterForm(request.GET)
    procedures = selectors.procedure_list(**form.filters())
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "form": form,
        "page": page,
        "query": urlencode(query),
        "can_manage": can_manage_catalog(request.user),
    }
    status = 400 if form.errors else 200
    return render(request, "catalog/procedure_list.html", context, status=status)


@require_GET
def procedure_detail(request, code: str):
    _require(can_view_catalog(request.user))
    try:
        procedure = selectors.procedure_detail(code)
    except NotFound as exc:
        raise Http404 from exc
    unit = primary_unit(request.user)
    process = selectors.process_for(procedure, unit)
    today = timezone.localdate()
    can_manage = can_manage_catalog(request.user)
    context = {
        "procedure": procedure,
        "components": procedure.components.all(),
        "fees": [(rule, in_force(rule, today)) for rule in procedure.fee_rules.all()],
        "exemptions": procedure.fee_exemptions.all(),
        "process": process,
        "unit": unit,
        "can_manage": can_manage,
        "history_url": (
            reverse("audit:list")
            + "?"
            + urlencode({"target_type": "catalog.procedure", "target_id": procedure.pk})
            if can_manage
            else ""
        ),
    }
    return render(request, "catalog/procedure_detail.html", context)


@login_not_required
@require_GET
def blank_form(request, code: str, pk: int):
    """A component's blank form (mẫu đơn, tờ khai): public, like the catalog itself."""
    component = (
        Component.objects.filter(pk=pk, procedure__code=code[:20], procedure__is_active=True)
        .exclude(blank_form="")
        .first()
    )
    if component is None:
        raise Http404
    name = PurePath(component.blank_form.name).name
    try:
        handle = component.blank_form.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@require_GET
def catalog_export(request):
    _require(can_manage_catalog(request.user))
    response = HttpResponse(catalog_export_xlsx(), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="catalog-{stamp}.xlsx"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def catalog_import(request):
    _require(can_manage_catalog(request.user))
    form = CatalogImportForm(request.POST, request.FILES) if request.method == "POST" else CatalogImportForm()
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.catalog_import_xlsx(actor=request.user, file=form.cleaned_data["file"])
        except CatalogFileUnreadable as exc:
            form.add_error("file", str(exc.detail))
        except CatalogInvalid as exc:
            row_errors = exc.errors
            form.add_error(None, _("The workbook has errors; nothing was changed."))
        else:
            messages.success(
                request,
                _(
                    "Import finished: %(created)d procedures created, %(updated)d updated, %(unchanged)d "
                    "unchanged; %(processes)d processes changed."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "processes": result.processes_changed,
                },
            )
            return redirect("catalog:list")
    status = 400 if form.errors else 200
    return render(
        request, "catalog/catalog_import.html", {"form": form, "row_errors": row_errors}, status=status
    )
