from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .errors import CalendarInputError
from .forms import OverrideForm
from .policies import access_override, can_manage_calendar

MIN_YEAR, MAX_YEAR = 1990, 2100


def calendar_redirect(request):
    return redirect("workdays:year", year=timezone.localdate().year)


@require_http_methods(["GET", "HEAD", "POST"])
def calendar_year(request, year: int):
    """The year's calendar of the user's province; managers add overrides here (POST)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    province = selectors.province_for_user(request.user)
    can_manage = can_manage_calendar(request.user, province)
    form = OverrideForm() if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        form = OverrideForm(request.POST)
        if form.is_valid():
            try:
                calendar = services.calendar_get_or_create_for_province(province=province, actor=request.user)
                override = services.calendar_override_add(
                    actor=request.user, calendar=calendar, **form.cleaned_data
                )
            except CalendarInputError as exc:
                form.add_error(exc.field, str(exc.detail))
            else:
                messages.success(
                    request,
                    _("%(date)s added: %(name)s.")
                    % {"date": f"{override.date:%d/%m/%Y}", "name": override.name},
                )
                return redirect("workdays:year", year=override.date.year)
    view = selectors.year_view(selectors.calendar_for_unit(province), year)
    context = {
        "view": view,
        "form": form,
        "can_manage": can_manage,
        "weekday_abbrs": [WEEKDAYS_ABBR[i] for i in range(7)],
        "min_year": MIN_YEAR,
        "max_year": MAX_YEAR,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "workdays/workcalendar_year.html", context, status=status)


@require_POST
def override_remove(request, year: int, pk: int):
    province = selectors.province_for_user(request.user)
    override = access_override(user=request.user, province=province, pk=pk)
    services.calendar_override_remove(actor=request.user, override=override)
    messages.success(
        request,
        _("%(date)s removed: %(name)s.") % {"date": f"{override.date:%d/%m/%Y}", "name": override.name},
    )
    return redirect("workdays:year", year=year)
