"""A small OpenID Connect provider for tests, built with Authlib's server side on Flask and run on
localhost in a thread: authorization-code flow, discovery, JWKS (RS256), token and userinfo
endpoints, with VNeID-style claims (SoDinhDanh, HoVaTen, NgayThangNamSinh).

Its sign-in page is a plain form (the person types their personal number), so that browser tests
walk through it as a citizen would walk through the VNeID page.
"""

import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector, current_token
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from markupsafe import escape
from werkzeug.serving import make_server


@dataclass
class Person:
    sub: str
    personal_id: str
    name: str
    birth: str = "19900101"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list = field(default_factory=list)

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in ("openid", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str
    person: Person
    auth_time: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return "LoA1"

    def get_amr(self):
        return None


@dataclass
class Token:
    access_token: str
    scope: str
    person: Person
    client_id: str
    expires_at: int

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_at - int(time.time())

    def is_expired(self):
        return time.time() > self.expires_at

    def is_revoked(self):
        return False

    def get_user(self):
        return self.person

    def get_client(self):
        return None


class OidcProvider:
    """Start with `.start()`; `.issuer` is its address. Register people with `.add_person`."""

    def __init__(self, *, client_id="smartcommune", client_secret=None, redirect_uris=()):
        self.client = Client(client_id, client_secret or secrets.token_urlsafe(24), list(redirect_uris))
        self.people: dict[str, Person] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Token] = {}
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"}, private=True)
        self.app = Flask("oidc-test-provider")
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = None
        self._routes()

    def add_person(self, personal_id: str, name: str, birth: str = "19900101") -> Person:
        person = Person(sub=f"sub-{personal_id}", personal_id=personal_id, name=name, birth=birth)
        self.people[personal_id] = person
        return person

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _routes(self):
        provider = self
        issuer = self.issuer

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, req):
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.get_client_id(),
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.scope,
                    nonce=req.payload.data.get("nonce", ""),
                    person=req.user,
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code, client):
                item = provider.codes.get(code)
                return item if item and item.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.person

        class Oidc(OpenIDCode):
            def exists_nonce(self, nonce, req):
                return any(c.nonce == nonce for c in provider.codes.values())

            def get_jwt_config(self, grant=None, client=None):  # pragma: no cover - older Authlib
                return {"key": provider.key, "alg": "RS256", "iss": issuer, "exp": 3600, "kid": "test-key"}

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_claims(self, client):
                now = int(time.time())
                return {"iss": issuer, "aud": [client.get_client_id()], "exp": now + 3600}

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": "test-key"}

            def get_client_algorithm(self, client):
                return "RS256"

            def generate_user_info(self, user, scope):
                return UserInfo(sub=user.sub, name=user.name)

        def query_client(client_id):
            return provider.client if client_id == provider.client.client_id else None

        def save_token(token, req):
            provider.tokens[token["access_token"]] = Token(
                access_token=token["access_token"],
                scope=token.get("scope", ""),
                person=req.user,
                client_id=req.client.get_client_id(),
                expires_at=int(time.time()) + token.get("expires_in", 3600),
            )

        server = AuthorizationServer(self.app, query_client=query_client, save_token=save_token)
        server.register_grant(CodeGrant, [Oidc(require_nonce=True)])

        class Validator(BearerTokenValidator):
            def authenticate_token(self, token_string):
                return provider.tokens.get(token_string)

        protect = ResourceProtector()
        protect.register_token_validator(Validator())

        @self.app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=issuer,
                authorization_endpoint=f"{issuer}/oauth2/authorize",
                token_endpoint=f"{issuer}/oauth2/token",
                userinfo_endpoint=f"{issuer}/oauth2/userinfo",
                jwks_uri=f"{issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "profile"],
                token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
            )

        @self.app.get("/jwks")
        def jwks():
            return jsonify(keys=[provider.key.as_dict(private=False)])

        @self.app.route("/oauth2/authorize", methods=["GET", "POST"])
        def authorize():
            if request.method == "GET":
                try:
                    server.get_consent_grant(end_user=None)
                except Exception as exc:
                    return f"<p>invalid request: {escape(exc)}</p>", 400
                hidden = "".join(
                    f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                    for k, v in request.args.items()
                )
                return (
                    '<!doctype html><html lang="vi"><title>VNeID (test)</title><main><h1>Đăng nhập VNeID (thử)</h1>'
                    f'<form method="post" action="/oauth2/authorize">{hidden}'
                    '<label for="pid">Số định danh cá nhân</label> <input id="pid" name="personal_id">'
                    '<button type="submit" name="consent" value="yes">Đồng ý</button>'
                    '<button type="submit" name="consent" value="no">Từ chối</button></form></main></html>'
                )
            person = provider.people.get(request.form.get("personal_id", ""))
            if request.form.get("consent") != "yes":
                person = None
            try:
                grant = server.get_consent_grant(end_user=person)
            except Exception as exc:
                return f"<p>invalid request: {escape(exc)}</p>", 400
            return server.create_authorization_response(grant_user=person, grant=grant)

        @self.app.post("/oauth2/token")
        def token():
            return server.create_token_response()

        @self.app.get("/oauth2/userinfo")
        @protect()
        def userinfo():
            person = current_token.person
            return jsonify(
                sub=person.sub,
                TechID=person.sub,
                LoaiTaiKhoan=1,
                HoVaTen=person.name,
                SoDinhDanh=person.personal_id,
                NgayThangNamSinh=person.birth,
                loginIdp="BCA",
            )
