from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from smartcommune.core import bench_views
from smartcommune.core import views as core_views
from smartcommune.directory import views as directory_views

from .api import api

handler400 = "smartcommune.core.views.bad_request"
handler403 = "smartcommune.core.views.permission_denied"
handler404 = "smartcommune.core.views.page_not_found"
handler500 = "smartcommune.core.views.server_error"

urlpatterns = [
    path("", directory_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("smartcommune.directory.urls")),
    path("audit/", include("smartcommune.audit.urls")),
    path("calendar/", include("smartcommune.workdays.urls")),
    path("procedures/", include("smartcommune.catalog.urls")),
    path("dossiers/", include("smartcommune.dossiers.urls")),
    path("messages/", include("smartcommune.notifications.urls")),
    path("verify/", include("smartcommune.documents.urls")),
    path("signatures/", include("smartcommune.signing.urls")),
    path("portal/", include("smartcommune.portal.urls")),
    # The API authenticates on its own (session or token) and answers 401 in JSON, never a redirect.
    path("api/v1/", core_views.public_urls(api.urls)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns.append(path("__errors/<int:status>/", core_views.error_preview))
# The benchmark's framework floor (bench/load.py): routed only when the setting is on, never in production.
if settings.SMARTCOMMUNE_BENCH_FLOOR:
    urlpatterns.append(path("__bench/floor/", bench_views.floor, name="bench_floor"))
