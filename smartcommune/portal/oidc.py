"""The OpenID Connect client for citizen sign-in (VNeID through the national portal's gateway,
DOMAIN.md §10.1): Authlib's Django client, configured from the environment (SMARTCOMMUNE_OIDC)."""

from datetime import date, datetime

from authlib.integrations.django_client import OAuth
from django.conf import settings

_clients: dict[tuple, object] = {}


def config() -> dict:
    return settings.SMARTCOMMUNE_OIDC


def enabled() -> bool:
    c = config()
    return bool(c["ISSUER"] and c["CLIENT_ID"])


def client():
    """The registered client (its provider metadata is fetched once, on first use)."""
    c = config()
    key = (c["ISSUER"], c["CLIENT_ID"], c["CLIENT_SECRET"], c["SCOPES"])
    if key not in _clients:
        oauth = OAuth()
        oauth.register(
            "idp",
            client_id=c["CLIENT_ID"],
            client_secret=c["CLIENT_SECRET"],
            server_metadata_url=c["ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": c["SCOPES"], "timeout": 15},
        )
        _clients[key] = oauth.create_client("idp")
    return _clients[key]


def birth_date(value) -> date | None:
    """NgayThangNamSinh is YYYYMMDD; anything else is ignored."""
    try:
        return datetime.strptime(str(value or ""), "%Y%m%d").date()
    except ValueError:
        return None
