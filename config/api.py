"""The HTTP API under /api/v1/ (OpenAPI docs at /api/v1/docs). Each app contributes a router."""

from ninja import NinjaAPI

from smartcommune.catalog.api import router as catalog_router
from smartcommune.core.api import Utf8JSONRenderer, install_error_handlers
from smartcommune.directory.api import router as directory_router
from smartcommune.dossiers.api import router as dossiers_router
from smartcommune.portal.api import router as portal_router
from smartcommune.signing.api import router as signing_router
from smartcommune.workdays.api import router as workdays_router

api = NinjaAPI(
    title="SmartCommune API",
    version="1",
    description='API of the SmartCommune platform. Errors answer `{"code", "detail"}`.',
    renderer=Utf8JSONRenderer(),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", directory_router)
api.add_router("/workdays/", workdays_router)
api.add_router("/procedures/", catalog_router)
# Mounted without a trailing slash: POST /api/v1/dossiers, GET /api/v1/dossiers/{code}.
api.add_router("/dossiers", dossiers_router)
api.add_router("/signatures/", signing_router)
api.add_router("/portal", portal_router)
