from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token


def public_urls(urls):
    """Mark every view of an included URLconf as not needing a signed-in session."""
    patterns, app_name, namespace = urls

    def mark(items):
        for item in items:
            if isinstance(item, URLPattern):
                item.callback = login_not_required(item.callback)
            elif isinstance(item, URLResolver):
                mark(item.url_patterns)

    mark(patterns)
    return patterns, app_name, namespace


@login_not_required
@never_cache
def healthz(request):
    """Liveness and database reachability for the reverse proxy and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error_page(request, status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        codes = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "server_error"}
        return JsonResponse(
            {"code": codes[status], "detail": message},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


@login_not_required
@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Check what you entered and try again."),
    )


@login_not_required
@requires_csrf_token
def permission_denied(request, exception=None):
    return _error_page(request, 403, _("Access denied"), _("You do not have permission to open this page."))


@login_not_required
@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(request, 404, _("Page not found"), _("The page does not exist or you cannot see it."))


@login_not_required
@requires_csrf_token
def server_error(request):
    # Rendered without a request context processor chain that may itself be failing.
    try:
        return _error_page(
            request,
            500,
            _("Something went wrong"),
            _("The error has been recorded. Nothing you saved before was lost. Please try again later."),
        )
    except Exception:  # the last line of defence must not raise
        return HttpResponse(
            "500 Server error / Lỗi máy chủ", status=500, content_type="text/plain; charset=utf-8"
        )


@login_not_required
def error_preview(request, status: int):
    """DEBUG only: look at the error pages."""
    views = {400: bad_request, 403: permission_denied, 404: page_not_found}
    if status == 500:
        return server_error(request)
    return views.get(status, page_not_found)(request)
